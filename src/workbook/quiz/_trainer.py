"""The exam trainer's widgets: a spaced-repetition drill and a timed mock exam.

Thin layers over :class:`~workbook.quiz.Drill` and :class:`~workbook.quiz.MockExam`; every
button has a method of the same name, so tests drive them headlessly.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from workbook.quiz._bank import Bank
from workbook.quiz._drill import Drill
from workbook.quiz._exam import EXAM_MINUTES, EXAM_QUESTIONS, READINESS_NOTE, ExamResult, MockExam
from workbook.quiz._store import ProgressStore
from workbook.quiz._widget import AnswerInput, QuestionCard, feedback_html, option_order, stem_html

_BOX = widgets.Layout(border="1px solid #ccc", padding="8px", margin="6px 0")


class DrillApp(widgets.VBox):
    """One question at a time from a :class:`Drill`: submit, read the feedback, next."""

    def __init__(self, drill: Drill):
        self.drill = drill
        self.queue = drill.queue()
        self.position = 0
        self.header = widgets.HTML()
        self.body = widgets.VBox()
        self.next_button = widgets.Button(description="Next", icon="arrow-right", button_style="info",
                                          tooltip="Next question")
        self.finish_button = widgets.Button(description="Finish", icon="flag-checkered",
                                            tooltip="End the session and see the summary")
        self.next_button.on_click(lambda _: self.next())
        self.finish_button.on_click(lambda _: self.finish())
        self.card: QuestionCard | None = None
        super().__init__([self.header, self.body, widgets.HBox([self.next_button, self.finish_button])])
        self._show()

    def _show(self) -> None:
        if self.position >= len(self.queue):
            self.finish()
            return
        q = self.queue[self.position]
        self.header.value = (f"<b>Drill</b>: question {self.position + 1} of {len(self.queue)} "
                             f"({len(self.drill.questions)} in this selection)")
        self.card = QuestionCard(q, learner=self.drill.store.learner, number=self.position + 1,
                                 grader=self.drill.answer)
        self.card.retry_button.layout.visibility = "hidden"  # in a drill the next review is the retry
        self.body.children = [self.card]

    def next(self) -> None:
        """Go to the next question (an unanswered one is simply skipped)."""
        self.position += 1
        self._show()

    def finish(self) -> None:
        """End the session and show its summary."""
        summary = self.drill.finish()
        self.header.value = "<b>Drill finished</b>" if self.position >= len(self.queue) else "<b>Drill ended</b>"
        wrong = "".join(f"<li><code>{html.escape(i)}</code></li>" for i in summary.wrong)
        self.body.children = [widgets.HTML(
            f"<p>{html.escape(str(summary))}</p>" + (f"<p>Answered wrongly (they come back soon):</p><ul>{wrong}</ul>"
                                                     if wrong else ""))]
        self.next_button.disabled = self.finish_button.disabled = True


def drill(bank: Bank | None = None, store: ProgressStore | None = None, **selection) -> DrillApp:
    """A drill widget; ``selection`` goes to :class:`Drill` (chapters, domains, tips, new_per_day, retention)."""
    from workbook.quiz._bank import load_bank

    return DrillApp(Drill(bank or load_bank(), store or ProgressStore(), **selection))


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class ExamApp(widgets.VBox):
    """A timed mock exam: countdown, previous/next, flag, review screen, submit, results.

    A hidden ``Play`` widget ticks once a second in the browser and calls :meth:`tick`, which
    updates the countdown and submits automatically when time is up.
    """

    def __init__(self, exam: MockExam, notes: list[str] | None = None):
        self.exam = exam
        self.index = 0
        self.inputs: dict[str, AnswerInput] = {}
        self.clock_label = widgets.HTML()
        self.status = widgets.HTML()
        self.body = widgets.VBox()
        self.buttons = {
            "previous": widgets.Button(description="Previous", icon="arrow-left"),
            "next": widgets.Button(description="Next", icon="arrow-right"),
            "flag": widgets.ToggleButton(description="Flag for review", icon="flag"),
            "review": widgets.Button(description="Review", icon="list", tooltip="Unanswered and flagged questions"),
            "submit": widgets.Button(description="Submit exam", icon="check", button_style="danger"),
        }
        self.buttons["previous"].on_click(lambda _: self.go(self.index - 1))
        self.buttons["next"].on_click(lambda _: self.go(self.index + 1))
        self.buttons["flag"].observe(lambda change: self.flag(change["new"]), names="value")
        self.buttons["review"].on_click(lambda _: self.review())
        self.buttons["submit"].on_click(lambda _: self.submit())
        # The browser's Play view starts ticking when it sees `playing` change to True, so start it
        # once a view exists (its count is tracked through _view_count), not before.
        self.ticker = widgets.Play(interval=1000, max=10**9, layout=widgets.Layout(display="none"))
        self.ticker._view_count = 0
        self.ticker.observe(lambda _: self.tick(), names="value")
        self.ticker.observe(self._start_ticking, names="_view_count")
        self.nav = widgets.HBox(list(self.buttons.values()))
        self.notes = widgets.HTML("".join(f"<p style='color:#9a6700'>{html.escape(n)}</p>" for n in notes or []))
        super().__init__([widgets.HBox([self.clock_label, self.status]), self.notes, self.body, self.nav,
                          self.ticker])
        self.add_class("wb-quiz")
        if self.exam.check_time():
            self.show_results()
        else:
            self.go(0)

    def _start_ticking(self, change) -> None:
        if change["new"] and self.exam.submitted_at is None:
            self.ticker.playing = False
            self.ticker.playing = True

    # -- screens ---------------------------------------------------------------------
    def _update_status(self) -> None:
        n = len(self.exam.questions)
        self.clock_label.value = f"Time left <b>{_clock_text(self.exam.remaining().total_seconds())}</b> &nbsp;"
        self.status.value = (f"Question {self.index + 1} of {n} · answered {n - len(self.exam.unanswered)}"
                             f" · flagged {len(self.exam.flagged)}")

    def go(self, index: int) -> None:
        """Show question ``index`` (clamped to the exam)."""
        if self.exam.check_time():
            self.show_results()
            return
        self.index = min(max(index, 0), len(self.exam.questions) - 1)
        q = self.exam.questions[self.index]
        if q.id not in self.inputs:
            answer = AnswerInput(q, option_order(q, self.exam.store.learner))
            if q.id in self.exam.answers:
                answer.value = self.exam.answers[q.id]
            answer.on_change(lambda q=q, answer=answer: self._answered(q.id, answer))
            self.inputs[q.id] = answer
        self.error = widgets.HTML()
        self.body.children = [widgets.VBox([widgets.HTML(stem_html(q, f"Question {self.index + 1}")),
                                            self.inputs[q.id].widget, self.error], layout=_BOX)]
        self.buttons["flag"].value = q.id in self.exam.flagged
        self.buttons["previous"].disabled = self.index == 0
        self.buttons["next"].disabled = self.index == len(self.exam.questions) - 1
        self._update_status()

    def _answered(self, question_id: str, answer: AnswerInput) -> None:
        if self.exam.submitted_at is not None:
            return
        try:
            self.exam.answer(question_id, answer.value)
            self.error.value = ""
        except ValueError as exc:  # e.g. text that is not a number: keep it, say why it does not count
            self.error.value = f"<span style='color:#a15c00'>⚠ {html.escape(str(exc))} (not saved)</span>"
        if self.exam.submitted_at is not None:
            self.show_results()
        else:
            self._update_status()

    def flag(self, flagged: bool = True) -> None:
        """Flag (or unflag) the current question for review."""
        if self.exam.submitted_at is None:
            self.exam.flag(self.exam.questions[self.index].id, flagged)
            self._update_status()

    def review(self) -> None:
        """The review screen: unanswered and flagged questions, each with a button to go back."""
        if self.exam.check_time():
            self.show_results()
            return

        def row(label: str, ids: list[str]) -> widgets.Widget:
            position = {q.id: i for i, q in enumerate(self.exam.questions)}
            buttons = []
            for qid in ids:
                b = widgets.Button(description=str(position[qid] + 1), layout=widgets.Layout(width="48px"),
                                   tooltip=f"Go to question {position[qid] + 1}")
                b.on_click(lambda _, i=position[qid]: self.go(i))
                buttons.append(b)
            text = f"<b>{label}</b>: {len(ids)}" + ("" if ids else " (none)")
            return widgets.VBox([widgets.HTML(text), widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap"))])

        self.body.children = [widgets.VBox([row("Unanswered", self.exam.unanswered),
                                            row("Flagged", sorted(self.exam.flagged, key=lambda i: [
                                                q.id for q in self.exam.questions].index(i)))], layout=_BOX)]
        self._update_status()

    def submit(self) -> ExamResult:
        """Submit the exam and show the results."""
        result = self.exam.submit()
        self.show_results()
        return result

    def tick(self) -> None:
        """Once a second: refresh the countdown; at zero, submit and show the results."""
        if self.exam.submitted_at is not None:
            return
        if self.exam.check_time():
            self.show_results()
        else:
            self._update_status()

    def show_results(self) -> None:
        """Score, per-section scores, the readiness guide, then every question with its explanations."""
        self.ticker.playing = False
        result = self.exam.result()
        for b in self.buttons.values():
            b.disabled = True
        self.clock_label.value = "<b>Time is up: the exam was submitted automatically.</b> &nbsp;" \
            if result.timed_out else "<b>Submitted.</b> &nbsp;"
        self.status.value = ""
        self.body.children = [widgets.HTML(results_html(result, self.exam)), *self._review_cards(result)]

    def _review_cards(self, result: ExamResult) -> list[widgets.Widget]:
        cards = []
        for n, (q, g) in enumerate(zip(result.questions, result.grades), 1):
            head = stem_html(q, f"Question {n}")
            body = feedback_html(q, option_order(q, self.exam.store.learner), g)
            cards.append(widgets.HTML(f"<div style='border:1px solid #ccc;padding:8px;margin:6px 0'>{head}{body}</div>"))
        return cards


def results_html(result: ExamResult, exam: MockExam) -> str:
    """The results page: overall score, a bar per exam section, and the unofficial readiness guide."""
    blueprint = exam.bank.blueprint
    rows = []
    for d in blueprint.domains:
        correct, total = result.by_domain.get(d.id, (0, 0))
        share = correct / total if total else 0.0
        bar = f"<div style='background:#4c72b0;height:10px;width:{share * 200:.0f}px'></div>"
        score = f"{share:.0%}" if total else "no questions"
        rows.append(f"<tr><td>{d.section}. {html.escape(d.name)}</td><td>{d.weight:.0f} %</td>"
                    f"<td>{correct}/{total}</td><td>{score}</td><td>{bar if total else ''}</td></tr>")
    return (f"<h3>Score: {result.correct} of {len(result.questions)} ({result.score:.0%})</h3>"
            f"<table><tr><th>Exam section</th><th>Weight</th><th>Correct</th><th>Score</th><th></th></tr>"
            f"{''.join(rows)}</table>"
            f"<p><b>{html.escape(result.readiness)}</b></p><p><i>{html.escape(READINESS_NOTE)}</i></p>"
            "<h4>Review every question</h4>")


class ExamLauncher(widgets.VBox):
    """Start a new mock exam, or resume the one left unfinished (it survives kernel restarts)."""

    def __init__(self, bank: Bank, store: ProgressStore, *, n: int = EXAM_QUESTIONS, minutes: int = EXAM_MINUTES,
                 seed: int | None = None):
        self.bank, self.store, self.n, self.minutes, self.seed = bank, store, n, minutes, seed
        self.app: ExamApp | None = None
        self.start_button = widgets.Button(description=f"Start a new exam ({n} questions, {minutes} min)",
                                           button_style="primary", icon="play", layout=widgets.Layout(width="auto"))
        self.start_button.on_click(lambda _: self.start())
        children: list[widgets.Widget] = []
        unfinished = MockExam.unfinished(store)
        self.resume_button = None
        if unfinished:
            exam = MockExam.load(bank, store, unfinished[0])
            left = _clock_text(exam.remaining().total_seconds())
            self.resume_button = widgets.Button(description=f"Resume exam #{exam.exam_id} ({left} left)",
                                                button_style="success", icon="undo", layout=widgets.Layout(width="auto"))
            self.resume_button.on_click(lambda _: self.resume(unfinished[0]))
            children.append(widgets.HTML("<p>You have an exam in progress; its clock kept running.</p>"))
            children.append(self.resume_button)
        children.append(self.start_button)
        super().__init__(children)

    def start(self) -> ExamApp:
        """Draw a new exam and start its clock."""
        exam, report = MockExam.start(self.bank, self.store, n=self.n, minutes=self.minutes, seed=self.seed)
        self.app = ExamApp(exam, report.messages)
        self.children = [self.app]
        return self.app

    def resume(self, exam_id: int) -> ExamApp:
        """Continue an unfinished exam where it was left."""
        self.app = ExamApp(MockExam.load(self.bank, self.store, exam_id))
        self.children = [self.app]
        return self.app


def mock_exam(bank: Bank | None = None, store: ProgressStore | None = None, **options) -> ExamLauncher:
    """The mock exam launcher; ``options``: n (50 or 60), minutes (120), seed."""
    from workbook.quiz._bank import load_bank

    return ExamLauncher(bank or load_bank(), store or ProgressStore(), **options)
