"""The start page's contents and every notebook's navigation links are generated and fresh."""
from __future__ import annotations

import re

from workbook.build.navigation import NAV_START, contents_markdown, nav_line, stale_navigation
from workbook.build.notebooks import REPO_ROOT, notebooks


def test_navigation_is_fresh():
    """No notebook's navigation or contents differ from what `make nav` writes."""
    assert stale_navigation() == []


def test_contents_lists_every_notebook():
    """The contents link every chapter, lab, solution and quiz notebook that exists."""
    nbs = notebooks()
    text = contents_markdown(nbs, {"02": 7})
    for nb in nbs:
        if nb.path.stem != "00_start_here":
            assert nb.ipynb.name in text, f"{nb.rel} missing from the contents"
    assert "| 02 |" in text and "| 7 |" in text
    assert "*(coming)*" in text  # planned chapters are listed too


def test_links_point_to_existing_files():
    """Every relative link written by the navigation resolves to a file."""
    nbs = notebooks()
    for nb in nbs:
        for target in re.findall(r"\]\(([^)]+\.ipynb)\)", nav_line(nb, nbs)):
            assert (nb.path.parent / target).resolve().exists(), f"{nb.rel} links to missing {target}"


def test_chapter_nav_leads_to_its_lab():
    """A chapter's navigation offers its lab and solution."""
    nbs = {nb.rel: nb for nb in notebooks()}
    line = nav_line(nbs["chapters/02_data_pipelines.py"], list(nbs.values()))
    assert "../labs/02_data_pipelines.ipynb" in line and "../solutions/02_data_pipelines.ipynb" in line
    assert NAV_START in (REPO_ROOT / "chapters/02_data_pipelines.py").read_text()
