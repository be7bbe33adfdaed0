"""Progress analytics for the dashboard: mastery per exam section and chapter, accuracy over
time, reviews coming due, and the weakest exam tips."""
from __future__ import annotations

import datetime as dt
import pandas as pd

from workbook._paths import REPO_ROOT

from workbook.quiz._bank import Bank
from workbook.quiz._schedule import DEFAULT_RETENTION, card_states
from workbook.quiz._store import ProgressStore


def attempts_frame(bank: Bank, store: ProgressStore) -> pd.DataFrame:
    """Every attempt of the learner with its question's chapter, section and tips."""
    rows = [{"question_id": a.question_id, "correct": a.correct, "answered_at": a.answered_at,
             "context": a.context} for a in store.attempts() if a.question_id in bank]
    df = pd.DataFrame(rows, columns=["question_id", "correct", "answered_at", "context"])
    meta = pd.DataFrame([{"question_id": q.id, "chapter": q.chapter, "domain": q.domain, "tips": q.tips}
                         for q in bank])
    return df.merge(meta, on="question_id", how="left")


def mastery(bank: Bank, store: ProgressStore, by: str = "domain") -> pd.DataFrame:
    """Per section (``by="domain"``) or chapter: questions, answered, and mastery, the share of
    all its questions whose latest answer is correct."""
    latest = attempts_frame(bank, store).drop_duplicates("question_id", keep="last").set_index("question_id")
    keys = [d.id for d in bank.blueprint.domains] if by == "domain" else bank.chapters
    rows = []
    for key in keys:
        ids = [q.id for q in bank if getattr(q, by) == key]
        answered = latest.index.intersection(ids)
        correct = int(latest.loc[answered, "correct"].sum()) if len(answered) else 0
        rows.append({by: key, "questions": len(ids), "answered": len(answered), "correct": correct,
                     "mastery": correct / len(ids) if ids else 0.0})
    return pd.DataFrame(rows).set_index(by)


def accuracy_over_time(bank: Bank, store: ProgressStore) -> pd.DataFrame:
    """Answers and share correct per day."""
    df = attempts_frame(bank, store)
    if df.empty:
        return pd.DataFrame(columns=["answers", "accuracy"])
    daily = df.groupby(df["answered_at"].map(lambda t: t.date()))["correct"].agg(["size", "mean"])
    return daily.rename(columns={"size": "answers", "mean": "accuracy"})


def due_forecast(bank: Bank, store: ProgressStore, days: int = 14, retention: float = DEFAULT_RETENTION,
                 now: dt.datetime | None = None) -> pd.Series:
    """How many answered questions fall due on each of the next ``days`` days (overdue count as today)."""
    now = now or store.clock()
    states = card_states(store, [q.id for q in bank], retention=retention, now=now)
    counts = [0] * days
    for s in states.values():
        if not s.is_new:
            offset = max(0, (s.due.date() - now.date()).days)
            if offset < days:
                counts[offset] += 1
    return pd.Series(counts, index=[now.date() + dt.timedelta(days=i) for i in range(days)], name="due")


def weakest_tips(bank: Bank, store: ProgressStore, n: int = 5, chapters_dir: str = "../chapters") -> pd.DataFrame:
    """The exam tips with the lowest accuracy among those practised, with the chapter to reread."""
    df = attempts_frame(bank, store).explode("tips")
    if df.empty:
        return pd.DataFrame(columns=["tip", "attempts", "accuracy", "summary", "chapter"])
    stats = df.groupby("tips")["correct"].agg(["size", "mean"]).rename(columns={"size": "attempts", "mean": "accuracy"})
    stats = stats.sort_values(["accuracy", "attempts"], ascending=[True, False]).head(n)
    notebooks = {p.name[:2]: p.name for p in (REPO_ROOT / "chapters").glob("*.ipynb")}
    out = []
    for tip, row in stats.iterrows():
        t = bank.tips[tip]
        link = f"{chapters_dir}/{notebooks[t.chapter]}" if t.chapter in notebooks else ""
        out.append({"tip": tip, "attempts": int(row["attempts"]), "accuracy": row["accuracy"], "summary": t.summary,
                    "chapter": link})
    return pd.DataFrame(out)


def plot_dashboard(bank: Bank, store: ProgressStore, now: dt.datetime | None = None):
    """A 2×2 figure: mastery per section, mastery per chapter, accuracy over time, reviews due."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    by_domain = mastery(bank, store, "domain")
    labels = [f"{d.section}. {d.name[:28]}" for d in bank.blueprint.domains]
    axes[0, 0].barh(labels[::-1], by_domain["mastery"].to_numpy()[::-1], color="#4c72b0")
    axes[0, 0].set(xlim=(0, 1), title="Mastery per exam section")
    by_chapter = mastery(bank, store, "chapter")
    axes[0, 1].bar(by_chapter.index, by_chapter["mastery"], color="#55a868")
    axes[0, 1].set(ylim=(0, 1), title="Mastery per chapter", xlabel="chapter")
    daily = accuracy_over_time(bank, store)
    if len(daily):
        axes[1, 0].plot(pd.to_datetime(daily.index), daily["accuracy"], marker="o", color="#c44e52")
        axes[1, 0].tick_params(axis="x", labelrotation=30)
    else:
        axes[1, 0].text(0.5, 0.5, "no answers yet", ha="center", va="center", transform=axes[1, 0].transAxes)
    axes[1, 0].set(ylim=(0, 1.05), title="Accuracy per day")
    due = due_forecast(bank, store, now=now)
    axes[1, 1].bar(range(len(due)), due.to_numpy(), color="#8172b2")
    axes[1, 1].set(title="Reviews due in the next 14 days", xlabel="days from today")
    fig.tight_layout()
    return fig
