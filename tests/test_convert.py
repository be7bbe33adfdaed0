"""Imports from GIFT and jupyterquiz, and the Anki export, round-trip with nothing dropped silently."""
from __future__ import annotations

import dataclasses
import json
import sqlite3
import zipfile

import pytest
import yaml

from workbook._paths import BANK_DIR
from workbook.quiz import BankError
from workbook.quiz._convert import (
    TODO_WHY, anki_guid, bank_yaml, export_anki, parse_gift, parse_jupyterquiz, validate_with_bank,
)

GIFT = """// questions for the workshop
::Parquet::Which format is **columnar**? {
=Parquet#Columnar and binary, read one column at a time.
~CSV#Row-oriented text that is parsed whole.
~JSON Lines
####Columnar formats suit analytics.
}

::TF lake::A data lake is optimised for transactions.{F#Lakes are cheap raw storage, not OLTP.#Right, lakes are cheap raw storage.}

::Num::How many bytes is the text 1000000? {#7:0#Seven characters of one byte each.}

::Two::Pick the warehouses. {~%50%BigQuery#A serverless warehouse. ~%50%Snowflake#A warehouse too. ~%-100%Cloud Storage#Object storage, a lake.}

::Short::Capital of France? {=Paris =paris}

::Match::Match them. {=BigQuery -> warehouse =Cloud Storage -> lake}
"""


def gift():
    return parse_gift(GIFT, chapter="02", domain="data-and-models", tips=["T005"])


def test_gift_types_are_converted():
    """Multiple choice, true/false, numeric and weighted multiple answers become bank questions."""
    report = gift()
    assert [q["type"] for q in report.questions] == ["single", "true_false", "numeric", "multiple"]
    parquet, tf, num, two = report.questions
    assert parquet["id"] == "02-parquet" and parquet["options"][0] == {
        "text": "Parquet", "why": "Columnar and binary, read one column at a time.", "correct": True}
    assert tf["options"][1] == {"text": "False", "why": "Right, lakes are cheap raw storage.", "correct": True}
    assert (num["answer"], num["tolerance"], num["why"]) == (7.0, 0.0, "Seven characters of one byte each.")
    assert [o.get("correct", False) for o in two["options"]] == [True, True, False]


def test_gift_losses_are_reported_per_question():
    """Skipped types, dropped general feedback, missing whys and partial credit are all reported."""
    report = gift()
    skipped = dict(report.skipped)
    assert "short-answer" in skipped["GIFT question 5 'Short'"]
    assert "matching" in skipped["GIFT question 6 'Match'"]
    notes = [f"{w}: {m}" for w, m in report.notes]
    assert any("'Parquet'" in n and "general feedback" in n for n in notes)
    assert any("'Parquet'" in n and "TODO" in n for n in notes)
    assert any("'Two'" in n and "all-or-nothing" in n for n in notes)
    assert report.questions[0]["options"][2]["why"] == TODO_WHY


def test_converted_file_validates_with_the_bank():
    """The YAML written by an import loads together with the real bank."""
    report = gift()
    bank = validate_with_bank(bank_yaml("02", report.questions, "test"), "02_imported.yaml", BANK_DIR)
    assert bank.get("02-parquet").tips == ("T005",)


def test_invalid_conversion_names_the_target_file():
    """A converted question that breaks the schema is reported against the file being written."""
    report = gift()
    report.questions[0]["options"][1]["why"] = "short"
    with pytest.raises(BankError, match=r"02_imported.yaml: question '02-parquet', field 'options\[1\].why'"):
        validate_with_bank(bank_yaml("02", report.questions, "test"), "02_imported.yaml", BANK_DIR)


JQ = [
    {"question": "Which store serves online features?", "type": "multiple_choice", "answer_cols": 2,
     "answers": [{"answer": "Online store", "correct": True, "feedback": "Low-latency lookups by key."},
                 {"answer": "Offline store", "correct": False, "feedback": "Built for training data."}]},
    {"question": "Pick the binary formats.", "type": "many_choice",
     "answers": [{"answer": "Parquet", "correct": True, "feedback": "Columnar binary format."},
                 {"answer": "Avro", "correct": True, "feedback": "Row-oriented binary format."},
                 {"answer": "CSV", "correct": False, "feedback": "A text format."}]},
    {"question": "What is 38 / 2?", "type": "numeric",
     "answers": [{"type": "range", "range": [18.5, 19.5], "correct": True, "feedback": "Nineteen times."},
                 {"type": "default", "feedback": "Divide again."}]},
    {"question": "Name the warehouse.", "type": "string", "answers": [{"answer": "BigQuery", "correct": True}]},
]


def test_jupyterquiz_is_converted_and_losses_reported():
    """jupyterquiz choices and numeric ranges convert; string questions and display settings are reported."""
    report = parse_jupyterquiz(json.dumps(JQ), chapter="02", domain="data-and-models")
    assert [q["type"] for q in report.questions] == ["single", "multiple", "numeric"]
    assert (report.questions[2]["answer"], report.questions[2]["tolerance"]) == (19.0, 0.5)
    assert "'string' is not supported" in dict(report.skipped)["jupyterquiz question 4"]
    assert any("answer_cols" in m for _, m in report.notes)
    validate_with_bank(bank_yaml("02", report.questions, "test"), "02_jq.yaml", BANK_DIR)


def _anki_notes(path):
    with zipfile.ZipFile(path) as z:
        db = path.with_suffix(".anki2")
        db.write_bytes(z.read("collection.anki2"))
    rows = sqlite3.connect(db).execute("SELECT guid, flds, tags FROM notes").fetchall()
    return {guid: (flds.split("\x1f"), tags) for guid, flds, tags in rows}


def test_anki_guids_are_stable_across_edits(bank, tmp_path):
    """Re-exporting an edited question keeps its note GUID, so Anki updates instead of duplicating."""
    questions = bank.select(chapter="02")
    first = _anki_notes(export_anki(questions, tmp_path / "a.apkg"))
    assert set(first) == {anki_guid(q.id) for q in questions}
    edited = [dataclasses.replace(questions[0], stem=questions[0].stem + " (edited)"), *questions[1:]]
    second = _anki_notes(export_anki(edited, tmp_path / "b.apkg"))
    guid = anki_guid(questions[0].id)
    assert set(second) == set(first) and "(edited)" in second[guid][0][1] and "(edited)" not in first[guid][0][1]
    assert "chapter::02" in second[guid][1]


def test_cli_import_writes_a_valid_file(tmp_path):
    """`workbook import-gift` reports what changed and writes a file the bank accepts."""
    import subprocess
    import sys

    src = tmp_path / "q.gift"
    src.write_text(GIFT)
    out = tmp_path / "02_imported.yaml"
    result = subprocess.run([sys.executable, "-m", "workbook", "import-gift", str(src), "--chapter", "02",
                             "--domain", "data-and-models", "--tip", "T005", "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "4 question(s) converted, 2 skipped." in result.stdout
    assert len(yaml.safe_load(out.read_text())["questions"]) == 4
