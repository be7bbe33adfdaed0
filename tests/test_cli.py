"""The `workbook` command prints progress and resets it safely."""
from __future__ import annotations

import subprocess
import sys


def run(*args, env):
    return subprocess.run([sys.executable, "-m", "workbook", *args], capture_output=True, text=True, env=env,
                          check=True).stdout


def test_where_progress_and_reset(tmp_path, monkeypatch):
    """`where` names the store under WORKBOOK_HOME; `reset-progress` keeps a backup."""
    import os
    env = {**os.environ, "WORKBOOK_HOME": str(tmp_path), "WORKBOOK_LEARNER": "ada"}
    assert run("where", env=env).strip() == str(tmp_path / "progress.sqlite3")
    assert "No answers recorded yet" in run("progress", env=env)
    from workbook.quiz import ProgressStore
    ProgressStore(tmp_path / "progress.sqlite3", learner="ada").record("02-x", 1, correct=True)
    out = run("reset-progress", env=env)
    assert "moved to" in out and list(tmp_path.glob("progress-*.sqlite3.bak"))
