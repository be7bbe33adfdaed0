"""Generate each lab from its worked solution: the answer lives once, in ``solutions/``.

Code regions between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` become the region's
``# LAB: `` lines, or ``...  # TODO: your code here`` at the region's indentation. Markdown
regions between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` become
*Your answer here.* Cells tagged ``solution-only`` are dropped.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from workbook._paths import REPO_ROOT
from workbook.build.navigation import is_nav_cell
from workbook.build.notebooks import Notebook, cell_signature, notebooks, read_py, strip_outputs, write_pair

BEGIN, END, LAB = "# BEGIN SOLUTION", "# END SOLUTION", "# LAB: "
MD_REGION = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", re.DOTALL)
SOLUTION_ONLY = "solution-only"


class MarkerError(ValueError):
    """A solution's markers are unbalanced or malformed."""


def strip_code(source: str, where: str = "cell") -> str:
    """Replace every solution region of a code cell by its placeholder."""
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for n, line in enumerate(source.splitlines(), 1):
        stripped = line.strip()
        if stripped == BEGIN:
            if region is not None:
                raise MarkerError(f"{where}, line {n}: '{BEGIN}' inside another solution region")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if region is None:
                raise MarkerError(f"{where}, line {n}: '{END}' without '{BEGIN}'")
            lab_lines = [line.replace(LAB, "", 1) for line in region if line.strip().startswith(LAB)]
            out += lab_lines or [f"{indent}...  # TODO: your code here"]
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise MarkerError(f"{where}: '{BEGIN}' is never closed by '{END}'")
    return "\n".join(out)


def make_lab(solution: nbformat.NotebookNode, where: str = "solution") -> nbformat.NotebookNode:
    """The lab notebook for a solution notebook (no outputs)."""
    lab = strip_outputs(solution)
    cells = []
    for i, cell in enumerate(lab.cells):
        if SOLUTION_ONLY in cell.metadata.get("tags", []) or is_nav_cell(cell):
            continue
        if cell.cell_type == "code":
            cell.source = strip_code(cell.source, f"{where}, cell {i + 1}")
        elif cell.cell_type == "markdown":
            cell.source = MD_REGION.sub("*Your answer here.*", cell.source)
        cells.append(cell)
    lab.cells = cells
    return lab


def lab_for(solution: Notebook, root: Path = REPO_ROOT) -> Path:
    """``solutions/NN_x.py`` → ``labs/NN_x.py``."""
    return root / "labs" / solution.path.name


def stale_labs(root: Path = REPO_ROOT) -> list[Path]:
    """Labs missing or different from what their solution generates (navigation aside)."""
    stale = []
    for s in notebooks(root, ("solutions",)):
        path = lab_for(s, root)
        expected = cell_signature(make_lab(s.read(), s.rel))
        if not path.exists() or _without_nav(read_py(path)) != expected:
            stale.append(path)
    return stale


def _without_nav(nb: nbformat.NotebookNode) -> list:
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if not is_nav_cell(c)]
    return cell_signature(nb)


def write_labs(root: Path = REPO_ROOT) -> list[Path]:
    """(Re)write every lab ``.py`` and ``.ipynb`` from its solution; return the labs written.

    Run :func:`workbook.build.navigation.write_navigation` afterwards to add the lab's links.
    """
    written = []
    for s in notebooks(root, ("solutions",)):
        path = lab_for(s, root)
        write_pair(make_lab(s.read(), s.rel), path, outputs=False)
        written.append(path)
    return written
