"""Instructor tools: export a learner's results, aggregate a class, print a quiz with its key.

    workbook export-results -o ada.json          # each learner, after the workshop
    workbook class-report exports/*.json -o report/
    workbook print-quiz --chapter 02 --seed 7 -o quiz/
"""
from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from workbook.quiz._bank import Bank, Question
from workbook.quiz._store import ProgressStore
from workbook.quiz._widget import LETTERS, markdown_to_html

EXPORT_COLUMNS = ["learner", "question_id", "chapter", "domain", "tips", "response", "correct", "context",
                  "answered_at"]


# -- one learner's export -----------------------------------------------------------------
def results_frame(bank: Bank, store: ProgressStore) -> pd.DataFrame:
    """Every attempt of the store's learner, one row each, with the question's chapter and section."""
    rows = []
    for a in store.attempts():
        q = bank.get(a.question_id) if a.question_id in bank else None
        rows.append({"learner": a.learner, "question_id": a.question_id, "chapter": q.chapter if q else "",
                     "domain": q.domain if q else "", "tips": " ".join(q.tips) if q else "",
                     "response": json.dumps(a.response), "correct": a.correct, "context": a.context,
                     "answered_at": a.answered_at.isoformat()})
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def export_results(bank: Bank, store: ProgressStore, path: Path | str) -> Path:
    """Write the learner's attempts to ``path``: ``.csv`` or ``.json`` (records) by its suffix."""
    path = Path(path)
    df = results_frame(bank, store)
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".json":
        path.write_text(json.dumps({"format": "mlops-workbook results", "version": 1,
                                    "learner": store.learner, "attempts": df.to_dict("records")}, indent=1))
    else:
        raise ValueError(f"export to .csv or .json, not {path.suffix or 'a file without suffix'}")
    return path


def load_exports(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Read many learners' exports (CSV or JSON) into one table; a bad file is named in the error."""
    frames = []
    for path in map(Path, paths):
        try:
            if path.suffix == ".csv":
                df = pd.read_csv(path, dtype={"chapter": str, "tips": str}, keep_default_na=False)
            else:
                data = json.loads(path.read_text())
                if data.get("format") != "mlops-workbook results":
                    raise ValueError("not a workbook results export (no 'format' header)")
                df = pd.DataFrame(data["attempts"], columns=EXPORT_COLUMNS)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path}: cannot read this export ({exc})") from None
        missing = set(EXPORT_COLUMNS) - set(df.columns)
        if missing:
            raise ValueError(f"{path}: missing columns {sorted(missing)}")
        frames.append(df[EXPORT_COLUMNS])
    if not frames:
        raise ValueError("no export files given")
    out = pd.concat(frames, ignore_index=True)
    out["correct"] = out["correct"].astype(str).str.lower().isin(["true", "1"])
    return out


# -- the class report ------------------------------------------------------------------------
def _first_attempts(df: pd.DataFrame) -> pd.DataFrame:
    """Each learner's first attempt at each question: what they knew before practising it."""
    return df.sort_values("answered_at").drop_duplicates(["learner", "question_id"], keep="first")


def question_difficulty(df: pd.DataFrame, bank: Bank) -> pd.DataFrame:
    """Per question: learners, share correct at the first attempt, and the most chosen wrong option."""
    first = _first_attempts(df)
    rows = []
    for qid, group in first.groupby("question_id"):
        q = bank.get(qid) if qid in bank else None
        distractor, share = "", 0.0
        if q is not None and q.type != "numeric":
            wrong = [i for r in group["response"] for i in _indices(r) if i not in q.correct_indices]
            if wrong:
                top = pd.Series(wrong).value_counts()
                distractor, share = q.options[int(top.index[0])].text, top.iloc[0] / len(group)
        rows.append({"question_id": qid, "learners": len(group), "share_correct": group["correct"].mean(),
                     "top_distractor": distractor, "distractor_share": share})
    return pd.DataFrame(rows).sort_values(["share_correct", "question_id"]).reset_index(drop=True)


def _indices(response: str) -> list[int]:
    value = json.loads(response) if isinstance(response, str) else response
    if isinstance(value, list):
        return [int(v) for v in value]
    return [int(value)] if isinstance(value, int) else []


def domain_averages(df: pd.DataFrame, bank: Bank) -> pd.DataFrame:
    """Per exam section: learners, first-attempt accuracy per learner averaged over the class."""
    first = _first_attempts(df)
    per_learner = first.groupby(["domain", "learner"])["correct"].mean().reset_index()
    stats = per_learner.groupby("domain")["correct"].agg(["count", "mean", "min", "max"])
    stats.columns = ["learners", "class_average", "lowest", "highest"]
    order = [d.id for d in bank.blueprint.domains]
    return stats.reindex([d for d in order if d in stats.index])


