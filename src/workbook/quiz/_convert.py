"""Bring questions in from Moodle GIFT and jupyterquiz JSON, and send a deck out to Anki.

Imports write bank YAML, validated like the rest of the bank. What a format has that the bank
cannot hold (partial credit, short-answer and matching questions, general feedback ...) and
what the bank needs that the format lacks (a `why` for each option) is reported per question
in :class:`ImportReport`, never dropped silently.
"""
from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from workbook.quiz._bank import Bank, BankError, Question, load_bank
from workbook.quiz._widget import markdown_to_html

TODO_WHY = "TODO: explain why this option is right or wrong."


@dataclass
class ImportReport:
    """Questions converted, and notes per source question (kept, changed or skipped)."""

    questions: list[dict] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source question, message)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def note(self, where: str, message: str) -> None:
        self.notes.append((where, message))

    def __str__(self) -> str:
        lines = [f"{len(self.questions)} question(s) converted, {len(self.skipped)} skipped."]
        lines += [f"  skipped {w}: {m}" for w, m in self.skipped]
        lines += [f"  {w}: {m}" for w, m in self.notes]
        return "\n".join(lines)


def _slug(text: str, limit: int = 6) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words[:limit]) or "question"


def _add(report: ImportReport, where: str, chapter: str, defaults: dict, q: dict) -> None:
    base = f"{chapter}-{_slug(defaults.get('title') or q['stem'])}"
    qid, k = base, 2
    taken = {x["id"] for x in report.questions}
    while qid in taken:
        qid, k = f"{base}-{k}", k + 1
    for option in q.get("options", []):
        if not option.get("why"):
            option["why"] = TODO_WHY
    if any(o["why"] == TODO_WHY for o in q.get("options", [])):
        report.note(where, "some options had no feedback; their `why` says TODO and needs writing")
    if q["type"] == "numeric" and not q.get("why"):
        q["why"] = TODO_WHY
        report.note(where, "no explanation given; `why` says TODO")
    entry = {"id": qid, "domain": defaults["domain"], "tips": list(defaults.get("tips", [])), "type": q["type"],
             "difficulty": defaults.get("difficulty", "medium"), "source": defaults.get("source", where), "stem": q["stem"]}
    entry.update({k: v for k, v in q.items() if k not in ("type", "stem")})
    report.questions.append(entry)


# -- GIFT ----------------------------------------------------------------------------------------------
_ESCAPED = {"\\~": "\x00", "\\=": "\x01", "\\#": "\x02", "\\{": "\x03", "\\}": "\x04", "\\:": "\x05"}


def _protect(text: str) -> str:
    for k, v in _ESCAPED.items():
        text = text.replace(k, v)
    return text


def _restore(text: str) -> str:
    for k, v in _ESCAPED.items():
        text = text.replace(v, k[1])
    return text.strip()


def _split_feedback(text: str) -> tuple[str, str]:
    body, _, feedback = text.partition("#")
    return _restore(body), _restore(feedback)


