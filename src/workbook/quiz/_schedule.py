"""Spaced repetition with FSRS (the ``fsrs`` package): when is each question due again?

Attempts are the source of truth. A question's card is the FSRS state reached by replaying
its attempts in order (a correct answer rates Good, a wrong one Again, as the FSRS authors
advise for quiz-style grading). The ``cards`` table of the store caches that state up to the
last replayed attempt, so answers given anywhere (chapters, drills, exams, the terminal) are
all taken into account. Fuzzing is off, so replays are exact.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import fsrs

from workbook.quiz._store import Attempt, ProgressStore

DEFAULT_RETENTION = 0.9


@dataclass(frozen=True)
class CardState:
    """The schedule of one question for one learner."""

    question_id: str
    card: fsrs.Card
    reviews: int

    @property
    def due(self) -> dt.datetime:
        return self.card.due

    @property
    def is_new(self) -> bool:
        return self.reviews == 0


def make_scheduler(retention: float = DEFAULT_RETENTION) -> fsrs.Scheduler:
    """An FSRS-6 scheduler aiming at ``retention`` (probability of recall when a card is due)."""
    if not 0.7 <= retention <= 0.99:
        raise ValueError(f"desired retention should be between 0.7 and 0.99, not {retention}")
    return fsrs.Scheduler(desired_retention=retention, enable_fuzzing=False)


def rating(correct: bool) -> fsrs.Rating:
    """Quiz grading: correct → Good, wrong → Again."""
    return fsrs.Rating.Good if correct else fsrs.Rating.Again


def _new_card(question_id: str) -> fsrs.Card:
    # A stable card id derived from the question id (fsrs would otherwise use the clock).
    return fsrs.Card(card_id=int.from_bytes(question_id.encode()[:6].ljust(6, b"\0"), "big"))


def card_states(
    store: ProgressStore,
    question_ids: list[str],
    *,
    retention: float = DEFAULT_RETENTION,
    now: dt.datetime | None = None,
) -> dict[str, CardState]:
    """The FSRS state of each question, replaying attempts newer than the cached state.

    A question never answered is new and due ``now``.
    """
    now = now or store.clock()
    scheduler = make_scheduler(retention)
    conn = store.connection()
    cached = {
        qid: (json.loads(card), last, reviews)
        for qid, card, last, reviews in conn.execute(
            "SELECT c.question_id, c.card, c.last_attempt_id,"
            " (SELECT count(*) FROM attempts a WHERE a.learner = c.learner AND a.question_id = c.question_id"
            "  AND a.id <= c.last_attempt_id)"
            " FROM cards c WHERE c.learner = ? AND c.retention = ?",
            (store.learner, retention),
        )
    }
    wanted = set(question_ids)
    newer: dict[str, list[Attempt]] = {}
    for a in store.attempts():
        if a.question_id in wanted and a.id > cached.get(a.question_id, (None, 0, 0))[1]:
            newer.setdefault(a.question_id, []).append(a)
    states, updates = {}, []
    for qid in question_ids:
        if qid in cached:
            data, last_id, reviews = cached[qid]
            card = fsrs.Card.from_dict(data)
        else:
            card, last_id, reviews = _new_card(qid), 0, 0
        for a in newer.get(qid, []):
            card, _ = scheduler.review_card(card, rating(a.correct), review_datetime=a.answered_at)
            last_id, reviews = a.id, reviews + 1
        if newer.get(qid):
            updates.append((store.learner, qid, json.dumps(card.to_dict()), card.due.isoformat(), retention, last_id))
        states[qid] = CardState(qid, card if reviews else _due_now(card, now), reviews)
    if updates:
        conn.executemany(
            "INSERT OR REPLACE INTO cards (learner, question_id, card, due, retention, last_attempt_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            updates,
        )
    return states


def _due_now(card: fsrs.Card, now: dt.datetime) -> fsrs.Card:
    card.due = now
    return card
