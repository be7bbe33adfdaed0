"""The terminal drill, driven through a subprocess with scripted input."""
from __future__ import annotations

import os
import subprocess
import sys

from workbook.quiz import ProgressStore, load_bank
from workbook.quiz._terminal import parse_answer
from workbook.quiz._widget import LETTERS, option_order


def drill(tmp_path, stdin: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "WORKBOOK_HOME": str(tmp_path), "WORKBOOK_LEARNER": "ada"}
    return subprocess.run([sys.executable, "-m", "workbook", "drill", *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=60)


def letter_of_right_answer(q, learner="ada"):
    order = option_order(q, learner)
    return ",".join(LETTERS[order.index(i)] for i in sorted(q.correct_indices))


def test_scripted_session_records_answers(tmp_path):
    """Typed answers are graded, explained and stored; the summary closes the session."""
    bank = load_bank()
    first = bank.select(chapter="02")[0]
    right = letter_of_right_answer(first) if first.type != "numeric" else f"{first.answer:g}"
    result = drill(tmp_path, f"{right}\nq\n", "--chapter", "02", "--new", "3")
    assert result.returncode == 0, result.stderr
    assert "3 question(s) to do now" in result.stdout and "✔ Correct." in result.stdout
    assert "Answered 1, correct 1" in result.stdout
    [attempt] = ProgressStore(tmp_path / "progress.sqlite3", learner="ada").attempts()
    assert attempt.question_id == first.id and attempt.correct and attempt.context == "drill"


def test_invalid_input_is_asked_again(tmp_path):
    """A letter out of range gets a hint and the same question again; `s` skips."""
    result = drill(tmp_path, "Z\ns\ns\ns\n", "--chapter", "02", "--new", "3")
    assert "Type one letter from A to" in result.stdout or "Type one or more letters" in result.stdout \
        or "Enter a number" in result.stdout
    assert "Answered 0, correct 0" in result.stdout


def test_shares_the_store_with_notebooks(tmp_path):
    """An answer given in a notebook (same store) makes the terminal drill skip that new question."""
    bank = load_bank()
    first = bank.select(chapter="02")[0]
    ProgressStore(tmp_path / "progress.sqlite3", learner="ada").record(first.id, 0, correct=True)
    result = drill(tmp_path, "q\n", "--chapter", "02", "--new", "3")
    assert f"{first.id} ·" not in result.stdout and "2 question(s) to do now" in result.stdout


def test_unknown_selection_is_an_error(tmp_path):
    """A chapter without questions exits with status 2 and a message."""
    result = drill(tmp_path, "", "--chapter", "99")
    assert result.returncode == 2 and "no questions match" in result.stderr


def test_parse_answer_maps_letters_to_options():
    """Letters map through the displayed (shuffled) order to option indices."""
    q = next(q for q in load_bank() if q.type == "multiple")
    order = option_order(q, "ada")
    assert parse_answer(q, "a, b", order) == {order[0], order[1]}


def test_terminal_drill_while_a_kernel_writes(tmp_path):
    """A terminal drill and another process (a kernel) write to one store at once; nothing is lost."""
    import textwrap

    writer = textwrap.dedent("""
        import sys
        from workbook.quiz import ProgressStore
        store = ProgressStore(sys.argv[1], learner="ada")
        for i in range(300):
            store.record("02-kernel", i, correct=True)
        print("done", flush=True)
    """)
    kernel = subprocess.Popen([sys.executable, "-c", writer, str(tmp_path / "progress.sqlite3")],
                              stdout=subprocess.PIPE, text=True)
    bank = load_bank()
    answers = "".join(f"{letter_of_right_answer(q) if q.type != 'numeric' else f'{q.answer:g}'}\n"
                      for q in bank.select(chapter="02")[:5])
    result = drill(tmp_path, answers + "q\n", "--chapter", "02", "--new", "5")
    assert kernel.wait(timeout=60) == 0 and result.returncode == 0, result.stderr
    attempts = ProgressStore(tmp_path / "progress.sqlite3", learner="ada").attempts()
    assert [a.response for a in attempts if a.question_id == "02-kernel"] == list(range(300))
    assert sum(a.context == "drill" for a in attempts) == 5
