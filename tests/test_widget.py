"""The "check yourself" widget, driven headlessly: choose, submit, read feedback, retry."""
from __future__ import annotations

import ipywidgets as widgets
import pytest

from workbook.quiz import QuestionCard, QuizSet, ask
from workbook.quiz._widget import option_order


def first_of(bank, type_):
    return next(q for q in bank if q.type == type_)


def test_correct_single_choice_is_recorded(bank, store):
    """Choosing the right option and clicking Submit shows ✔, every why, and stores the attempt."""
    q = first_of(bank, "single")
    card = QuestionCard(q, store=store, context="chapter 02")
    assert isinstance(card.answer, widgets.RadioButtons) and card.answer.value is None
    card.answer.value = min(q.correct_indices)
    card.submit_button.click()
    assert "Correct" in card.feedback.value
    for option in q.options:
        assert option.why.split()[0] in card.feedback.value
    [attempt] = store.attempts(q.id)
    assert attempt.correct and attempt.response == min(q.correct_indices)
    assert attempt.context == "chapter 02" and attempt.fingerprint == q.fingerprint
    assert card.submit_button.disabled and card.answer.disabled


def test_wrong_answer_then_retry(bank, store):
    """A wrong answer says so and marks the choice; Retry clears it; both attempts are kept."""
    q = first_of(bank, "single")
    card = QuestionCard(q, store=store)
    wrong = next(i for i in range(len(q.options)) if i not in q.correct_indices)
    card.answer.value = wrong
    card.submit_button.click()
    assert "Not quite" in card.feedback.value and "(your choice)" in card.feedback.value
    card.retry_button.click()
    assert card.answer.value is None and card.feedback.value == "" and not card.submit_button.disabled
    card.answer.value = min(q.correct_indices)
    card.submit_button.click()
    assert [a.correct for a in store.attempts(q.id)] == [False, True]


def test_multiple_select_uses_checkboxes(bank, store):
    """Multiple select shows one checkbox per option and needs the exact set."""
    q = first_of(bank, "multiple")
    card = QuestionCard(q, store=store)
    for box in card.answer.children:
        box.value = box.option_index in q.correct_indices
    card.submit_button.click()
    assert card.last_grade.correct
    assert sorted(store.attempts(q.id)[0].response) == sorted(q.correct_indices)


def test_numeric_answer_and_bad_input(bank, store):
    """A numeric answer is typed; text that is not a number gets a hint and is not recorded."""
    q = first_of(bank, "numeric")
    card = QuestionCard(q, store=store)
    card.answer.value = "lots"
    card.submit_button.click()
    assert "Enter a number" in card.feedback.value and store.attempts() == []
    card.answer.value = str(q.answer)
    card.submit_button.click()
    assert card.last_grade.correct and "Correct" in card.feedback.value


def test_submit_without_choice_asks_for_one(bank, store):
    """Submitting with nothing chosen asks for a choice and records nothing."""
    card = QuestionCard(first_of(bank, "single"), store=store)
    card.submit_button.click()
    assert "Choose one option" in card.feedback.value and store.attempts() == []


def test_option_order_is_shuffled_but_stable_per_learner(bank):
    """Each learner sees a fixed shuffled order; another learner may see another order."""
    qs = [q for q in bank if q.type in ("single", "multiple")]
    orders_ada = [option_order(q, "ada") for q in qs]
    assert orders_ada == [option_order(q, "ada") for q in qs]
    assert orders_ada != [option_order(q, "bob") for q in qs]
    assert any(o != sorted(o) for o in orders_ada)


def test_true_false_keeps_true_first(bank):
    """True/false questions always show True before False."""
    q = first_of(bank, "true_false")
    assert option_order(q, "anyone") == [0, 1]


def test_quiz_set_keeps_score(bank, store):
    """A set of questions updates its score line after each submission."""
    qs = bank.select(chapter="02")[:2]
    quiz = ask(*(q.id for q in qs), bank=bank, store=store)
    assert isinstance(quiz, QuizSet) and "0 of 2" in quiz.score.value
    card = quiz.cards[0]
    if card.question.type == "multiple":
        for box in card.answer.children:
            box.value = box.option_index in card.question.correct_indices
    elif card.question.type == "numeric":
        card.answer.value = str(card.question.answer)
    else:
        card.answer.value = min(card.question.correct_indices)
    card.submit_button.click()
    assert "1 of 2 correct (1 answered)" in quiz.score.value


def test_ask_by_chapter_and_unknown_id(bank, store):
    """ask(chapter=...) shows every question of a chapter; an unknown id raises KeyError."""
    assert len(ask(chapter="02", bank=bank, store=store).cards) == len(bank.select(chapter="02"))
    with pytest.raises(KeyError):
        ask("02-does-not-exist", bank=bank, store=store)


def test_markdown_code_in_stem_is_rendered(bank):
    """Stems are rendered from Markdown (inline code becomes <code>)."""
    q = next((q for q in bank if "`" in q.stem), None)
    if q is None:
        pytest.skip("no question with code in the bank")
    assert "<code>" in QuestionCard(q, store=None, learner="ada").stem.value
