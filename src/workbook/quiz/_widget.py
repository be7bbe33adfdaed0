"""The "check yourself" widget: one question or a short set, inside any notebook.

Choose, submit, read why every option is right or wrong, retry. Radio buttons, check boxes,
text fields and buttons are native controls, so Tab, arrows and Space/Enter reach them all.
Every submission is appended to the progress store.
"""
from __future__ import annotations

import html
import random
import re
from collections.abc import Callable

import ipywidgets as widgets
from markdown_it import MarkdownIt

from workbook.quiz._bank import Bank, Question, load_bank
from workbook.quiz._grade import Grade, OptionFeedback, grade, response_to_json
from workbook.quiz._store import ProgressStore, default_learner

_MD = MarkdownIt("commonmark").enable("table")
LETTERS = "ABCDEFGH"
# Long option labels wrap instead of running into each other (ipywidgets keeps labels on one line).
QUIZ_CSS = """<style>
.wb-quiz .widget-radio-box label, .wb-quiz .widget-checkbox label {white-space: normal !important;
  height: auto !important; line-height: 1.35 !important; align-items: flex-start !important; margin: 2px 0 6px}
.wb-quiz .widget-checkbox label span {white-space: normal !important; overflow: visible !important}
.wb-quiz .widget-radio-box input, .wb-quiz .widget-checkbox input {margin-top: 3px; flex-shrink: 0}
</style>"""


def markdown_to_html(text: str) -> str:
    """Render Markdown (question stems, explanations) to HTML."""
    return _MD.render(text)


def _inline_html(text: str) -> str:
    return _MD.renderInline(text)


def _plain(text: str) -> str:
    """Markdown to plain text for option labels: drop emphasis and code markers."""
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def option_order(question: Question, learner: str) -> list[int]:
    """The display order of a question's options: shuffled, stable for a given learner.

    True/false questions keep True before False.
    """
    order = list(range(len(question.options)))
    if question.type != "true_false":
        random.Random(f"{learner}:{question.id}").shuffle(order)
    return order


class AnswerInput:
    """The input for one question: radio buttons, check boxes or a number field.

    ``widget`` is the ipywidget to display; ``value`` reads and writes the response in grader
    form (an option index, a set of indices, or the typed text).
    """

    def __init__(self, question: Question, order: list[int]):
        self.question = question
        q = question
        if q.type == "numeric":
            unit = f" ({q.unit})" if q.unit else ""
            self.widget = widgets.Text(placeholder="a number", description=f"Answer{unit}:",
                                       style={"description_width": "initial"})
        elif q.type == "multiple":
            boxes = []
            for pos, i in enumerate(order):
                box = widgets.Checkbox(value=False, description=f"{LETTERS[pos]}. {_plain(q.options[i].text)}",
                                       indent=False, layout=widgets.Layout(width="auto"))
                box.option_index = i
                boxes.append(box)
            self.widget = widgets.VBox(boxes)
        else:
            labels = [(f"{LETTERS[pos]}. {_plain(q.options[i].text)}", i) for pos, i in enumerate(order)]
            self.widget = widgets.RadioButtons(options=labels, value=None, layout=widgets.Layout(width="auto"))

    @property
    def _controls(self) -> list[widgets.Widget]:
        return list(self.widget.children) if self.question.type == "multiple" else [self.widget]

    @property
    def value(self) -> object:
        if self.question.type == "multiple":
            return {box.option_index for box in self.widget.children if box.value}
        return self.widget.value

    @value.setter
    def value(self, response: object) -> None:
        if self.question.type == "multiple":
            chosen = set(response or ())
            for box in self.widget.children:
                box.value = box.option_index in chosen
        elif self.question.type == "numeric":
            self.widget.value = "" if response is None else f"{response:g}" if isinstance(response, float) else str(response)
        else:
            self.widget.value = response

    def clear(self) -> None:
        self.value = None

    def set_disabled(self, disabled: bool) -> None:
        for w in self._controls:
            w.disabled = disabled

    def on_change(self, callback) -> None:
        """Call ``callback()`` whenever the learner changes the answer."""
        for w in self._controls:
            w.observe(lambda _: callback(), names="value")


