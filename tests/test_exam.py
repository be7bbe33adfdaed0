"""Mock exams: stratified draws, answers and flags as events, timer expiry, resume, results."""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest

from workbook.quiz import MockExam, ProgressStore, draw_exam
from workbook.quiz._bank import Bank
from workbook.quiz._exam import _largest_remainder

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def synthetic_bank(bank, per_domain):
    """A bank with `per_domain[d]` copies of a question in each exam section."""
    template = next(q for q in bank if q.type == "single")
    qs = [dataclasses.replace(template, **{"id": f"{n:02d}-{d}-{i}", "domain": d, "chapter": f"{n:02d}"})
          for n, (d, k) in enumerate(per_domain.items(), 1) for i in range(k)]
    return Bank(qs, bank.blueprint, bank.tips)


@pytest.fixture
def big(bank):
    return synthetic_bank(bank, {d.id: 60 for d in bank.blueprint.domains})


def test_largest_remainder_sums_exactly():
    """Shares add up to the total and follow the weights."""
    shares = _largest_remainder({"a": 13, "b": 14, "c": 18, "d": 20, "e": 22, "f": 13}, 50)
    assert sum(shares.values()) == 50 and shares == {"a": 7, "b": 7, "c": 9, "d": 10, "e": 11, "f": 6}  # a and f tie (6.5): by name


def test_draw_matches_blueprint_over_many_draws(big):
    """Over many seeded draws each section's share is within one question of its weight."""
    weights = {d.id: d.weight / 100 for d in big.blueprint.domains}
    totals = Counter()
    for seed in range(200):
        questions, report = draw_exam(big, 50, seed)
        assert len({q.id for q in questions}) == 50
        assert not report.messages
        totals.update(q.domain for q in questions)
    for d, w in weights.items():
        assert abs(totals[d] / 200 - 50 * w) <= 1.0


def test_small_section_is_reported_and_filled_elsewhere(bank):
    """A section with too few questions gives what it has, says so, and others fill the gap."""
    sizes = {d.id: 60 for d in bank.blueprint.domains} | {"low-code": 2}
    questions, report = draw_exam(synthetic_bank(bank, sizes), 50, 0)
    assert len(questions) == 50 and report.drawn["low-code"] == 2
    assert any("'low-code'" in m and "only 2" in m for m in report.messages)


def test_tiny_bank_gives_a_short_exam(bank):
    """A bank smaller than the exam is used whole (its exam-type questions), with a message."""
    tiny = Bank(list(bank)[:40], bank.blueprint, bank.tips)  # real questions of every type
    questions, report = draw_exam(tiny, 50, 0)
    assert len(questions) == sum(q.type in ("single", "multiple") for q in tiny) < 40
    assert any("instead of 50" in m for m in report.messages)


def test_only_exam_question_types_are_drawn(bank):
    """Like the real exam, a mock exam has only multiple choice and multiple select questions."""
    questions, _ = draw_exam(bank, 50, 0)
    assert {q.type for q in questions} == {"single", "multiple"}


@pytest.fixture
def exam_setup(big, tmp_path):
    clock = Clock()
    store = ProgressStore(tmp_path / "p.sqlite3", learner="ada", clock=clock)
    exam, _ = MockExam.start(big, store, n=10, minutes=30, seed=7)
    return big, store, clock, exam


def test_answers_and_flags_survive_a_restart(exam_setup):
    """Reloading an exam from the store restores answers, flags and the clock."""
    bank, store, clock, exam = exam_setup
    q0, q1 = exam.questions[:2]
    exam.answer(q0.id, 0)
    exam.answer(q1.id, 1)
    exam.answer(q1.id, None)  # cleared again
    exam.flag(q0.id)
    clock.now += dt.timedelta(minutes=5)
    assert MockExam.unfinished(store) == [exam.exam_id]
    again = MockExam.load(bank, ProgressStore(store.path, learner="ada", clock=clock), exam.exam_id)
    assert again.answers == {q0.id: 0} and again.flagged == {q0.id}
    assert again.remaining() == dt.timedelta(minutes=25)


def test_timer_expiry_submits_automatically(exam_setup):
    """When time is up the exam is submitted at the deadline and no more answers are taken."""
    bank, store, clock, exam = exam_setup
    exam.answer(exam.questions[0].id, 0)
    clock.now += dt.timedelta(minutes=31)
    assert exam.check_time() and exam.submitted_at == exam.deadline
    assert exam.result().timed_out and MockExam.unfinished(store) == []
    with pytest.raises(RuntimeError, match="submitted"):
        exam.answer(exam.questions[1].id, 0)


def test_results_per_domain_and_attempts_recorded(exam_setup):
    """Submitting scores each section and records an attempt for every answered question."""
    bank, store, clock, exam = exam_setup
    for q in exam.questions[:6]:
        exam.answer(q.id, min(q.correct_indices))
    result = exam.submit()
    assert result.correct == 6 and result.score == 0.6
    assert sum(t for _, t in result.by_domain.values()) == 10
    assert len(store.attempts()) == 6 and store.attempts()[0].context == f"mock exam {exam.exam_id}"
    assert result.readiness.startswith("Not yet")


def test_resume_after_deadline_submits_on_load(exam_setup):
    """An exam reopened after its deadline is submitted (at the deadline) when next touched."""
    bank, store, clock, exam = exam_setup
    clock.now += dt.timedelta(hours=3)
    again = MockExam.load(bank, store, exam.exam_id)
    assert again.check_time() and again.submitted_at == again.deadline
