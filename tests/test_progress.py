"""Progress summaries count the latest attempt of each question, per chapter."""
from __future__ import annotations

from workbook.quiz import progress_by_chapter, progress_text


def test_empty_store_says_nothing_answered(bank, store):
    """With no answers the summary says how many questions are waiting."""
    assert progress_text(bank, store).startswith("No answers recorded yet")


def test_latest_attempt_counts(bank, store):
    """A wrong answer corrected later counts as correct; chapters are counted separately."""
    q1, q2 = bank.select(chapter="02")[:2]
    store.record(q1.id, 0, correct=False)
    store.record(q1.id, 1, correct=True)
    store.record(q2.id, 0, correct=False)
    [row] = [r for r in progress_by_chapter(bank, store) if r.chapter == "02"]
    assert (row.answered, row.correct) == (2, 1)
    assert "2 of" in progress_text(bank, store)