def feedback_html(question: Question, order: list[int], result: Grade | None) -> str:
    """The verdict and, for every option in display order, whether it is right and why.

    ``result=None`` means the question was not answered (in a mock exam).
    """
    if result is None:
        verdict = "<p style='color:#cf222e'><b>✘ Not answered.</b></p>"
        result = Grade(question.id, False, None, tuple(
            OptionFeedback(i, o.text, o.correct, False, o.why) for i, o in enumerate(question.options)),
            question.why)
    else:
        verdict = ("<p style='color:#1a7f37'><b>✔ Correct.</b></p>" if result.correct
                   else "<p style='color:#cf222e'><b>✘ Not quite.</b></p>")
    if question.type == "numeric":
        unit = f" {html.escape(question.unit)}" if question.unit else ""
        tol = f" (± {question.tolerance:g})" if question.tolerance else ""
        given = f"You answered {result.response:g}; the" if result.response is not None else "The"
        return (f"{verdict}<p>{given} answer is "
                f"{question.answer:g}{unit}{tol}.</p>{markdown_to_html(question.why)}")
    rows = []
    for pos, i in enumerate(order):
        o = result.options[i]
        mark = "✔" if o.correct else "✘"
        colour = "#1a7f37" if o.correct else "#cf222e"
        chosen = " <i>(your choice)</i>" if o.chosen else ""
        rows.append(
            f"<li><span style='color:{colour}'>{mark}</span> <b>{LETTERS[pos]}.</b> "
            f"{_inline_html(o.text)}{chosen}<br><span style='opacity:.85'>{_inline_html(o.why)}</span></li>"
        )
    return f"{verdict}<ul style='list-style:none;padding-left:0'>{''.join(rows)}</ul>"


def stem_html(question: Question, title: str) -> str:
    """The question's heading (title, difficulty, type, id) and its stem rendered from Markdown."""
    tags = f"{question.difficulty} · {question.type.replace('_', '/')} · <code>{question.id}</code>"
    return (f"{QUIZ_CSS}<div class='wb-stem'><b>{html.escape(title)}</b> <small style='opacity:.7'>{tags}</small>"
            f"{markdown_to_html(question.stem)}</div>")


class QuestionCard(widgets.VBox):
    """One question with its answer controls, Submit, Retry and feedback.

    Attributes a test (or a curious learner) can drive:
        answer: the input: ``RadioButtons`` (single, true/false; value = option index),
            ``VBox`` of ``Checkbox`` (multiple; each has ``option_index``) or ``Text`` (numeric).
        submit_button, retry_button: the buttons.
        feedback: ``HTML`` with the verdict and the why of every option.
        last_grade: the :class:`Grade` of the last submission, or None.
    """

    def __init__(
        self,
        question: Question,
        *,
        store: ProgressStore | None = None,
        learner: str | None = None,
        context: str = "",
        number: int | None = None,
        grader: Callable[[Question, object], Grade] | None = None,
        shuffle_key: str | None = None,
    ):
        self.question = question
        self.store = store
        self.grader = grader
        self.learner = learner or (store.learner if store else default_learner())
        self.context = context
        self.order = option_order(question, shuffle_key or self.learner)
        self.last_grade: Grade | None = None

        self.stem = widgets.HTML(stem_html(question, f"Question {number}" if number else "Question"))
        self.input = AnswerInput(question, self.order)
        self.answer = self.input.widget
        self.submit_button = widgets.Button(description="Submit", button_style="primary", icon="check",
                                            tooltip="Check your answer")
        self.retry_button = widgets.Button(description="Retry", icon="refresh", tooltip="Clear and try again",
                                           layout=widgets.Layout(display="none"))
        self.feedback = widgets.HTML("")
        self.submit_button.on_click(lambda _: self.submit())
        self.retry_button.on_click(lambda _: self.retry())
        super().__init__(
            [self.stem, self.answer, widgets.HBox([self.submit_button, self.retry_button]), self.feedback],
            layout=widgets.Layout(border="1px solid #ccc", padding="8px", margin="6px 0"),
        )
        self.add_class("wb-quiz")

    # -- actions ------------------------------------------------------------------
    def submit(self) -> Grade | None:
        """Grade the current answer, show feedback and record the attempt."""
        try:
            result = self.grader(self.question, self.input.value) if self.grader else self._grade_and_record()
        except ValueError as exc:
            self.feedback.value = f"<p style='color:#a15c00'>⚠ {html.escape(str(exc))}</p>"
            return None
        self.last_grade = result
        self.feedback.value = feedback_html(self.question, self.order, result)
        self.submit_button.disabled = True
        self.retry_button.layout.display = None
        self.input.set_disabled(True)
        return result

    def _grade_and_record(self) -> Grade:
        result = grade(self.question, self.input.value)
        if self.store is not None:
            self.store.record(self.question.id, response_to_json(result.response), correct=result.correct,
                              context=self.context, fingerprint=self.question.fingerprint)
        return result

    def retry(self) -> None:
        """Clear the answer and the feedback for another try."""
        self.input.clear()
        self.input.set_disabled(False)
        self.feedback.value = ""
        self.submit_button.disabled = False
        self.retry_button.layout.display = "none"


