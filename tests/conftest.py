"""Fixtures shared by the unit tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbook._paths import QUIZZES
from workbook.quiz import ProgressStore, load_bank


@pytest.fixture(scope="session")
def bank():
    """The real question bank."""
    return load_bank()


@pytest.fixture
def quizzes_copy(tmp_path) -> Path:
    """A copy of quizzes/ (schema, blueprint, tips, bank) to break on purpose."""
    target = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, target, ignore=shutil.ignore_patterns("*.ipynb", "*.py"))
    return target


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """An empty progress store in a temporary folder."""
    s = ProgressStore(tmp_path / "progress.sqlite3", learner="ada")
    yield s
    s.close()
