"""FSRS scheduling from attempts: weeks of reviews simulated with an injected clock."""
from __future__ import annotations

import datetime as dt

import pytest

from workbook.quiz import ProgressStore, card_states
from workbook.quiz._schedule import make_scheduler

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A settable clock for tests."""

    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clocked(tmp_path):
    clock = Clock()
    return ProgressStore(tmp_path / "p.sqlite3", learner="ada", clock=clock), clock


def test_new_question_is_due_now(clocked):
    """A question never answered is new and due immediately."""
    store, clock = clocked
    state = card_states(store, ["02-a"])["02-a"]
    assert state.is_new and state.due == clock.now


def test_intervals_grow_with_correct_answers_over_weeks(clocked):
    """Answering correctly whenever due pushes the next review further out each time."""
    store, clock = clocked
    gaps = []
    for _ in range(6):
        store.record("02-a", 1, correct=True)
        due = card_states(store, ["02-a"])["02-a"].due
        gaps.append(due - clock.now)
        clock.now = due
    assert gaps == sorted(gaps) and gaps[-1] > dt.timedelta(days=20)


def test_wrong_answer_brings_the_card_back_soon(clocked):
    """A wrong answer on a well-known card makes it due again within the day (relearning)."""
    store, clock = clocked
    for _ in range(4):
        store.record("02-a", 1, correct=True)
        clock.now = card_states(store, ["02-a"])["02-a"].due
    store.record("02-a", 0, correct=False)
    assert card_states(store, ["02-a"])["02-a"].due - clock.now <= dt.timedelta(hours=1)


def test_cache_equals_full_replay(clocked, tmp_path):
    """The cached card state equals a replay of all attempts from scratch."""
    store, clock = clocked
    for i in range(5):
        store.record("02-a", 1, correct=i != 2)
        card_states(store, ["02-a"])  # updates the cache step by step
        clock.now += dt.timedelta(days=3)
    cached = card_states(store, ["02-a"])["02-a"]
    store.connection().execute("DELETE FROM cards")
    replayed = card_states(store, ["02-a"])["02-a"]
    assert (cached.due, cached.card.stability, cached.reviews) == (replayed.due, replayed.card.stability, 5)


def test_higher_retention_schedules_sooner(clocked):
    """Asking for 95 % retention gives shorter intervals than 80 %."""
    store, clock = clocked
    for _ in range(3):
        store.record("02-a", 1, correct=True)
        clock.now += dt.timedelta(days=2)
    high = card_states(store, ["02-a"], retention=0.95)["02-a"].due
    low = card_states(store, ["02-a"], retention=0.80)["02-a"].due
    assert high < low


def test_retention_out_of_range_is_refused():
    """A desired retention outside 0.7–0.99 is refused with a message."""
    with pytest.raises(ValueError, match="between 0.7 and 0.99"):
        make_scheduler(0.5)
