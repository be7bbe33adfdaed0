"""The question bank and the quiz engine, in layers: loader, grader, store, widgets.

Only the widget layer imports ipywidgets; everything else is plain Python.

>>> from workbook.quiz import load_bank, grade
>>> bank = load_bank()
>>> len(bank) > 0
True
"""
from workbook.quiz._bank import Bank, BankError, Blueprint, Domain, Option, Problem, Question, Tip, load_bank
from workbook.quiz._drill import Drill, DrillSummary
from workbook.quiz._exam import DrawReport, ExamResult, MockExam, draw_exam
from workbook.quiz._grade import Grade, OptionFeedback, grade
from workbook.quiz._progress import ChapterProgress, progress_by_chapter, progress_text
from workbook.quiz._schedule import CardState, card_states
from workbook.quiz._store import Attempt, ProgressStore, StoreError, default_home, default_learner

__all__ = [
    "Attempt", "Bank", "BankError", "Blueprint", "CardState", "ChapterProgress", "Domain", "DrawReport", "Drill",
    "DrillSummary", "ExamResult", "Grade", "MockExam", "Option", "OptionFeedback", "Problem", "ProgressStore",
    "Question", "QuestionCard", "QuizSet", "StoreError", "Tip", "ask", "workshop", "drill", "mock_exam", "DrillApp", "ExamApp",
    "ExamLauncher", "card_states", "default_home",
    "default_learner", "draw_exam", "grade", "load_bank", "progress_by_chapter", "progress_text",
]


def __getattr__(name: str):
    # The widget layer is imported on first use, so the rest works without ipywidgets.
    if name in ("ask", "QuestionCard", "QuizSet", "workshop"):
        from workbook.quiz import _widget

        return getattr(_widget, name)
    if name in ("drill", "mock_exam", "DrillApp", "ExamApp", "ExamLauncher"):
        from workbook.quiz import _trainer

        return getattr(_trainer, name)
    raise AttributeError(name)
