"""Grading: exact sets for multiple select, tolerance for numbers, clear errors for bad input."""
from __future__ import annotations

import pytest

from workbook.quiz import Option, Question, grade


def q(type_, n_correct=1, **kw):
    options = tuple(Option(f"opt {i}", f"because {i} is why", i < n_correct) for i in range(4))
    if type_ == "numeric":
        options = ()
    return Question(id="02-t", chapter="02", domain="pipelines", tips=(), type=type_, difficulty="easy",
                    source="s", stem="stem text", options=options, **kw)


def test_single_choice_right_and_wrong():
    """A single-choice response is right only when it is the correct option."""
    assert grade(q("single"), 0).correct
    result = grade(q("single"), 2)
    assert not result.correct and [o.index for o in result.wrongly_chosen] == [2]
    assert [o.index for o in result.missed] == [0]


def test_multiple_select_needs_the_exact_set():
    """Multiple select is correct only with every correct option and no wrong one."""
    question = q("multiple", n_correct=2)
    assert grade(question, {0, 1}).correct
    assert not grade(question, {0}).correct
    assert not grade(question, {0, 1, 2}).correct


def test_numeric_within_tolerance():
    """Numbers within the tolerance are right; text like '1,000' is parsed."""
    question = q("numeric", answer=1000.0, tolerance=5.0, why="explained")
    assert grade(question, "1,004").correct
    assert not grade(question, 1006).correct
    assert grade(question, 1000).explanation == "explained"


@pytest.mark.parametrize("type_, response, message", [
    ("single", None, "Choose one option"),
    ("multiple", set(), "Choose one or more"),
    ("numeric", "abc", "Enter a number"),
    ("numeric", "", "Enter a number"),
    ("single", 7, "out of range"),
])
def test_invalid_responses_explain_themselves(type_, response, message):
    """Empty or malformed answers raise ValueError with a message a learner can act on."""
    question = q(type_, answer=1.0, tolerance=0.0) if type_ == "numeric" else q(type_, n_correct=2 if type_ == "multiple" else 1)
    with pytest.raises(ValueError, match=message):
        grade(question, response)


def test_feedback_carries_every_why():
    """The grade lists every option with its why, in file order."""
    result = grade(q("single"), 1)
    assert [o.why for o in result.options] == [f"because {i} is why" for i in range(4)]
