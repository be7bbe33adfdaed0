"""Drills: due questions first, then new ones within a daily limit; a summary at the end."""
from __future__ import annotations

import datetime as dt

import pytest

from workbook.quiz import Drill, ProgressStore

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def right(q):
    return min(q.correct_indices) if q.type in ("single", "true_false") else (
        q.correct_indices if q.type == "multiple" else q.answer)


def wrong(q):
    if q.type == "numeric":
        return q.answer + q.tolerance + 1000
    if q.type == "multiple":
        return {next(i for i in range(len(q.options)) if i not in q.correct_indices)}
    return next(i for i in range(len(q.options)) if i not in q.correct_indices)


@pytest.fixture
def setup(bank, tmp_path):
    clock = Clock()
    store = ProgressStore(tmp_path / "p.sqlite3", learner="ada", clock=clock)
    return bank, store, clock


def test_new_questions_are_limited_per_day(setup):
    """At most `new_per_day` never-seen questions are offered per day."""
    bank, store, clock = setup
    drill = Drill(bank, store, chapters=["02"], new_per_day=5)
    first = drill.queue()
    assert len(first) == 5
    for q in first:
        drill.answer(q, right(q))
    assert drill.queue() == [] or all(store.attempts(q.id) for q in drill.queue())
    clock.now += dt.timedelta(days=1)
    assert len([q for q in drill.queue() if not store.attempts(q.id)]) == 5


def test_due_questions_come_before_new_ones(setup):
    """A question answered wrongly yesterday is asked before any new question today."""
    bank, store, clock = setup
    drill = Drill(bank, store, chapters=["02"], new_per_day=3)
    q = drill.queue()[0]
    drill.answer(q, wrong(q))
    clock.now += dt.timedelta(days=1)
    assert drill.queue()[0].id == q.id


def test_weeks_of_simulated_reviews(setup):
    """Over eight simulated weeks of daily drills, every question gets reviewed and the daily load falls."""
    bank, store, clock = setup
    drill = Drill(bank, store, chapters=["02"], new_per_day=10)
    load = []
    for day in range(56):
        queue = drill.queue()
        load.append(len(queue))
        for q in queue:
            drill.answer(q, right(q) if hash((q.id, day)) % 5 else wrong(q))
        clock.now += dt.timedelta(days=1)
    assert all(store.attempts(q.id) for q in drill.questions)
    assert sum(load[-7:]) < sum(load[7:14])


def test_summary_counts_the_session(setup):
    """The summary gives answered, correct, what is left and when the next review is."""
    bank, store, clock = setup
    drill = Drill(bank, store, chapters=["02"], new_per_day=4)
    qs = drill.queue()
    drill.answer(qs[0], right(qs[0]))
    drill.answer(qs[1], wrong(qs[1]))
    summary = drill.finish()
    assert (summary.answered, summary.correct, summary.wrong) == (2, 1, [qs[1].id])
    assert summary.new_left_today == 2 and summary.next_due is not None
    assert "Answered 2, correct 1" in str(summary)


def test_filters_by_tip_and_domain(setup):
    """A drill can be limited to one exam tip or one exam section."""
    bank, store, _ = setup
    assert all("T004" in q.tips for q in Drill(bank, store, tips=["T004"]).questions)
    assert all(q.domain == "pipelines" for q in Drill(bank, store, domains=["pipelines"]).questions)
    with pytest.raises(ValueError, match="no questions match"):
        Drill(bank, store, chapters=["99"])


def test_due_forecast_counts_upcoming_reviews(setup):
    """The forecast counts reviewed questions by the day they fall due."""
    bank, store, clock = setup
    drill = Drill(bank, store, chapters=["02"], new_per_day=6)
    for q in drill.queue():
        drill.answer(q, right(q))
    forecast = drill.due_forecast(days=7)
    assert sum(forecast) == 6 and len(forecast) == 7
