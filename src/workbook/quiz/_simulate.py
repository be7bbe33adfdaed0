"""Synthetic learners: weeks of drills simulated in milliseconds, for demos, tests and benchmarks."""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from workbook.quiz._bank import Bank, Question
from workbook.quiz._drill import Drill
from workbook.quiz._store import ProgressStore

START = dt.datetime(2027, 1, 4, 18, 0, tzinfo=dt.timezone.utc)
_DIFFICULTY = {"easy": 0.15, "medium": 0.0, "hard": -0.2}


class SimulatedClock:
    """A clock the simulation moves forward."""

    def __init__(self, start: dt.datetime = START):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _response(q: Question, correct: bool, rng: random.Random) -> object:
    if q.type == "numeric":
        return q.answer if correct else q.answer + q.tolerance + rng.choice([1, 10, 100])
    wrong = [i for i in range(len(q.options)) if i not in q.correct_indices]
    if q.type == "multiple":
        return set(q.correct_indices) if correct else {rng.choice(wrong)} | set(list(q.correct_indices)[:1])
    return min(q.correct_indices) if correct else rng.choice(wrong)


def simulate_learner(bank: Bank, path: Path | str, *, learner: str = "sim", days: int = 21, skill: float = 0.65,
                     new_per_day: int = 10, seed: int = 0, weak_domain: str | None = None,
                     start: dt.datetime = START) -> ProgressStore:
    """Drill every day for ``days`` days as a learner of the given ``skill`` (0 to 1).

    The chance of a right answer grows with skill and with earlier right answers, falls for
    hard questions and in ``weak_domain``. Returns the learner's store (its clock at the end).
    """
    rng = random.Random(seed)
    clock = SimulatedClock(start)
    store = ProgressStore(path, learner=learner, clock=clock)
    drill = Drill(bank, store, new_per_day=new_per_day, clock=clock)
    seen: dict[str, int] = {}
    for _ in range(days):
        for q in drill.queue():
            p = skill + _DIFFICULTY[q.difficulty] + 0.08 * seen.get(q.id, 0) - (0.25 if q.domain == weak_domain else 0)
            correct = rng.random() < min(0.97, max(0.05, p))
            drill.answer(q, _response(q, correct, rng))
            seen[q.id] = seen.get(q.id, 0) + correct
            clock.now += dt.timedelta(seconds=rng.randint(20, 90))
        clock.now = clock.now.replace(hour=18, minute=0, second=0) + dt.timedelta(days=1)
    return store
