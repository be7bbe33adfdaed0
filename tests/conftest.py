"""Fixtures shared by the unit tests."""
from __future__ import annotations

import os
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


_JAVA_TOOLS = {
    "java", "javac", "javadoc", "javap", "jar", "jarsigner", "jshell", "jlink", "jmod", "jdeps", "jdeprscan",
    "jcmd", "jconsole", "jdb", "jfr", "jhsdb", "jimage", "jinfo", "jmap", "jps", "jrunscript", "jstack",
    "jstat", "jstatd", "jpackage", "keytool", "rmiregistry", "serialver",
}


@pytest.fixture
def path_without_java(tmp_path) -> Path:
    """A folder of symlinks to every program in /usr/bin and /bin except Java's: a PATH of a machine without Java."""
    shim = tmp_path / "shim-bin"
    shim.mkdir()
    for folder in (Path("/usr/bin"), Path("/bin")):
        for program in sorted(folder.iterdir()):
            target = program.resolve()
            is_jdk = "/jvm/" in str(target) or program.name in _JAVA_TOOLS
            if is_jdk or (shim / program.name).exists() or not os.access(program, os.X_OK):
                continue
            (shim / program.name).symlink_to(program)
    return shim


def pytest_generate_tests(metafunc):
    """Run each test of a lab's check contract (tests/lab_contract.py) once per check of that lab."""
    correct = getattr(metafunc.cls, "correct", None)
    if correct and "check_function" in metafunc.fixturenames:
        names = sorted(correct)
        if metafunc.function.__name__ == "test_errors_in_learner_code_are_reported":
            names = [n for n in names if any(callable(a) for a in correct[n])]
        metafunc.parametrize("check_function", names)
