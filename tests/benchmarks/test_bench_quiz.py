"""Benchmarks (timings reported, not asserted): loading a 300+ question bank, rendering and
grading one question. Budgets from the issue: load ≤ 300 ms, render + grade ≤ 50 ms."""
from __future__ import annotations

import shutil

import pytest
import yaml

from workbook._paths import QUIZZES
from workbook.quiz import QuestionCard, grade, load_bank


@pytest.fixture(scope="module")
def big_bank_dir(tmp_path_factory):
    """A bank of 12 chapter files made from chapter 02's questions (300+ questions)."""
    root = tmp_path_factory.mktemp("bench") / "quizzes"
    shutil.copytree(QUIZZES, root, ignore=shutil.ignore_patterns("*.ipynb", "*.py"))
    source = yaml.safe_load((QUIZZES / "bank" / "02_data_pipelines.yaml").read_text())
    for n in range(1, 14):
        chapter = f"{n:02d}"
        data = {"chapter": chapter, "questions": [{**q, "id": chapter + q["id"][2:]} for q in source["questions"]]}
        (root / "bank" / f"{chapter}_bench.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    (root / "bank" / "02_data_pipelines.yaml").unlink()
    return root / "bank"


def test_bench_load_300_questions(benchmark, big_bank_dir):
    """Load and validate a bank of 300+ questions."""
    bank = benchmark(load_bank, big_bank_dir)
    assert len(bank) >= 300


def test_bench_render_and_grade(benchmark, bank):
    """Build the widget for one question and grade a response."""
    q = next(q for q in bank if q.type == "multiple")

    def render_and_grade():
        card = QuestionCard(q, store=None, learner="ada")
        return grade(q, q.correct_indices), card

    result, _ = benchmark(render_and_grade)
    assert result.correct
