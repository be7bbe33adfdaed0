"""The drill in a plain terminal: same bank, same progress store, same schedule.

    workbook drill --chapter 02 --new 10
"""
from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable

from workbook.quiz._bank import Question
from workbook.quiz._drill import Drill
from workbook.quiz._grade import Grade
from workbook.quiz._widget import LETTERS, option_order

WIDTH = 88


def _plain(markdown: str) -> str:
    text = re.sub(r"```\w*\n?", "", markdown)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return "\n".join(textwrap.fill(p, WIDTH) if p.strip() else "" for p in text.split("\n\n"))


def parse_answer(question: Question, raw: str, order: list[int]) -> object:
    """Turn typed text ("B", "b, d", "3.5") into a grader response; ValueError says what to type."""
    raw = raw.strip()
    if question.type == "numeric":
        return raw
    letters = [x for x in re.split(r"[\s,;]+", raw.upper()) if x]
    valid = LETTERS[: len(order)]
    if not letters or any(len(x) != 1 or x not in valid for x in letters):
        raise ValueError(f"Type {'one letter' if question.type != 'multiple' else 'one or more letters'} "
                         f"from {valid[0]} to {valid[-1]}" + (", separated by commas" if question.type == "multiple" else ""))
    chosen = {order[valid.index(x)] for x in letters}
    if question.type != "multiple":
        if len(chosen) != 1:
            raise ValueError("Choose exactly one letter")
        return next(iter(chosen))
    return chosen


def show_feedback(question: Question, order: list[int], result: Grade, out: Callable[[str], None]) -> None:
    out("✔ Correct." if result.correct else "✘ Not quite.")
    if question.type == "numeric":
        out(f"  The answer is {question.answer:g} {question.unit}".rstrip() + ".")
        out(textwrap.indent(_plain(question.why), "  "))
        return
    for pos, i in enumerate(order):
        o = result.options[i]
        mark = "✔" if o.correct else "✘"
        chosen = " (your choice)" if o.chosen else ""
        out(f"  {mark} {LETTERS[pos]}. {_plain(o.text)}{chosen}")
        out(textwrap.indent(textwrap.fill(_plain(o.why), WIDTH - 6), "      "))


def run_terminal_drill(drill: Drill, *, read: Callable[[str], str] = input, out: Callable[[str], None] = print,
                       limit: int | None = None) -> int:
    """Ask the drill's queue in the terminal; ``q`` quits, ``s`` skips. Returns the number answered."""
    queue = drill.queue()[:limit]
    out(f"{len(queue)} question(s) to do now ({len(drill.questions)} in this selection). "
        "Type the letter(s) of your answer, s to skip, q to quit.")
    for n, q in enumerate(queue, 1):
        order = option_order(q, drill.store.learner)
        out("")
        out(f"[{n}/{len(queue)}] {q.id} · {q.difficulty}")
        out(_plain(q.stem))
        for pos, i in enumerate(order):
            out(f"  {LETTERS[pos]}. {_plain(q.options[i].text)}")
        prompt = "Your answer (a number" + (f", in {q.unit}" if q.unit else "") + "): " if q.type == "numeric" else \
            ("Your answers (e.g. A,C): " if q.type == "multiple" else "Your answer: ")
        while True:
            try:
                raw = read(prompt)
            except EOFError:
                raw = "q"
            if raw.strip().lower() in ("q", "quit"):
                out(str(drill.finish()))
                return drill.summary.answered
            if raw.strip().lower() in ("s", "skip"):
                break
            try:
                result = drill.answer(q, parse_answer(q, raw, order))
            except ValueError as exc:
                out(f"  {str(exc).rstrip('.')}.")
                continue
            show_feedback(q, order, result, out)
            break
    out("")
    out(str(drill.finish()))
    return drill.summary.answered


def main_drill(args) -> int:
    from workbook.quiz._bank import load_bank
    from workbook.quiz._store import ProgressStore

    try:
        drill = Drill(load_bank(), ProgressStore(), chapters=args.chapter, domains=args.domain, tips=args.tip,
                      new_per_day=args.new, retention=args.retention)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    run_terminal_drill(drill, limit=args.limit)
    return 0
