"""Re-running the set-up is instant while the lock is unchanged."""
from __future__ import annotations

import subprocess

from workbook._paths import REPO_ROOT


def test_setup_does_nothing_when_installed():
    """`scripts/setup` (run by `make lab` and `make test`) installs nothing the second time."""
    result = subprocess.run(["scripts/setup"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "Installing" not in result.stderr


def test_setup_refuses_old_python(tmp_path):
    """An old Python is refused with a message naming the fix, before anything is created."""
    fake = tmp_path / "python3.9"
    fake.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.0' && exit 0\nexit 1\n")
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    result = subprocess.run(["scripts/setup"], cwd=REPO_ROOT, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHON": str(fake), "VENV": str(venv)}, timeout=60)
    assert result.returncode == 1 and "needs Python 3.11 or newer" in result.stderr
    assert "PYTHON=" in result.stderr and not venv.exists()
