"""Load the question bank (``quizzes/bank/*.yaml``) and validate it against its schema.

A malformed file raises :class:`BankError`, which lists every problem with the file,
the question id and the field, never a traceback from deep inside the loader.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import fastjsonschema
import yaml

from workbook._paths import BANK_DIR, QUIZZES

try:  # the C loader is several times faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

QUESTION_TYPES = ("single", "multiple", "true_false", "numeric")


@dataclass(frozen=True)
class Option:
    """One answer option of a choice question."""

    text: str
    why: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """One question of the bank. ``options`` is empty for numeric questions."""

    id: str
    chapter: str
    domain: str
    tips: tuple[str, ...]
    type: str
    difficulty: str
    source: str
    stem: str
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    why: str = ""
    file: Path | None = field(default=None, compare=False)

    @property
    def correct_indices(self) -> frozenset[int]:
        """Indices (in file order) of the correct options."""
        return frozenset(i for i, o in enumerate(self.options) if o.correct)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A short hash of the question's content; it changes when the question is edited."""
        content = [self.stem, self.type, [(o.text, o.correct) for o in self.options], self.answer, self.tolerance]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Domain:
    """One section of the exam blueprint."""

    id: str
    section: int
    name: str
    weight: float


@dataclass(frozen=True)
class Blueprint:
    """The exam's sections and weights, versioned (``quizzes/blueprint.yaml``)."""

    version: str
    exam: str
    domains: tuple[Domain, ...]

    def domain(self, domain_id: str) -> Domain:
        """Return the domain with this id."""
        return next(d for d in self.domains if d.id == domain_id)


@dataclass(frozen=True)
class Tip:
    """One exam tip or trap (``quizzes/exam_tips.yaml``)."""

    id: str
    kind: str
    chapter: str
    summary: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank file."""

    file: str
    question_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"question '{self.question_id}'" if self.question_id else "file"
        return f"{self.file}: {where}, field '{self.field}': {self.message}"


class BankError(ValueError):
    """The question bank is malformed. ``problems`` lists every issue found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the question bank:\n{lines}")


class Bank:
    """All questions, with the blueprint and tips they refer to.

    >>> bank = load_bank()
    >>> bank.select(chapter="02")[0].chapter
    '02'
    """

    def __init__(self, questions: Iterable[Question], blueprint: Blueprint, tips: dict[str, Tip]):
        self.questions = tuple(questions)
        self.blueprint = blueprint
        self.tips = tips
        self._by_id = {q.id: q for q in self.questions}

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __contains__(self, question_id: str) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question:
        """Return one question; a missing id raises ``KeyError`` naming close matches."""
        try:
            return self._by_id[question_id]
        except KeyError:
            prefix = question_id[:3]
            near = sorted(i for i in self._by_id if i.startswith(prefix))[:5]
            raise KeyError(f"no question '{question_id}' in the bank; ids starting {prefix!r}: {near}") from None

    def select(
        self,
        *,
        chapter: str | None = None,
        domain: str | None = None,
        tip: str | None = None,
    ) -> list[Question]:
        """Return the questions matching every filter given, in bank order."""
        return [
            q
            for q in self.questions
            if (chapter is None or q.chapter == chapter)
            and (domain is None or q.domain == domain)
            and (tip is None or tip in q.tips)
        ]

    @property
    def chapters(self) -> list[str]:
        """Chapter numbers that have questions, sorted."""
        return sorted({q.chapter for q in self.questions})


def _read_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        raise BankError([Problem(_rel(path), None, "(YAML syntax)", f"{where}: {getattr(exc, 'problem', exc)}")]) from None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(QUIZZES.parent))
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=4)
def _validator(schema_path: Path):
    """The thorough validator: slow (and slow to import), but it lists every error with its path."""
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(schema_path.read_text()))


@functools.lru_cache(maxsize=4)
def _fast_check(schema_path: Path) -> Callable[[object], object]:
    """A compiled validator: about 10x faster, used to pass valid files quickly."""
    return fastjsonschema.compile(json.loads(schema_path.read_text()))