def plot_class_report(difficulty: pd.DataFrame, domains: pd.DataFrame, bank: Bank):
    """Two panels: class average per exam section, and the hardest questions."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    names = {d.id: f"{d.section}. {d.name[:30]}" for d in bank.blueprint.domains}
    axes[0].barh([names[d] for d in domains.index][::-1], domains["class_average"].to_numpy()[::-1], color="#4c72b0")
    axes[0].set(xlim=(0, 1), title="Class average per exam section (first attempts)")
    hardest = difficulty.head(12)
    axes[1].barh(hardest["question_id"][::-1], hardest["share_correct"][::-1], color="#c44e52")
    axes[1].set(xlim=(0, 1), title="Hardest questions (share correct)")
    fig.tight_layout()
    return fig


def write_class_report(df: pd.DataFrame, bank: Bank, folder: Path | str) -> list[Path]:
    """Write difficulty and section tables (CSV), a figure (PNG) and a Markdown summary to ``folder``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    difficulty, domains = question_difficulty(df, bank), domain_averages(df, bank)
    difficulty.to_csv(folder / "questions.csv", index=False)
    domains.to_csv(folder / "sections.csv")
    fig = plot_class_report(difficulty, domains, bank)
    fig.savefig(folder / "report.png", dpi=100)
    plt.close(fig)
    lines = [f"# Class report: {df['learner'].nunique()} learners, {len(df)} answers", "",
             "![report](report.png)", "", "## Hardest questions", "",
             "| question | learners | correct | most chosen wrong option |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.question_id} | {r.learners} | {r.share_correct:.0%} | {r.top_distractor} "
              f"({r.distractor_share:.0%}) |" if r.top_distractor else
              f"| {r.question_id} | {r.learners} | {r.share_correct:.0%} | |" for r in difficulty.head(15).itertuples()]
    (folder / "report.md").write_text("\n".join(lines) + "\n")
    return [folder / n for n in ("questions.csv", "sections.csv", "report.png", "report.md")]


# -- printable quizzes and workshop mode ---------------------------------------------------------
def select_questions(bank: Bank, *, chapter: str | None = None, domain: str | None = None, n: int | None = None,
                     seed: int = 0) -> list[Question]:
    """The questions of a chapter and/or section; with ``n``, a seeded random set of that size."""
    pool = bank.select(chapter=chapter, domain=domain)
    if not pool:
        raise ValueError(f"no questions for chapter={chapter!r}, domain={domain!r}")
    return random.Random(seed).sample(pool, min(n, len(pool))) if n else pool


def workshop_key(seed: int) -> str:
    """The shuffle key of a workshop: everyone with the same seed sees the same option order."""
    return f"workshop-{seed}"


def printable_quiz(questions: list[Question], *, title: str, shuffle_key: str) -> tuple[str, str]:
    """A quiz without answers and its answer key, both in Markdown, options in the same order."""
    from workbook.quiz._widget import option_order

    quiz, key = [f"# {title}", ""], [f"# {title}: answer key", ""]
    for n, q in enumerate(questions, 1):
        order = option_order(q, shuffle_key)
        kind = {"multiple": " *(choose all that apply)*", "numeric": f" *(a number{', in ' + q.unit if q.unit else ''})*"}
        quiz += [f"## Question {n}{kind.get(q.type, '')}", "", q.stem, ""]
        quiz += [f"- **{LETTERS[pos]}.** {q.options[i].text}" for pos, i in enumerate(order)] + [""]
        if q.type == "numeric":
            quiz += ["Answer: ______", ""]
            key += [f"**{n}.** {q.answer:g} {q.unit} (± {q.tolerance:g}) — {q.why}", ""]
            continue
        right = ", ".join(LETTERS[pos] for pos, i in enumerate(order) if q.options[i].correct)
        key += [f"**{n}. {right}** (`{q.id}`)", ""]
        key += [f"- {LETTERS[pos]}. {'✔' if q.options[i].correct else '✘'} {q.options[i].why}"
                for pos, i in enumerate(order)] + [""]
    return "\n".join(quiz), "\n".join(key)


def write_printable_quiz(questions: list[Question], folder: Path | str, *, title: str, seed: int) -> list[Path]:
    """Write quiz.md/.html and answer_key.md/.html (HTML ready to print) into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    quiz, key = printable_quiz(questions, title=title, shuffle_key=workshop_key(seed))
    style = "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto}h2{page-break-after:avoid}</style>"
    written = []
    for name, text in (("quiz", quiz), ("answer_key", key)):
        (folder / f"{name}.md").write_text(text)
        (folder / f"{name}.html").write_text(f"<!doctype html><meta charset='utf-8'><title>{name}</title>{style}"
                                             f"{markdown_to_html(text)}")
        written += [folder / f"{name}.md", folder / f"{name}.html"]
    return written
