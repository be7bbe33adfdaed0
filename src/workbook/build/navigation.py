"""Generated navigation: the start page's contents and the links at the top and bottom of
every notebook, written between marker comments so they can be regenerated safely.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from workbook._paths import REPO_ROOT
from workbook.build.notebooks import Notebook, ipynb_text, notebooks, py_text, read_py

NAV_START, NAV_END = "<!-- NAV START -->", "<!-- NAV END -->"
CONTENTS_START, CONTENTS_END = "<!-- CONTENTS START -->", "<!-- CONTENTS END -->"
START_PAGE = "00_start_here"

# The book's plan; a chapter without a notebook yet is listed as coming.
PLAN = {
    "01": "Foundations: MLOps and the ML system lifecycle",
    "02": "Data pipelines: sources, formats, ETL/ELT",
    "03": "Sampling and class imbalance",
    "04": "Data leakage",
    "05": "Feature stores with Feast",
    "06": "Distributed processing with Spark and Beam",
    "07": "Orchestration",
    "08": "Experiments and reproducibility",
    "09": "Hyperparameter optimisation and fine-tuning",
    "10": "Compression and ONNX",
    "11": "Serving",
    "12": "Monitoring and continuous training",
    "13": "Cloud and GCP patterns",
}


def _link(target: Notebook, here: Notebook, text: str | None = None) -> str:
    rel = Path("..") / target.folder / target.ipynb.name if target.folder != here.folder else target.ipynb.name
    return f"[{text or target.title()}]({Path(rel).as_posix()})"


def _short(title: str) -> str:
    return re.sub(r"^(\d\d|Lab \d\d|Solution \d\d)\s*·\s*", "", title)


def nav_line(nb: Notebook, all_nbs: list[Notebook]) -> str:
    """The navigation line for one notebook."""
    by = {(n.folder, n.path.stem): n for n in all_nbs}
    chapters = [n for n in all_nbs if n.folder == "chapters"]
    start = by.get(("chapters", START_PAGE))
    contents = _link(start, nb, "Contents") if start and nb != start else "Contents"
    parts: list[str] = []
    if nb.folder == "chapters":
        i = chapters.index(nb)
        if i > 0:
            parts.append("← " + _link(chapters[i - 1], nb))
        parts.append(contents)
        if i + 1 < len(chapters):
            parts.append(_link(chapters[i + 1], nb) + " →")
        practice = [_link(by[(f, nb.path.stem)], nb, f[:-1].capitalize())
                    for f in ("labs", "solutions") if (f, nb.path.stem) in by]
        if practice:
            parts.append("Practice: " + " · ".join(practice))
    elif nb.folder in ("labs", "solutions"):
        chapter = by.get(("chapters", nb.path.stem))
        other = by.get(("solutions" if nb.folder == "labs" else "labs", nb.path.stem))
        if chapter:
            parts.append("← " + _link(chapter, nb, f"Chapter {nb.number}"))
        parts.append(contents)
        if other:
            parts.append(_link(other, nb, other.folder[:-1].capitalize()) + " →")
    else:
        parts.append(contents)
    return " · ".join(parts)


def _nav_cell(line: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(f"{NAV_START}\n{line}\n{NAV_END}")


def is_nav_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "markdown" and cell.source.strip().startswith(NAV_START)


def contents_markdown(all_nbs: list[Notebook], question_counts: dict[str, int]) -> str:
    """The start page's table of contents."""
    by = {(n.folder, n.path.stem): n for n in all_nbs}
    start = by[("chapters", START_PAGE)]
    written = {n.number: n for n in all_nbs if n.folder == "chapters" and n.number and n.number != "00"}
    rows = ["| # | Chapter | Lab | Solution | Questions |", "| --- | --- | --- | --- | --- |"]
    for number in sorted(set(PLAN) | set(written)):
        ch = written.get(number)
        if ch is None:
            rows.append(f"| {number} | {PLAN[number]} *(coming)* | | | |")
            continue
        cells = [_link(ch, start, _short(ch.title()))]
        for folder in ("labs", "solutions"):
            nb = by.get((folder, ch.path.stem))
            cells.append(_link(nb, start, folder[:-1]) if nb else "")
        count = question_counts.get(number, 0)
        cells.append(f"{count}" if count else "")
        rows.append(f"| {number} | " + " | ".join(cells) + " |")
    quizzes = [n for n in all_nbs if n.folder == "quizzes"]
    lines = ["**Chapters**", "", *rows]
    if quizzes:
        lines += ["", "**Quizzes and exam practice**", ""]
        lines += [f"- {_link(q, start)}" for q in quizzes]
    return "\n".join(lines)


def apply_navigation(nb: nbformat.NotebookNode, line: str, contents: str | None = None) -> nbformat.NotebookNode:
    """``nb`` with fresh navigation cells first and last, and fresh contents if given."""
    nb = nbformat.from_dict(nb)
    cells = [c for c in nb.cells if not is_nav_cell(c)]
    if contents is not None:
        pattern = re.compile(re.escape(CONTENTS_START) + ".*?" + re.escape(CONTENTS_END), re.DOTALL)
        replacement = f"{CONTENTS_START}\n{contents}\n{CONTENTS_END}"
        found = False
        for c in cells:
            if c.cell_type == "markdown" and pattern.search(c.source):
                c.source = pattern.sub(lambda _: replacement, c.source)
                found = True
        if not found:
            raise ValueError(f"the start page has no {CONTENTS_START} … {CONTENTS_END} block")
    nb.cells = [_nav_cell(line), *cells, _nav_cell(line)]
    return nb


def _question_counts(root: Path) -> dict[str, int]:
    from workbook.quiz import load_bank

    bank = load_bank(root / "quizzes" / "bank")
    return {ch: len(bank.select(chapter=ch)) for ch in bank.chapters}


def expected_navigation(root: Path = REPO_ROOT) -> dict[Path, tuple[str, str | None]]:
    """``{path: (expected .py text, expected .ipynb text or None)}`` for every notebook."""
    all_nbs = notebooks(root)
    contents = contents_markdown(all_nbs, _question_counts(root))
    out = {}
    for nb in all_nbs:
        extra = contents if nb.path.stem == START_PAGE and nb.folder == "chapters" else None
        line = nav_line(nb, all_nbs)
        py = py_text(apply_navigation(read_py(nb.path), line, extra))
        ipynb = None
        if nb.ipynb.exists():
            ipynb = ipynb_text(apply_navigation(nbformat.read(nb.ipynb, as_version=4), line, extra))
        out[nb.path] = (py, ipynb)
    return out


def stale_navigation(root: Path = REPO_ROOT) -> list[Path]:
    """Notebook files whose navigation or contents are out of date."""
    stale = []
    for path, (py, ipynb) in expected_navigation(root).items():
        if path.read_text() != py:
            stale.append(path)
        if ipynb is not None and path.with_suffix(".ipynb").read_text() != ipynb:
            stale.append(path.with_suffix(".ipynb"))
    return stale


def write_navigation(root: Path = REPO_ROOT) -> list[Path]:
    """Rewrite the navigation of every notebook; return the files changed."""
    changed = []
    for path, (py, ipynb) in expected_navigation(root).items():
        for target, text in ((path, py), (path.with_suffix(".ipynb"), ipynb)):
            if text is not None and target.read_text() != text:
                target.write_text(text)
                changed.append(target)
    return changed
