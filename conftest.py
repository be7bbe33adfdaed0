"""Suite-wide set-up: a reproducible kernel environment, notebook-aware xdist scheduling, and the table of
notebook run times printed at the end of every run."""
from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest

from workbook.build.execute import kernel_env

BUDGET_SECONDS = 60
_times: dict[str, dict[str, float]] = defaultdict(dict)


def pytest_configure(config: pytest.Config) -> None:
    # Every kernel (nbval, papermill) and every unit test uses a throw-away progress store,
    # never the learner's own.
    home = tempfile.mkdtemp(prefix="workbook-test-home-")
    os.environ.update(kernel_env(home))


@pytest.hookimpl(optionalhook=True)  # only exists when xdist is active
def pytest_xdist_make_scheduler(config, log):
    """Keep the cells of one notebook on one worker (they share a kernel); spread everything else."""
    from xdist.scheduler import LoadScopeScheduling

    class NotebookScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path.endswith(".ipynb") else nodeid

    return NotebookScheduling(config, log)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _times[path]["nbval"] = _times[path].get("nbval", 0.0) + report.duration
    for name, value in report.user_properties:
        if name == "notebook_seconds":
            for run, seconds in enumerate(value["runs"], 1):
                _times[value["notebook"].replace(".py", ".ipynb")][f"run {run}"] = seconds


def pytest_terminal_summary(terminalreporter) -> None:
    if not _times:
        return
    columns = ["run 1", "run 2", "nbval"]
    tr = terminalreporter
    tr.section("notebook run times (s), slowest first")
    tr.write_line(f"{'notebook':<45}" + "".join(f"{c:>9}" for c in columns))
    rows = sorted(_times.items(), key=lambda kv: -max(kv[1].values()))
    for name, t in rows:
        cells = "".join(f"{t[c]:9.1f}" if c in t else f"{'-':>9}" for c in columns)
        flag = f"  over the {BUDGET_SECONDS} s budget" if max(t.values()) > BUDGET_SECONDS else ""
        tr.write_line(f"{name:<45}{cells}{flag}")
    total = sum(sum(t.values()) for t in _times.values())
    tr.write_line(f"{'total notebook time (both workers)':<45}{total:9.1f}")
