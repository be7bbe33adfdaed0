"""A learner's progress in numbers: answered and correct per chapter, from the store."""
from __future__ import annotations

from dataclasses import dataclass

from workbook.quiz._bank import Bank
from workbook.quiz._store import ProgressStore


@dataclass(frozen=True)
class ChapterProgress:
    """Progress on one chapter's questions (latest attempt of each question counts)."""

    chapter: str
    questions: int
    answered: int
    correct: int


def progress_by_chapter(bank: Bank, store: ProgressStore) -> list[ChapterProgress]:
    """One row per chapter of the bank, in chapter order."""
    latest = store.latest()
    rows = []
    for chapter in bank.chapters:
        ids = [q.id for q in bank.select(chapter=chapter)]
        answered = [latest[i] for i in ids if i in latest]
        rows.append(ChapterProgress(chapter, len(ids), len(answered), sum(a.correct for a in answered)))
    return rows


def progress_text(bank: Bank, store: ProgressStore) -> str:
    """A short plain-text summary for the start page."""
    rows = progress_by_chapter(bank, store)
    total = sum(r.questions for r in rows)
    answered = sum(r.answered for r in rows)
    if not answered:
        return f"No answers recorded yet: {total} questions are waiting in {len(rows)} chapter(s)."
    lines = [f"{answered} of {total} questions answered, "
             f"{sum(r.correct for r in rows)} correct on the latest try."]
    lines += [f"  chapter {r.chapter}: {r.answered}/{r.questions} answered, {r.correct} correct"
              for r in rows if r.answered]
    return "\n".join(lines)
