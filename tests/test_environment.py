"""environment.yml and requirements-lock.txt agree, and every dependency is pinned."""
from __future__ import annotations

import re
from pathlib import Path
from collections import Counter

from workbook._paths import REPO_ROOT
from workbook.build.environment import lock_pins, normalize, top_level_pins

ENV = REPO_ROOT / "environment.yml"
LOCK = REPO_ROOT / "requirements-lock.txt"


def test_top_level_pins_match_the_lock():
    """Each pin of environment.yml is the version the lock installs."""
    lock = lock_pins(LOCK)
    mismatched = {n: (v, lock.get(n)) for n, v in top_level_pins(ENV).items() if lock.get(n) != v}
    assert not mismatched, f"environment.yml vs lock (run `make lock`): {mismatched}"


def test_lock_pins_every_package_once():
    """The lock pins each package exactly once, with ==."""
    names = [normalize(line.split("==")[0]) for line in LOCK.read_text().splitlines() if line and not line.startswith("#")]
    assert all("==" in line for line in LOCK.read_text().splitlines() if line and not line.startswith("#"))
    assert [n for n, c in Counter(names).items() if c > 1] == []


def test_torch_is_the_cpu_release():
    """torch is pinned (an unpinned torch pulls a multi-GB CUDA build)."""
    assert lock_pins(LOCK)["torch"] == "2.13.0"


def test_every_dependency_names_its_chapter():
    """Each pip line of environment.yml is pinned and carries a comment saying who needs it."""
    lines = [line for line in ENV.read_text().splitlines() if re.match(r"^\s+- [A-Za-z]", line) and "==" in line]
    assert len(lines) == len(top_level_pins(ENV)) > 20
    assert all("#" in line for line in lines)


def test_kernel_env_is_offline():
    """The kernel registered by setup runs MLflow and W&B offline."""
    setup = (REPO_ROOT / "scripts" / "setup").read_text()
    assert "MLFLOW_DISABLE_TELEMETRY true" in setup and "WANDB_MODE offline" in setup


def test_test_kernels_keep_their_files_apart(tmp_path):
    """Each test kernel gets its own progress store and scratch folder, so two runs of one notebook
    side by side (papermill and nbval on the two workers) never touch each other's files."""
    from workbook.build.execute import kernel_env

    a, b = kernel_env(tmp_path / "a"), kernel_env(tmp_path / "b")
    assert a["WORKBOOK_SCRATCH"] != b["WORKBOOK_SCRATCH"]
    assert Path(a["WORKBOOK_SCRATCH"]).is_relative_to(tmp_path / "a")
    assert a["WORKBOOK_HOME"] != b["WORKBOOK_HOME"]
