"""Execute notebooks the same way for the committed outputs, the tests and nbval.

Every kernel the project starts gets :func:`kernel_env`: offline MLflow and W&B, a throw-away
progress store and scratch folder, a fixed learner name (so shuffled options are the same everywhere), no
progress bars (they write to stderr, which nbval compares) and a fixed hash seed.
"""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from workbook.build.notebooks import KERNEL, Notebook, notebooks, write_pair

TEST_LEARNER = "learner"


def kernel_env(home: Path | str) -> dict[str, str]:
    """Environment variables for a reproducible, offline kernel whose progress store is in ``home``."""
    return {
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "WANDB_MODE": "offline",
        "WORKBOOK_HOME": str(home),
        "WORKBOOK_SCRATCH": str(Path(home) / "scratch"),  # runs side by side never share files
        "WORKBOOK_LEARNER": TEST_LEARNER,
        "TQDM_DISABLE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    }


@contextmanager
def reproducible_env() -> Iterator[dict[str, str]]:
    """Set :func:`kernel_env` (with a fresh temporary store) in ``os.environ`` for the block."""
    with tempfile.TemporaryDirectory(prefix="workbook-home-") as home:
        env = kernel_env(home)
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            yield env
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600) -> nbformat.NotebookNode:
    """Run every cell of ``nb`` in a fresh project kernel (in :func:`reproducible_env`)."""
    with reproducible_env():
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL["name"], record_timing=False,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    return nb


def build(selected: list[Notebook] | None = None, *, verbose: bool = True) -> list[tuple[str, float]]:
    """Rewrite each ``.ipynb`` from its ``.py``: executed for chapters and solutions, bare otherwise.

    Returns ``[(notebook, seconds)]``.
    """
    timings = []
    for nb in selected or notebooks():
        start = time.perf_counter()
        content = nb.read()
        if nb.executed:
            content = execute(content, nb.path.parent)
        write_pair(content, nb.path, outputs=nb.executed)
        seconds = time.perf_counter() - start
        timings.append((nb.rel, seconds))
        if verbose:
            print(f"{seconds:6.1f} s  {nb.rel}", flush=True)
    return timings
