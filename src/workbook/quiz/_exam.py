"""Timed mock exams in the format of the real one: drawn per the blueprint, stored as events.

An exam is a row of ``exams`` (its questions, seed, duration, start) plus an append-only log
of ``exam_events`` (answer, clear, flag, unflag, submit). Its state is the fold of that log, so
an exam survives a kernel restart and nothing the candidate did is lost.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field

from workbook.quiz._bank import Bank, Blueprint, Question
from workbook.quiz._grade import Grade, grade, normalize_response, response_from_json, response_to_json
from workbook.quiz._store import ProgressStore

EXAM_QUESTIONS = 50
EXAM_MINUTES = 120
EXAM_TYPES = ("single", "multiple")  # the real exam has multiple choice and multiple select only
READINESS_NOTE = (
    "Unofficial readiness guide. Google reports only pass or fail and publishes no passing score; "
    "this is our rule of thumb from mock scores, not a prediction of your result."
)


@dataclass(frozen=True)
class DrawReport:
    """Per exam section: the blueprint's target, what the bank holds, and what was drawn."""

    target: dict[str, int]
    available: dict[str, int]
    drawn: dict[str, int]

    @property
    def messages(self) -> list[str]:
        """A sentence for each section the bank could not fill, and for a short exam."""
        out = [f"Section '{d}': the blueprint asks for {t} question{'s' * (t != 1)}, but the bank has "
               + (f"only {self.available[d]} (all used)" if self.available[d] else "none yet")
               + "; other sections fill the gap."
               for d, t in self.target.items() if self.available[d] < t]
        wanted, got = sum(self.target.values()), sum(self.drawn.values())
        if got < wanted:
            out.append(f"The bank holds only {got} questions, so this exam has {got} instead of {wanted}.")
        return out


def _largest_remainder(weights: dict[str, float], total: int) -> dict[str, int]:
    """Integer shares of ``total`` proportional to ``weights`` (Hamilton's method, ties by name)."""
    s = sum(weights.values())
    if total <= 0 or s <= 0:
        return {k: 0 for k in weights}
    exact = {k: total * w / s for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: (-(exact[k] - shares[k]), k))[: total - sum(shares.values())]:
        shares[k] += 1
    return shares


def draw_exam(bank: Bank, n: int = EXAM_QUESTIONS, seed: int = 0, blueprint: Blueprint | None = None,
              types: tuple[str, ...] = EXAM_TYPES) -> tuple[list[Question], DrawReport]:
    """Draw ``n`` distinct questions of the exam's ``types`` stratified by the blueprint's weights.

    A section with too few questions gives all it has; the gap is shared among the other
    sections by weight. The order is shuffled, as sections are mixed in the real exam.
    """
    blueprint = blueprint or bank.blueprint
    rng = random.Random(seed)
    pools = {d.id: [q for q in bank if q.domain == d.id and q.type in types] for d in blueprint.domains}
    weights = {d.id: d.weight for d in blueprint.domains}
    target = _largest_remainder(weights, n)
    drawn = {d: 0 for d in pools}
    remaining, open_ = n, dict(weights)
    while remaining > 0 and open_:
        share = _largest_remainder(open_, remaining)
        for d in list(open_):
            take = min(share[d], len(pools[d]) - drawn[d])
            drawn[d] += take
            remaining -= take
            if drawn[d] == len(pools[d]):
                del open_[d]
        if all(share[d] == 0 for d in open_):
            break
    chosen = [q for d, pool in pools.items() for q in rng.sample(pool, drawn[d])]
    rng.shuffle(chosen)
    return chosen, DrawReport(target, {d: len(p) for d, p in pools.items()}, drawn)


@dataclass
class ExamResult:
    """The outcome of a submitted exam."""

    exam_id: int
    grades: list[Grade | None]  # None: not answered
    questions: list[Question]
    by_domain: dict[str, tuple[int, int]]  # section id -> (correct, total)
    timed_out: bool = False

    @property
    def correct(self) -> int:
        return sum(1 for g in self.grades if g is not None and g.correct)

    @property
    def score(self) -> float:
        return self.correct / len(self.questions) if self.questions else 0.0

    @property
    def readiness(self) -> str:
        """A plain-words verdict from the overall and weakest-section scores (unofficial)."""
        weakest = min((c / t for c, t in self.by_domain.values() if t), default=0.0)
        if self.score >= 0.8 and weakest >= 0.7:
            return "On track: keep drilling your weakest section and sit another mock exam."
        if self.score >= 0.7:
            return "Close: study the sections below 70 % before booking the exam."
        return "Not yet: work through the chapters of your weakest sections and drill them first."


