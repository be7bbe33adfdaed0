"""Paired notebooks agree with their .py files, and outputs are committed where they should be."""
from __future__ import annotations

import nbformat
import pytest

from workbook.build.notebooks import cell_signature, notebooks

NOTEBOOKS = notebooks()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[nb.rel for nb in NOTEBOOKS])
def test_pair_in_sync(nb):
    """The .ipynb has the same cells (type, source, tags) as its paired .py."""
    assert nb.ipynb.exists(), f"{nb.rel} has no paired .ipynb: run `make notebooks`"
    stored = nbformat.read(nb.ipynb, as_version=4)
    assert cell_signature(stored) == cell_signature(nb.read()), (
        f"{nb.rel} and its .ipynb differ: edit in JupyterLab (pairing keeps both) or run `make notebooks`"
    )


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[nb.rel for nb in NOTEBOOKS])
def test_outputs_committed_where_expected(nb):
    """Chapters and solutions are committed executed; labs and quiz notebooks without outputs."""
    stored = nbformat.read(nb.ipynb, as_version=4)
    code = [c for c in stored.cells if c.cell_type == "code"]
    if nb.executed:
        assert all(c.execution_count for c in code), f"{nb.rel}: run `make notebooks` to store its outputs"
    else:
        assert not any(c.outputs for c in code), f"{nb.rel} should be committed without outputs"


def test_every_folder_has_paired_notebooks():
    """The start page, a chapter, its lab and its solution exist as pairs."""
    rels = {nb.rel for nb in NOTEBOOKS}
    for rel in ("chapters/00_start_here.py", "chapters/02_data_pipelines.py",
                "labs/02_data_pipelines.py", "solutions/02_data_pipelines.py"):
        assert rel in rels
