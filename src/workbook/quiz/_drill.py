"""Drills: the questions that are due first, then new ones up to a daily limit.

Plain Python; the drill notebook and the terminal drill are thin layers over :class:`Drill`.

>>> import tempfile, pathlib
>>> from workbook.quiz import load_bank, ProgressStore
>>> store = ProgressStore(pathlib.Path(tempfile.mkdtemp()) / "p.sqlite3", learner="ada")
>>> drill = Drill(load_bank(), store, chapters=["02"], new_per_day=5)
>>> len(drill.queue())
5
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from workbook.quiz._bank import Bank, Question
from workbook.quiz._grade import Grade, grade, response_to_json
from workbook.quiz._schedule import DEFAULT_RETENTION, card_states
from workbook.quiz._store import ProgressStore

DEFAULT_NEW_PER_DAY = 20


@dataclass
class DrillSummary:
    """What a drill session did and what comes next."""

    answered: int = 0
    correct: int = 0
    due_left: int = 0
    new_left_today: int = 0
    next_due: dt.datetime | None = None
    wrong: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        when = self.next_due.strftime("%Y-%m-%d %H:%M UTC") if self.next_due else "nothing scheduled"
        return (f"Answered {self.answered}, correct {self.correct}. Still due now: {self.due_left}; "
                f"new left today: {self.new_left_today}. Next review: {when}.")


class Drill:
    """A spaced-repetition drill over a selection of the bank.

    Args:
        bank, store: the questions and the learner's progress store.
        chapters, domains, tips: restrict the drill (any question matching every given filter).
        new_per_day: how many never-seen questions to introduce per (UTC) day.
        retention: FSRS desired retention, 0.7 to 0.99 (default 0.9).
        clock: the current time; defaults to the store's clock (injectable for tests).
    """

    def __init__(
        self,
        bank: Bank,
        store: ProgressStore,
        *,
        chapters: Iterable[str] | None = None,
        domains: Iterable[str] | None = None,
        tips: Iterable[str] | None = None,
        new_per_day: int = DEFAULT_NEW_PER_DAY,
        retention: float = DEFAULT_RETENTION,
        clock=None,
    ):
        self.bank, self.store = bank, store
        self.clock = clock or store.clock
        self.retention = retention
        self.new_per_day = new_per_day
        chapters, domains, tips = (set(x) if x else None for x in (chapters, domains, tips))
        self.questions = [
            q for q in bank
            if (chapters is None or q.chapter in chapters)
            and (domains is None or q.domain in domains)
            and (tips is None or tips & set(q.tips))
        ]
        if not self.questions:
            raise ValueError(f"no questions match chapters={chapters}, domains={domains}, tips={tips}")
        self.summary = DrillSummary()

    def _introduced_today(self, now: dt.datetime) -> int:
        firsts: dict[str, dt.datetime] = {}
        for a in self.store.attempts():
            firsts.setdefault(a.question_id, a.answered_at)
        ids = {q.id for q in self.questions}
        return sum(1 for qid, t in firsts.items() if qid in ids and t.date() == now.date())

    def queue(self) -> list[Question]:
        """Questions to ask now: due ones (most overdue first), then new ones within today's limit."""
        now = self.clock()
        states = card_states(self.store, [q.id for q in self.questions], retention=self.retention, now=now)
        due = sorted((q for q in self.questions if not states[q.id].is_new and states[q.id].due <= now),
                     key=lambda q: (states[q.id].due, q.id))
        room = max(0, self.new_per_day - self._introduced_today(now))
        new = [q for q in self.questions if states[q.id].is_new][:room]
        return due + new

    def answer(self, question: Question, response: object) -> Grade:
        """Grade and record one answer (context ``drill``); updates the session summary."""
        result = grade(question, response)
        self.store.record(question.id, response_to_json(result.response), correct=result.correct,
                          context="drill", fingerprint=question.fingerprint)
        self.summary.answered += 1
        self.summary.correct += result.correct
        if not result.correct:
            self.summary.wrong.append(question.id)
        return result

    def finish(self) -> DrillSummary:
        """The session summary, with what is still due and when the next review is."""
        now = self.clock()
        states = card_states(self.store, [q.id for q in self.questions], retention=self.retention, now=now)
        queue = self.queue()
        self.summary.due_left = sum(1 for q in queue if not states[q.id].is_new)
        self.summary.new_left_today = sum(1 for q in queue if states[q.id].is_new)
        future = [s.due for s in states.values() if not s.is_new and s.due > now]
        self.summary.next_due = min(future) if future else None
        return self.summary

    def due_forecast(self, days: int = 14) -> list[int]:
        """How many reviewed questions fall due on each of the next ``days`` days (day 0 = today, incl. overdue)."""
        now = self.clock()
        states = card_states(self.store, [q.id for q in self.questions], retention=self.retention, now=now)
        counts = [0] * days
        for s in states.values():
            if s.is_new:
                continue
            offset = max(0, (s.due.date() - now.date()).days)
            if offset < days:
                counts[offset] += 1
        return counts