@dataclass
class MockExam:
    """A mock exam in progress or finished, rebuilt from the store's events."""

    bank: Bank
    store: ProgressStore
    exam_id: int
    questions: list[Question]
    started_at: dt.datetime
    duration: dt.timedelta
    answers: dict[str, object] = field(default_factory=dict)
    flagged: set[str] = field(default_factory=set)
    submitted_at: dt.datetime | None = None
    missing: list[str] = field(default_factory=list)  # ids no longer in the bank

    # -- life cycle -----------------------------------------------------------------
    @classmethod
    def start(cls, bank: Bank, store: ProgressStore, *, n: int = EXAM_QUESTIONS, minutes: int = EXAM_MINUTES,
              seed: int | None = None) -> tuple["MockExam", DrawReport]:
        """Draw and store a new exam; its clock starts now."""
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        questions, report = draw_exam(bank, n, seed)
        now = store.clock()
        cur = store.connection().execute(
            "INSERT INTO exams (learner, question_ids, duration_s, seed, blueprint_version, started_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (store.learner, json.dumps([q.id for q in questions]), minutes * 60, seed, bank.blueprint.version,
             now.isoformat()),
        )
        return cls(bank, store, cur.lastrowid, questions, now, dt.timedelta(minutes=minutes)), report

    @classmethod
    def load(cls, bank: Bank, store: ProgressStore, exam_id: int) -> "MockExam":
        """Rebuild an exam from the store (its answers, flags and whether it was submitted)."""
        conn = store.connection()
        row = conn.execute("SELECT question_ids, duration_s, started_at FROM exams WHERE id = ? AND learner = ?",
                           (exam_id, store.learner)).fetchone()
        if row is None:
            raise KeyError(f"no exam {exam_id} for learner {store.learner!r}")
        ids = json.loads(row[0])
        exam = cls(bank, store, exam_id, [bank.get(i) for i in ids if i in bank],
                   dt.datetime.fromisoformat(row[2]), dt.timedelta(seconds=row[1]),
                   missing=[i for i in ids if i not in bank])
        by_id = {q.id: q for q in exam.questions}
        for kind, qid, payload, at in conn.execute(
                "SELECT kind, question_id, payload, at FROM exam_events WHERE exam_id = ? ORDER BY id", (exam_id,)):
            if kind == "answer" and qid in by_id:
                exam.answers[qid] = response_from_json(by_id[qid], json.loads(payload))
            elif kind == "clear":
                exam.answers.pop(qid, None)
            elif kind == "flag":
                exam.flagged.add(qid)
            elif kind == "unflag":
                exam.flagged.discard(qid)
            elif kind == "submit":
                exam.submitted_at = dt.datetime.fromisoformat(at)
        return exam

    @staticmethod
    def unfinished(store: ProgressStore) -> list[int]:
        """Ids of this learner's exams that were started and never submitted, newest first."""
        rows = store.connection().execute(
            "SELECT id FROM exams e WHERE learner = ? AND NOT EXISTS"
            " (SELECT 1 FROM exam_events v WHERE v.exam_id = e.id AND v.kind = 'submit') ORDER BY id DESC",
            (store.learner,),
        )
        return [r[0] for r in rows]

    # -- actions --------------------------------------------------------------------
    def _event(self, kind: str, question_id: str | None = None, payload: object = None,
               at: dt.datetime | None = None) -> None:
        if self.submitted_at is not None:
            raise RuntimeError("this exam was submitted; start a new one to keep practising")
        self.store.connection().execute(
            "INSERT INTO exam_events (exam_id, kind, question_id, payload, at) VALUES (?, ?, ?, ?, ?)",
            (self.exam_id, kind, question_id, None if payload is None else json.dumps(payload),
             (at or self.store.clock()).isoformat()),
        )

    def answer(self, question_id: str, response: object) -> None:
        """Record (or with ``None``/empty, clear) the answer to one question."""
        self.check_time()
        q = self.bank.get(question_id)
        if response is None or response == "" or (isinstance(response, (set, frozenset, list)) and not response):
            if question_id in self.answers:
                self._event("clear", question_id)
                self.answers.pop(question_id)
            return
        value = normalize_response(q, response)
        self._event("answer", question_id, response_to_json(value))
        self.answers[question_id] = value

    def flag(self, question_id: str, flagged: bool = True) -> None:
        """Mark a question for review (or unmark it)."""
        self.check_time()
        if flagged != (question_id in self.flagged):
            self._event("flag" if flagged else "unflag", question_id)
            (self.flagged.add if flagged else self.flagged.discard)(question_id)

    @property
    def deadline(self) -> dt.datetime:
        return self.started_at + self.duration

    def remaining(self) -> dt.timedelta:
        """Time left (zero once the deadline has passed)."""
        return max(dt.timedelta(0), self.deadline - self.store.clock())

    @property
    def unanswered(self) -> list[str]:
        return [q.id for q in self.questions if q.id not in self.answers]

    def check_time(self) -> bool:
        """Submit automatically once time is up; True if the exam is (now) over."""
        if self.submitted_at is None and self.store.clock() >= self.deadline:
            self.submit(at=self.deadline)
        return self.submitted_at is not None

    def submit(self, at: dt.datetime | None = None) -> ExamResult:
        """End the exam: grade it and record an attempt for every answered question."""
        if self.submitted_at is None:
            at = at or self.store.clock()
            self._event("submit", at=at)
            self.submitted_at = at
            for q in self.questions:
                if q.id in self.answers:
                    g = grade(q, self.answers[q.id])
                    self.store.record(q.id, response_to_json(g.response), correct=g.correct,
                                      context=f"mock exam {self.exam_id}", fingerprint=q.fingerprint)
        return self.result()

    def result(self) -> ExamResult:
        """The graded exam (answers so far if not submitted yet)."""
        grades = [grade(q, self.answers[q.id]) if q.id in self.answers else None for q in self.questions]
        by_domain: dict[str, tuple[int, int]] = {}
        for q, g in zip(self.questions, grades):
            c, t = by_domain.get(q.domain, (0, 0))
            by_domain[q.domain] = (c + bool(g and g.correct), t + 1)
        timed_out = self.submitted_at is not None and self.submitted_at >= self.deadline
        return ExamResult(self.exam_id, grades, self.questions, by_domain, timed_out)
