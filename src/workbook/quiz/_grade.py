"""Grade a response to a question: plain Python, no widgets.

A response is an option index (``single``, ``true_false``), a set of option indices
(``multiple``) or a number (``numeric``); indices always refer to the file's option order.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from workbook.quiz._bank import Question

Response = int | frozenset[int] | float


@dataclass(frozen=True)
class OptionFeedback:
    """How one option relates to the response."""

    index: int
    text: str
    correct: bool
    chosen: bool
    why: str


@dataclass(frozen=True)
class Grade:
    """The result of grading one response."""

    question_id: str
    correct: bool
    response: Response
    options: tuple[OptionFeedback, ...]
    explanation: str = ""

    @property
    def missed(self) -> list[OptionFeedback]:
        """Correct options the learner did not choose."""
        return [o for o in self.options if o.correct and not o.chosen]

    @property
    def wrongly_chosen(self) -> list[OptionFeedback]:
        """Wrong options the learner chose."""
        return [o for o in self.options if o.chosen and not o.correct]


def normalize_response(question: Question, response: object) -> Response:
    """Check a raw response and return it in canonical form.

    Raises:
        ValueError: with a message a learner can act on ("Choose one option.").
    """
    if question.type == "numeric":
        if isinstance(response, str):
            response = response.strip().replace(",", "")
            if not response:
                raise ValueError("Enter a number.")
        try:
            value = float(response)
        except (TypeError, ValueError):
            raise ValueError(f"Enter a number, for example 2.5 (got {response!r}).") from None
        if not math.isfinite(value):
            raise ValueError("Enter a finite number.")
        return value
    n = len(question.options)
    if question.type == "multiple":
        if response is None or isinstance(response, (int, str)):
            raise ValueError("Choose one or more options.")
        chosen = frozenset(int(i) for i in response)  # type: ignore[union-attr]
        if not chosen:
            raise ValueError("Choose one or more options.")
    else:
        if response is None or isinstance(response, (set, frozenset, list, tuple)):
            raise ValueError("Choose one option.")
        chosen = frozenset([int(response)])  # type: ignore[arg-type]
    if not all(0 <= i < n for i in chosen):
        raise ValueError(f"Option index out of range 0..{n - 1}: {sorted(chosen)}")
    return chosen if question.type == "multiple" else next(iter(chosen))


def grade(question: Question, response: object) -> Grade:
    """Grade ``response`` to ``question``; multiple-select needs exactly the correct set.

    >>> from workbook.quiz import load_bank
    >>> q = load_bank().select(chapter="02")[0]
    >>> grade(q, min(q.correct_indices) if q.type != "multiple" else q.correct_indices).correct
    True
    """
    value = normalize_response(question, response)
    if question.type == "numeric":
        correct = abs(value - question.answer) <= question.tolerance + 1e-12
        return Grade(question.id, correct, value, (), question.why)
    chosen = value if isinstance(value, frozenset) else frozenset([value])
    feedback = tuple(
        OptionFeedback(i, o.text, o.correct, i in chosen, o.why) for i, o in enumerate(question.options)
    )
    return Grade(question.id, chosen == question.correct_indices, value, feedback)


def response_to_json(response: Response) -> object:
    """A JSON-friendly form of a canonical response (sets become sorted lists)."""
    return sorted(response) if isinstance(response, frozenset) else response


def response_from_json(question: Question, data: object) -> Response:
    """Inverse of :func:`response_to_json`."""
    if question.type == "multiple" and isinstance(data, Iterable):
        return frozenset(data)
    return normalize_response(question, data)