class QuizSet(widgets.VBox):
    """A short set of :class:`QuestionCard` with a running score."""

    def __init__(self, cards: list[QuestionCard], title: str = "Check yourself"):
        self.cards = cards
        self.title = title
        self.score = widgets.HTML(self._score_text())
        for card in cards:
            card.submit_button.on_click(lambda _: setattr(self.score, "value", self._score_text()))
        header = widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>")
        super().__init__([header, *cards, self.score])

    def _repr_mimebundle_(self, **kwargs) -> dict:
        # Where widgets cannot run (GitHub, a notebook opened before running it), show the
        # questions as static HTML and plain text instead of the widget's internal repr.
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = self._plain_preview()
        data["text/html"] = self._html_preview()
        return data

    def _plain_preview(self) -> str:
        lines = [f"{self.title} ({len(self.cards)} questions; run this cell to answer them)"]
        for n, card in enumerate(self.cards, 1):
            lines.append(f"{n}. [{card.question.id}] {card.question.stem.splitlines()[0]}")
        return "\n".join(lines)

    def _html_preview(self) -> str:
        items = []
        for card in self.cards:
            q = card.question
            options = "".join(f"<li>{_inline_html(q.options[i].text)}</li>" for i in card.order)
            answer = f"<ol type='A'>{options}</ol>" if options else "<p><i>(a number)</i></p>"
            items.append(f"<li>{markdown_to_html(q.stem)}{answer}</li>")
        return (f"<h3>{html.escape(self.title)}</h3><p><i>Run this cell in JupyterLab to answer; "
                f"every option explains itself after you submit.</i></p><ol>{''.join(items)}</ol>")

    def _score_text(self) -> str:
        done = [c.last_grade for c in self.cards if c.last_grade is not None]
        right = sum(g.correct for g in done)
        return f"<p><b>Score:</b> {right} of {len(self.cards)} correct ({len(done)} answered).</p>"


_DEFAULT_BANK: Bank | None = None


def _bank() -> Bank:
    global _DEFAULT_BANK
    if _DEFAULT_BANK is None:
        _DEFAULT_BANK = load_bank()
    return _DEFAULT_BANK


def ask(
    *question_ids: str,
    chapter: str | None = None,
    bank: Bank | None = None,
    store: ProgressStore | None = None,
    title: str = "Check yourself",
    context: str | None = None,
    shuffle_key: str | None = None,
) -> QuizSet:
    """Show questions by id (or every question of ``chapter``) as a "check yourself" set.

    Answers go to ``store`` (default: the learner's progress store).

    >>> quiz = ask("02-parquet-vs-csv-analytics")  # doctest: +SKIP
    """
    bank = bank or _bank()
    questions = [bank.get(i) for i in question_ids] if question_ids else bank.select(chapter=chapter)
    if not questions:
        raise ValueError("ask() needs question ids or a chapter that has questions")
    store = store if store is not None else ProgressStore()
    context = context if context is not None else f"chapter {questions[0].chapter}"
    cards = [QuestionCard(q, store=store, context=context, number=n + 1, shuffle_key=shuffle_key)
             for n, q in enumerate(questions)]
    return QuizSet(cards, title=title)


def workshop(seed: int, *, chapter: str | None = None, domain: str | None = None, n: int | None = 10,
             bank: Bank | None = None, store: ProgressStore | None = None) -> QuizSet:
    """Workshop mode: every learner with the same ``seed`` gets the same questions, in the same
    order, with the options in the same order (answers are still recorded per learner)."""
    from workbook.quiz._instructor import select_questions, workshop_key

    bank = bank or _bank()
    questions = select_questions(bank, chapter=chapter, domain=domain, n=n, seed=seed)
    return ask(*(q.id for q in questions), bank=bank, store=store, title=f"Workshop quiz (seed {seed})",
               context=f"workshop {seed}", shuffle_key=workshop_key(seed))
