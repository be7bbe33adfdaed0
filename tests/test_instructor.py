"""Instructor tools: exports, the class report (difficulty, distractors, section averages), printable quizzes."""
from __future__ import annotations

import json
import random

import pytest

from workbook.quiz import ProgressStore
from workbook.quiz._instructor import (
    domain_averages, export_results, load_exports, printable_quiz, question_difficulty, select_questions,
    workshop_key, write_class_report, write_printable_quiz,
)
from workbook.quiz._widget import option_order


def class_exports(bank, folder, learners=6, seed=0):
    """Exports of a small class; learner k answers question 0 with its first wrong option."""
    rng = random.Random(seed)
    paths = []
    for k in range(learners):
        store = ProgressStore(folder / f"s{k}.sqlite3", learner=f"learner{k}")
        for q in bank.select(chapter="02"):
            if q.type == "numeric":
                store.record(q.id, q.answer, correct=True)
                continue
            wrong = next(i for i in range(len(q.options)) if i not in q.correct_indices)
            ok = rng.random() < 0.6 and q != bank.select(chapter="02")[0]
            response = sorted(q.correct_indices) if q.type == "multiple" and ok else (
                min(q.correct_indices) if ok else ([wrong] if q.type == "multiple" else wrong))
            store.record(q.id, response, correct=ok)
        paths.append(export_results(bank, store, folder / f"learner{k}.{'json' if k % 2 else 'csv'}"))
    return paths


def test_export_round_trips(bank, tmp_path):
    """A learner's CSV and JSON exports read back with every attempt."""
    store = ProgressStore(tmp_path / "p.sqlite3", learner="ada")
    q = bank.select(chapter="02")[0]
    store.record(q.id, 1, correct=False, context="chapter 02")
    for suffix in ("csv", "json"):
        df = load_exports([export_results(bank, store, tmp_path / f"ada.{suffix}")])
        assert df[["learner", "question_id", "correct", "context"]].values.tolist() == [["ada", q.id, False, "chapter 02"]]


def test_bad_export_is_named(tmp_path):
    """A file that is not an export is reported by name."""
    bad = tmp_path / "notes.json"
    bad.write_text(json.dumps({"hello": 1}))
    with pytest.raises(ValueError, match="notes.json: cannot read this export"):
        load_exports([bad])


def test_class_report_difficulty_and_distractors(bank, tmp_path):
    """Question difficulty is the share correct at first attempt; the top distractor is named."""
    df = load_exports(class_exports(bank, tmp_path))
    difficulty = question_difficulty(df, bank)
    q0 = bank.select(chapter="02")[0]
    row = difficulty.set_index("question_id").loc[q0.id]
    wrong = next(i for i in range(len(q0.options)) if i not in q0.correct_indices)
    assert row["share_correct"] == 0 and row["top_distractor"] == q0.options[wrong].text
    assert row["distractor_share"] == 1.0 and row["learners"] == 6


def test_section_averages_cover_every_learner(bank, tmp_path):
    """Per exam section, the class average is the mean of learners' first-attempt accuracy."""
    df = load_exports(class_exports(bank, tmp_path))
    averages = domain_averages(df, bank)
    assert set(averages.index) == {q.domain for q in bank.select(chapter="02")}
    assert (averages["learners"] == 6).all() and averages["class_average"].between(0, 1).all()


def test_class_report_files(bank, tmp_path):
    """The written report has its tables, a figure and a Markdown summary."""
    df = load_exports(class_exports(bank, tmp_path))
    paths = write_class_report(df, bank, tmp_path / "report")
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert "Class report: 6 learners" in (tmp_path / "report" / "report.md").read_text()


def test_printable_quiz_and_key_agree(bank):
    """The quiz hides the answers; the key gives them in the same option order."""
    questions = select_questions(bank, chapter="02", n=5, seed=3)
    quiz, key = printable_quiz(questions, title="Quiz", shuffle_key=workshop_key(3))
    assert "✔" not in quiz and quiz.count("## Question") == 5
    first = questions[0]
    if first.type != "numeric":
        order = option_order(first, workshop_key(3))
        right = ", ".join("ABCDEFGH"[pos] for pos, i in enumerate(order) if first.options[i].correct)
        assert f"**1. {right}**" in key


def test_workshop_seed_gives_everyone_the_same_quiz(bank):
    """The same seed selects the same questions in the same order; another seed differs."""
    a = [q.id for q in select_questions(bank, chapter="02", n=8, seed=11)]
    assert a == [q.id for q in select_questions(bank, chapter="02", n=8, seed=11)]
    assert a != [q.id for q in select_questions(bank, chapter="02", n=8, seed=12)]


def test_workshop_widget_uses_the_shared_order(bank, tmp_path):
    """In workshop mode two learners see the same options in the same order."""
    from workbook.quiz import workshop

    a = workshop(5, chapter="02", n=4, bank=bank, store=ProgressStore(tmp_path / "a.sqlite3", learner="ada"))
    b = workshop(5, chapter="02", n=4, bank=bank, store=ProgressStore(tmp_path / "b.sqlite3", learner="bob"))
    assert [c.order for c in a.cards] == [c.order for c in b.cards]
    assert [c.question.id for c in a.cards] == [c.question.id for c in b.cards]


def test_printable_files_written(bank, tmp_path):
    """Markdown and HTML versions of the quiz and the key are written."""
    paths = write_printable_quiz(select_questions(bank, chapter="02"), tmp_path, title="Chapter 02", seed=0)
    assert sorted(p.name for p in paths) == ["answer_key.html", "answer_key.md", "quiz.html", "quiz.md"]
    assert "<h1>" in (tmp_path / "quiz.html").read_text()
