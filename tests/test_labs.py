"""Labs are generated from solutions: placeholders are valid Python and labs are never stale."""
from __future__ import annotations

import ast

import nbformat
import pytest

from workbook.build.labs import MarkerError, make_lab, stale_labs, strip_code
from workbook.build.notebooks import notebooks


def test_region_becomes_todo_at_its_indentation():
    """A solution region without LAB lines becomes `...  # TODO` at the region's indentation."""
    src = "def f(x):\n    # BEGIN SOLUTION\n    return x + 1\n    # END SOLUTION\n"
    assert strip_code(src) == "def f(x):\n    ...  # TODO: your code here"


def test_lab_lines_replace_the_region():
    """`# LAB: ` lines inside a region become the lab's code, uncommented."""
    src = "# BEGIN SOLUTION\n# LAB: answer = ...  # TODO\nanswer = 42\n# END SOLUTION\nprint(answer)"
    assert strip_code(src) == "answer = ...  # TODO\nprint(answer)"


@pytest.mark.parametrize("src", [
    "# BEGIN SOLUTION\nx = 1\n",
    "x = 1\n# END SOLUTION\n",
    "# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION\n",
])
def test_unbalanced_markers_are_reported(src):
    """Unbalanced markers raise MarkerError naming the problem instead of writing a broken lab."""
    with pytest.raises(MarkerError, match="SOLUTION"):
        strip_code(src, "solutions/x.py, cell 3")


def test_solution_only_cells_and_markdown_answers_are_removed():
    """Cells tagged solution-only disappear; markdown answers become a prompt."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Q? <!-- BEGIN SOLUTION -->Because.<!-- END SOLUTION -->"),
        nbformat.v4.new_markdown_cell("the worked solution", metadata={"tags": ["solution-only"]}),
    ])
    lab = make_lab(nb)
    assert [c.source for c in lab.cells] == ["Q? *Your answer here.*"]


def test_labs_are_fresh():
    """Every lab equals what its solution generates (run `make labs` after editing a solution)."""
    assert stale_labs() == []


@pytest.mark.parametrize("lab", notebooks(folders=("labs",)), ids=lambda nb: nb.rel)
def test_lab_code_is_valid_python(lab):
    """Every code cell of a generated lab parses (placeholders are still valid Python)."""
    for cell in lab.read().cells:
        if cell.cell_type == "code":
            ast.parse("\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))))