def parse_gift(text: str, *, chapter: str, domain: str, difficulty: str = "medium", source: str = "GIFT import",
               tips: list[str] | None = None) -> ImportReport:
    """Convert GIFT text to bank questions (single, multiple, true/false, numeric)."""
    report = ImportReport()
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    blocks = [b.strip() for b in re.split(r"\n\s*\n", _protect(text)) if b.strip()]
    for n, block in enumerate(blocks, 1):
        title = ""
        m = re.match(r"^::(.*?)::", block, re.DOTALL)
        if m:
            title, block = _restore(m.group(1)), block[m.end():]
        where = f"GIFT question {n}" + (f" '{title}'" if title else "")
        block = re.sub(r"^\[(markdown|html|plain|moodle)\]", "", block.strip())
        m = re.search(r"\{(.*)\}", block, re.DOTALL)
        if not m:
            report.skipped.append((where, "a description or essay without answers; the bank has no such type"))
            continue
        before, answer, after = block[: m.start()].strip(), m.group(1).strip(), block[m.end():].strip()
        stem = _restore(f"{before} _____ {after}" if after else before)
        defaults = {"title": title, "domain": domain, "difficulty": difficulty, "source": source, "tips": tips or []}
        general = ""
        if "####" in answer:
            answer, general = answer.split("####", 1)
            report.note(where, f"general feedback is not kept by the bank: {_restore(general)!r}")
        if answer == "":
            report.skipped.append((where, "an essay question; the bank holds only gradable questions"))
            continue
        if re.fullmatch(r"(T|F|TRUE|FALSE)(#.*)?", answer, re.IGNORECASE | re.DOTALL):
            parts = answer.split("#")
            truth = parts[0].upper().startswith("T")
            wrong_fb, right_fb = (_restore(parts[1]) if len(parts) > 1 else ""), (_restore(parts[2]) if len(parts) > 2 else "")
            options = [{"text": "True", "why": right_fb if truth else wrong_fb},
                       {"text": "False", "why": wrong_fb if truth else right_fb}]
            options[0 if truth else 1]["correct"] = True
            _add(report, where, chapter, defaults, {"type": "true_false", "stem": stem, "options": options})
            continue
        if answer.startswith("#"):
            _gift_numeric(report, where, chapter, defaults, stem, answer[1:])
            continue
        if "->" in answer:
            report.skipped.append((where, "a matching question; the bank has no matching type"))
            continue
        items = re.findall(r"([=~])\s*(%-?[\d.]+%)?([^=~]*)", answer)
        if not any(sign == "~" for sign, _, _ in items) and not any(w for _, w, _ in items):
            report.skipped.append((where, "a short-answer question (typed text); the bank cannot grade free text"))
            continue
        options, weighted = [], False
        for sign, weight, rest in items:
            text_, why = _split_feedback(rest)
            w = float(weight.strip("%")) if weight else (100.0 if sign == "=" else 0.0)
            weighted |= bool(weight)
            options.append({"text": text_, "why": why, **({"correct": True} if w > 0 else {})})
        n_correct = sum(o.get("correct", False) for o in options)
        if weighted:
            report.note(where, "partial-credit weights become all-or-nothing: every option with a positive "
                               "weight is correct, the rest wrong")
        kind = "single" if n_correct == 1 else "multiple"
        _add(report, where, chapter, defaults, {"type": kind, "stem": stem, "options": options})
    return report


def _gift_numeric(report, where, chapter, defaults, stem, answer: str) -> None:
    answers = [a.strip() for a in re.split(r"(?=[=~])", answer) if a.strip()] or [answer]
    if len(answers) > 1:
        report.note(where, f"{len(answers)} numeric answers given; only the first full-credit one is kept")
        answers = [a for a in answers if a.startswith("=") and "%" not in a][:1] or answers[:1]
    body, why = _split_feedback(answers[0].lstrip("="))
    if ".." in body:
        low, high = (float(x) for x in body.split(".."))
        value, tol = (low + high) / 2, (high - low) / 2
    else:
        value_s, _, tol_s = body.partition(":")
        value, tol = float(value_s), float(tol_s or 0)
    _add(report, where, chapter, defaults, {"type": "numeric", "stem": stem, "answer": value, "tolerance": tol,
                                            "why": why})


# -- jupyterquiz -------------------------------------------------------------------------------
def parse_jupyterquiz(data: list | str, *, chapter: str, domain: str, difficulty: str = "medium",
                      source: str = "jupyterquiz import", tips: list[str] | None = None) -> ImportReport:
    """Convert a jupyterquiz question list (JSON) to bank questions."""
    items = json.loads(data) if isinstance(data, str) else data
    report = ImportReport()
    known = {"question", "type", "answers", "code", "answer_cols", "points", "precision"}
    for n, item in enumerate(items, 1):
        where = f"jupyterquiz question {n}"
        defaults = {"domain": domain, "difficulty": difficulty, "source": source, "tips": tips or []}
        extra = sorted(set(item) - known)
        if extra:
            report.note(where, f"fields the bank does not hold were ignored: {extra}")
        for ignored in ("answer_cols", "points"):
            if ignored in item:
                report.note(where, f"'{ignored}' is a display/scoring setting the bank does not hold")
        stem = item.get("question", "").strip()
        if item.get("code"):
            stem += f"\n\n```python\n{item['code'].rstrip()}\n```"
        kind = item.get("type")
        if kind in ("multiple_choice", "many_choice"):
            options = [{"text": str(a.get("answer", "")).strip(), "why": str(a.get("feedback", "")).strip(),
                        **({"correct": True} if a.get("correct") else {})} for a in item.get("answers", [])]
            n_correct = sum(o.get("correct", False) for o in options)
            qtype = "single" if kind == "multiple_choice" and n_correct == 1 else "multiple"
            if kind == "multiple_choice" and n_correct != 1:
                report.note(where, f"multiple_choice with {n_correct} correct answers becomes multiple select")
            _add(report, where, chapter, defaults, {"type": qtype, "stem": stem, "options": options})
        elif kind == "numeric":
            correct = [a for a in item.get("answers", []) if a.get("correct")]
            if not correct:
                report.skipped.append((where, "a numeric question without a correct answer"))
                continue
            a = correct[0]
            if len(correct) > 1:
                report.note(where, f"{len(correct)} correct answers; only the first is kept")
            wrong_fb = [x for x in item.get("answers", []) if not x.get("correct") and x.get("feedback")]
            if wrong_fb:
                report.note(where, "feedback for wrong numeric answers is not kept by the bank")
            if a.get("type") == "range":
                low, high = a["range"]
                value, tol = (low + high) / 2, (high - low) / 2
            else:
                value, tol = float(a["value"]), 0.0
                if "precision" in item:
                    report.note(where, "'precision' (significant digits) becomes an exact match; set a tolerance")
            _add(report, where, chapter, defaults, {"type": "numeric", "stem": stem, "answer": value,
                                                    "tolerance": tol, "why": str(a.get("feedback", "")).strip()})
        else:
            report.skipped.append((where, f"type {kind!r} is not supported (the bank grades choices and numbers)"))
    return report


