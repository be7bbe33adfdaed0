"""Find, read and write the workbook's paired notebooks (``.py`` percent file + ``.ipynb``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from workbook._paths import REPO_ROOT

FOLDERS = ("chapters", "labs", "solutions", "quizzes")
EXECUTED_FOLDERS = ("chapters", "solutions")  # committed with outputs, checked by nbval
KERNEL = {"display_name": "Python 3 (MLOps workbook)", "language": "python", "name": "mlops-workbook"}
_NUMBERED = re.compile(r"^(\d\d)_")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@dataclass(frozen=True)
class Notebook:
    """A paired notebook: ``path`` is the ``.py`` source, ``ipynb`` its pair."""

    path: Path

    @property
    def ipynb(self) -> Path:
        return self.path.with_suffix(".ipynb")

    @property
    def folder(self) -> str:
        return self.path.parent.name

    @property
    def number(self) -> str | None:
        m = _NUMBERED.match(self.path.name)
        return m.group(1) if m else None

    @property
    def executed(self) -> bool:
        """Committed with outputs (chapters and solutions)."""
        return self.folder in EXECUTED_FOLDERS

    @property
    def rel(self) -> str:
        return self.path.relative_to(self.path.parents[1]).as_posix()

    def read(self) -> nbformat.NotebookNode:
        """The notebook as written in the ``.py`` file (no outputs)."""
        return read_py(self.path)

    def title(self) -> str:
        """The first level-1 heading of the notebook."""
        for cell in self.read().cells:
            if cell.cell_type == "markdown":
                m = re.search(r"^# (.+)$", cell.source, re.MULTILINE)
                if m:
                    return m.group(1).strip()
        return self.path.stem


def notebooks(root: Path = REPO_ROOT, folders: tuple[str, ...] = FOLDERS) -> list[Notebook]:
    """Every paired notebook under ``folders``, sorted by folder then name."""
    found = []
    for folder in folders:
        found += [Notebook(p) for p in sorted((root / folder).glob("*.py")) if not p.name.startswith("_")]
    return found


def read_py(path: Path) -> nbformat.NotebookNode:
    """Read a percent-format ``.py`` file as a notebook."""
    return jupytext.read(path, fmt="py:percent")


def py_text(nb: nbformat.NotebookNode) -> str:
    """The percent-format text of a notebook (what we write to ``.py``)."""
    nb = _with_standard_metadata(nb)
    return jupytext.writes(nb, fmt="py:percent")


def _with_standard_metadata(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata["jupytext"] = {
        "formats": "ipynb,py:percent",
        "text_representation": {"extension": ".py", "format_name": "percent", "format_version": "1.3"},
    }
    return nb


def ipynb_text(nb: nbformat.NotebookNode) -> str:
    """The ``.ipynb`` text of a notebook, normalised so rewriting it changes nothing."""
    nb = _with_standard_metadata(nb)
    nb.metadata.pop("language_info", None)
    nb.metadata.pop("papermill", None)
    nb.metadata.pop("widgets", None)  # live widget state: large, random ids, useless without a kernel
    nb.metadata.setdefault("language_info", {"name": "python"})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:03d}"
        cell.metadata.pop("execution", None)
        for out in cell.get("outputs", []):
            # Stored widgets show their static preview (text/html) until the cell is run again.
            out.get("data", {}).pop(WIDGET_VIEW, None)
        cell.metadata.pop("papermill", None)
        for key in [k for k in cell.metadata if k not in ("tags",)]:
            cell.metadata.pop(key)
        if cell.metadata.get("tags") == []:
            cell.metadata.pop("tags")
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nbformat.writes(nb) + "\n"


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` with no outputs or execution counts."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def cell_signature(nb: nbformat.NotebookNode) -> list[tuple[str, str, tuple[str, ...]]]:
    """What must agree between a ``.py`` and its ``.ipynb``: type, source and tags of each cell."""
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def write_pair(nb: nbformat.NotebookNode, path: Path, *, outputs: bool) -> None:
    """Write ``nb`` to ``path`` (``.py``) and its ``.ipynb`` (with or without outputs)."""
    path.write_text(py_text(nb))
    path.with_suffix(".ipynb").write_text(ipynb_text(nb if outputs else strip_outputs(nb)))