def _format_path(parts: Iterable[object]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _resolve(data: object, path: list) -> object:
    for part in path:
        data = data[part]  # type: ignore[index]
    return data


def _schema_problems(data: object, file: str, schema_path: Path) -> list[Problem]:
    try:
        _fast_check(schema_path)(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # find and explain every problem with the thorough validator
    problems = []
    questions = data.get("questions") if isinstance(data, dict) else None
    for err in _validator(schema_path).iter_errors(data):
        path = list(err.absolute_path)
        qid = None
        if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
            q = questions[path[1]] if isinstance(questions, list) else None
            qid = q.get("id") if isinstance(q, dict) else None
            qid = qid or f"#{path[1] + 1}"
            path = path[2:]
        if err.validator == "required":
            missing = re.search(r"'([^']+)' is a required property", err.message)
            field_name = _format_path([*path, missing.group(1)] if missing else path)
            message = "is missing"
        elif err.validator == "additionalProperties":
            extra = re.findall(r"'([^']+)'", err.message)
            field_name = _format_path([*path, *extra[:1]])
            message = "is not a known field (typo?)"
        elif err.validator is None:  # a `false` subschema: this field is not allowed here
            parent = _resolve(data, list(err.absolute_path))
            key = next((k for k, v in parent.items() if v is err.instance), None) if isinstance(parent, dict) else None
            field_name = _format_path([*path, *([key] if key else [])])
            message = "is not allowed for this question type"
        elif err.validator == "enum":
            field_name, message = _format_path(path), f"must be one of {err.validator_value}, not {err.instance!r}"
        elif err.validator == "pattern":
            field_name = _format_path(path)
            message = f"{err.instance!r} does not have the expected form (pattern {err.validator_value})"
        else:
            field_name, message = _format_path(path), err.message
        problems.append(Problem(file, qid, field_name, message))
    return problems


def _semantic_problems(
    chapter: str, raw: dict, file: str, stem_name: str, domains: set[str], tips: dict[str, Tip]
) -> list[Problem]:
    problems = []
    if not stem_name.startswith(chapter + "_"):
        problems.append(Problem(file, None, "chapter", f"is {chapter!r} but the file name starts {stem_name[:3]!r}"))
    for q in raw:
        qid = q["id"]

        def bad(field_name: str, message: str) -> None:
            problems.append(Problem(file, qid, field_name, message))

        if not qid.startswith(chapter + "-"):
            bad("id", f"must start with the chapter number '{chapter}-'")
        if q["domain"] not in domains:
            bad("domain", f"{q['domain']!r} is not an exam section; use one of {sorted(domains)}")
        for tip in q["tips"]:
            if tip not in tips:
                bad("tips", f"{tip} is not in quizzes/exam_tips.yaml")
        if q["type"] == "numeric":
            continue
        n_correct = sum(bool(o.get("correct")) for o in q["options"])
        if q["type"] in ("single", "true_false") and n_correct != 1:
            bad("options", f"a {q['type']} question needs exactly one correct option, found {n_correct}")
        if q["type"] == "multiple" and n_correct < 2:
            bad("options", f"a multiple-select question needs at least two correct options, found {n_correct}")
        if q["type"] == "true_false" and [o["text"] for o in q["options"]] != ["True", "False"]:
            bad("options", "a true_false question has exactly two options, 'True' then 'False'")
    return problems


def _question(q: dict, chapter: str, path: Path) -> Question:
    options = tuple(Option(o["text"], o["why"], bool(o.get("correct", False))) for o in q.get("options", ()))
    return Question(
        id=q["id"],
        chapter=chapter,
        domain=q["domain"],
        tips=tuple(q["tips"]),
        type=q["type"],
        difficulty=q["difficulty"],
        source=q["source"],
        stem=q["stem"].strip(),
        options=options,
        answer=float(q["answer"]) if "answer" in q else None,
        tolerance=float(q.get("tolerance", 0.0)),
        unit=q.get("unit", ""),
        why=q.get("why", "").strip(),
        file=path,
    )


def load_blueprint(path: Path = QUIZZES / "blueprint.yaml") -> Blueprint:
    """Load the exam blueprint (sections and weights)."""
    data = _read_yaml(path)
    domains = tuple(Domain(d["id"], int(d["section"]), d["name"], float(d["weight"])) for d in data["domains"])
    return Blueprint(str(data["version"]), data["exam"], domains)


def load_tips(path: Path = QUIZZES / "exam_tips.yaml") -> dict[str, Tip]:
    """Load the exam tips and traps, keyed by id."""
    data = _read_yaml(path)
    return {t["id"]: Tip(t["id"], t["kind"], str(t["chapter"]), t["summary"]) for t in data["tips"]}


def load_retired_ids(path: Path = QUIZZES / "retired_ids.yaml") -> set[str]:
    """Ids of deleted questions; they may never be used again."""
    data = _read_yaml(path) if path.exists() else None
    return set((data or {}).get("retired", []) or [])


def load_bank(directory: Path | str = BANK_DIR) -> Bank:
    """Load and validate every ``*.yaml`` file of the bank.

    Raises:
        BankError: listing every problem, each with its file, question id and field.
    """
    directory = Path(directory)
    quizzes = directory.parent
    blueprint = load_blueprint(quizzes / "blueprint.yaml")
    tips = load_tips(quizzes / "exam_tips.yaml")
    retired = load_retired_ids(quizzes / "retired_ids.yaml")
    domains = {d.id for d in blueprint.domains}
    schema_path = quizzes / "bank.schema.json"

    problems: list[Problem] = []
    questions: list[Question] = []
    seen: dict[str, str] = {}
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise BankError([Problem(_rel(directory), None, "(folder)", "contains no question files (*.yaml)")])
    for path in files:
        file = _rel(path)
        data = _read_yaml(path)
        found = _schema_problems(data, file, schema_path)
        if found:
            problems += found
            continue
        chapter = data["chapter"]
        problems += _semantic_problems(chapter, data["questions"], file, path.stem, domains, tips)
        for q in data["questions"]:
            if q["id"] in seen:
                problems.append(Problem(file, q["id"], "id", f"is already used in {seen[q['id']]}"))
            elif q["id"] in retired:
                problems.append(Problem(file, q["id"], "id", "was retired (quizzes/retired_ids.yaml); choose a new id"))
            seen[q["id"]] = file
            questions.append(_question(q, chapter, path))
    if problems:
        raise BankError(problems)
    return Bank(questions, blueprint, tips)