# -- writing and validating ----------------------------------------------------------------------
def bank_yaml(chapter: str, questions: list[dict], header: str) -> str:
    """The YAML text of a bank file."""
    body = yaml.safe_dump({"chapter": chapter, "questions": questions}, sort_keys=False, allow_unicode=True, width=100)
    return f"# {header}\n# Schema: quizzes/bank.schema.json. Ids are stable: never reuse or renumber one.\n{body}"


def validate_with_bank(yaml_text: str, filename: str, bank_dir: Path) -> Bank:
    """Load the existing bank plus this file (as ``filename``) exactly as the workbook would."""
    with tempfile.TemporaryDirectory() as tmp:
        quizzes = Path(tmp) / "quizzes"
        shutil.copytree(bank_dir.parent, quizzes, ignore=shutil.ignore_patterns("*.ipynb", "*.py"))
        (quizzes / "bank" / filename).write_text(yaml_text)
        try:
            return load_bank(quizzes / "bank")
        except BankError as exc:  # name the file the learner will write, not the temporary copy
            raise BankError([dataclasses.replace(p, file=filename if p.file.endswith(filename) else p.file)
                             for p in exc.problems]) from None


# -- Anki ------------------------------------------------------------------------------------------
ANKI_MODEL_ID = 1_607_392_319  # fixed forever: Anki matches the note type by it
ANKI_CSS = ".card{font-family:sans-serif;font-size:18px;text-align:left} .why{opacity:.8;font-size:15px}"


def _anki_model():
    import genanki

    return genanki.Model(
        ANKI_MODEL_ID, "MLOps workbook question",
        fields=[{"name": "Id"}, {"name": "Question"}, {"name": "Answer"}],
        templates=[{"name": "Question", "qfmt": "{{Question}}", "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}"}],
        css=ANKI_CSS,
    )


def anki_guid(question_id: str) -> str:
    """The note GUID of a question: derived from its stable id, so re-exports update notes."""
    import genanki

    return genanki.guid_for("mlops-workbook", question_id)


def _anki_fields(q: Question) -> list[str]:
    from workbook.quiz._widget import LETTERS

    front = markdown_to_html(q.stem)
    if q.options:
        front += "<ol type='A'>" + "".join(f"<li>{markdown_to_html(o.text)}</li>" for o in q.options) + "</ol>"
    if q.type == "numeric":
        back = f"<p><b>{q.answer:g} {q.unit}</b> (± {q.tolerance:g})</p>{markdown_to_html(q.why)}"
    else:
        right = ", ".join(LETTERS[i] for i in sorted(q.correct_indices))
        back = f"<p><b>{right}</b></p>" + "".join(
            f"<p class='why'>{LETTERS[i]}. {'✔' if o.correct else '✘'} {markdown_to_html(o.why)}</p>"
            for i, o in enumerate(q.options))
    return [q.id, front, back]


def export_anki(questions: list[Question], path: Path | str, deck_name: str = "MLOps workbook (PMLE)") -> Path:
    """Write an Anki package (``.apkg``) with one note per question, tagged by chapter, section and tips."""
    import genanki

    deck_id = int.from_bytes(deck_name.encode()[:7].ljust(7, b"\0"), "big") % (1 << 31)
    deck = genanki.Deck(deck_id, deck_name)
    model = _anki_model()
    for q in questions:
        tags = [f"chapter::{q.chapter}", f"section::{q.domain}", *q.tips]
        deck.add_note(genanki.Note(model=model, fields=_anki_fields(q), guid=anki_guid(q.id), tags=tags))
    path = Path(path)
    genanki.Package(deck).write_to_file(str(path))
    return path
