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


def shown_path(path: Path) -> str:
    """``path`` as a learner should read it: relative to the repository when inside it
    (``scratch/instructor/x.json``), else in full (a scratch folder set by ``WORKBOOK_SCRATCH``).

    >>> shown_path(REPO_ROOT / "scratch" / "x.json")
    'scratch/x.json'
    """
    path = Path(path).resolve()
    return path.relative_to(REPO_ROOT).as_posix() if path.is_relative_to(REPO_ROOT) else str(path)
