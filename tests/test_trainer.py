"""The drill and mock-exam widgets, driven headlessly with an injected clock."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from workbook.quiz import Drill, MockExam, ProgressStore
from workbook.quiz._bank import Bank
from workbook.quiz._trainer import DrillApp, ExamLauncher

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self):
        self.now = T0

    def __call__(self):
        return self.now


def right(q):
    if q.type == "numeric":
        return str(q.answer)
    return set(q.correct_indices) if q.type == "multiple" else min(q.correct_indices)


@pytest.fixture
def env(bank, tmp_path):
    clock = Clock()
    return bank, ProgressStore(tmp_path / "p.sqlite3", learner="ada", clock=clock), clock


@pytest.fixture
def exam_bank(bank):
    """Every chapter-02 question copied into each exam section, so a 50-question exam can be drawn."""
    qs = [dataclasses.replace(q, id=f"{q.id}-{d.id}", domain=d.id) for d in bank.blueprint.domains for q in bank]
    return Bank(qs, bank.blueprint, bank.tips)


def test_drill_app_walks_the_queue_and_summarises(env):
    """Answer, Next, ... then the summary lists what was answered and what comes back soon."""
    bank, store, clock = env
    app = DrillApp(Drill(bank, store, chapters=["02"], new_per_day=3))
    assert "question 1 of 3" in app.header.value
    for _ in range(3):
        app.card.input.value = right(app.card.question)
        app.card.submit_button.click()
        assert "Correct" in app.card.feedback.value
        app.next_button.click()
    assert "Drill finished" in app.header.value and "Answered 3, correct 3" in app.body.children[0].value
    assert [a.context for a in store.attempts()] == ["drill"] * 3


def test_exam_navigation_flag_and_review(exam_bank, env):
    """Next/Previous move through the exam, Flag marks a question, Review lists unanswered and flagged."""
    _, store, clock = env
    launcher = ExamLauncher(exam_bank, store, n=50, minutes=120, seed=3)
    app = launcher.start()
    assert "Question 1 of 50" in app.status.value and "2:00:00" in app.clock_label.value
    first = app.exam.questions[0]
    app.inputs[first.id].value = right(first)
    app.buttons["flag"].value = True
    app.buttons["next"].click()
    assert "Question 2 of 50 · answered 1 · flagged 1" in app.status.value
    app.buttons["previous"].click()
    assert app.index == 0 and app.buttons["flag"].value is True
    app.buttons["review"].click()
    review = app.body.children[0]
    assert "Unanswered</b>: 49" in review.children[0].children[0].value
    assert "Flagged</b>: 1" in review.children[1].children[0].value
    review.children[1].children[1].children[0].click()  # "go to question 1"
    assert app.index == 0


def test_timer_expiry_auto_submits_and_shows_results(exam_bank, env):
    """When the injected clock passes the deadline, the next tick submits and shows the results."""
    _, store, clock = env
    app = ExamLauncher(exam_bank, store, n=50, minutes=120, seed=3).start()
    q = app.exam.questions[0]
    app.inputs[q.id].value = right(q)
    clock.now += dt.timedelta(minutes=119, seconds=59)
    app.tick()
    assert "0:00:01" in app.clock_label.value
    clock.now += dt.timedelta(seconds=2)
    app.tick()
    assert "Time is up" in app.clock_label.value and app.exam.submitted_at == app.exam.deadline
    results = app.body.children[0].value
    assert "Score: 1 of 50" in results and "Unofficial readiness guide" in results
    assert all(b.disabled for b in app.buttons.values())
    assert len(app.body.children) == 51  # the results, then every question reviewed with explanations


def test_resume_after_restart(exam_bank, env):
    """A new launcher (as after a kernel restart) offers to resume and restores the answers."""
    _, store, clock = env
    app = ExamLauncher(exam_bank, store, n=50, minutes=120, seed=3).start()
    q = app.exam.questions[4]
    app.go(4)
    app.inputs[q.id].value = right(q)
    clock.now += dt.timedelta(minutes=30)
    fresh_store = ProgressStore(store.path, learner="ada", clock=clock)
    launcher = ExamLauncher(exam_bank, fresh_store, n=50, minutes=120)
    assert launcher.resume_button is not None and "1:30:00 left" in launcher.resume_button.description
    launcher.resume_button.click()
    resumed = launcher.app
    resumed.go(4)
    assert resumed.inputs[q.id].value == right(q) or resumed.inputs[q.id].value == float(right(q))
    assert "answered 1" in resumed.status.value


def test_submit_records_attempts_and_per_section_scores(exam_bank, env):
    """Submitting grades every section and appends one attempt per answered question."""
    _, store, clock = env
    app = ExamLauncher(exam_bank, store, n=50, minutes=120, seed=3).start()
    for i, q in enumerate(app.exam.questions[:10]):
        app.go(i)
        app.inputs[q.id].value = right(q)
    result = app.submit()
    assert result.correct == 10 and len(store.attempts()) == 10
    assert "Score: 10 of 50 (20%)" in app.body.children[0].value
    assert MockExam.unfinished(store) == []


def test_countdown_starts_when_the_browser_shows_it(exam_bank, env):
    """The Play ticker starts only once a view exists (a Play started earlier never ticks in the browser)."""
    _, store, clock = env
    app = ExamLauncher(exam_bank, store, n=50, minutes=120, seed=3).start()
    assert app.ticker.playing is False and app.ticker._view_count == 0
    app.ticker._view_count = 1  # what the front end reports when it renders the widget
    assert app.ticker.playing is True
    clock.now += dt.timedelta(seconds=5)
    app.ticker.value += 1  # a tick from the browser
    assert "1:59:55" in app.clock_label.value
