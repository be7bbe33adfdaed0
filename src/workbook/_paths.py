"""Where things live: the repository, its folders, and per-notebook scratch space."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
QUIZZES = REPO_ROOT / "quizzes"
BANK_DIR = QUIZZES / "bank"


def scratch_dir(name: str, *, fresh: bool = True) -> Path:
    """Return ``scratch/<name>``, a git-ignored folder for a notebook's output files.

    With ``fresh=True`` (the default) the folder is emptied first, so a notebook
    run twice in a row starts from the same state.

    >>> scratch_dir("02_data_pipelines").name
    '02_data_pipelines'
    """
    base = Path(os.environ.get("WORKBOOK_SCRATCH", REPO_ROOT / "scratch"))
    path = base / name
    if fresh and path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    return path
