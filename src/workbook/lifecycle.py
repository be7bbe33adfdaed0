"""Small, runnable pieces of an ML system's lifecycle, introduced in Chapter 01 (foundations).

* :func:`run_steps` runs pipeline steps in order, stops at the first rejection and keeps a run
  log: the smallest possible orchestrator, to compare with steps run by hand.
* :func:`fingerprint` names a fitted model (or any picklable object) by a hash of its bytes, so
  two runs can be compared for reproducibility.
* :func:`drift_report` compares each input column of a new batch with a reference batch (a
  two-sample Kolmogorov–Smirnov test): data-drift detection from inputs alone.
* :func:`feedback_loop` simulates a recommender that learns from the clicks on what it showed.
* :func:`plot_lifecycle` draws the lifecycle stages and the chapters that cover them.

>>> log = run_steps([lambda ctx: {"n": 3}, lambda ctx: {"double": 2 * ctx["n"]}], {})
>>> log.context["double"], log.ok
(6, True)
"""
from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["STAGES", "Rejected", "RunLog", "drift_report", "feedback_loop", "fingerprint", "plot_lifecycle",
           "run_steps"]


class Rejected(Exception):
    """Raised by a pipeline step to stop the run on purpose, with the reason (a bad batch, a worse model)."""


@dataclass
class RunLog:
    """What :func:`run_steps` did: one row per step, and the context the steps built."""

    steps: list[dict] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every step ran and none rejected the run."""
        return bool(self.steps) and all(s["status"] == "done" for s in self.steps)

    def table(self) -> pd.DataFrame:
        """The run log as a table: step, status, detail."""
        return pd.DataFrame(self.steps, columns=["step", "status", "detail"])


def _name(step: Callable) -> str:
    return getattr(step, "__name__", type(step).__name__).strip("<>")


def run_steps(steps: Sequence[Callable[[dict], dict | None]], context: dict) -> RunLog:
    """Run ``steps`` in order on a shared ``context``; stop at the first :class:`Rejected`.

    Each step receives the context and returns a dict of new entries (or None). A step that
    raises :class:`Rejected` stops the run: later steps are logged as ``skipped``. Any other
    exception is logged as ``failed`` and also stops the run (an orchestrator does not crash).

    Args:
        steps: the step functions, in dependency order.
        context: the run's inputs (a batch, a seed, paths); a copy is extended by the steps.

    Returns:
        A :class:`RunLog`.
    """
    log = RunLog(context=dict(context))
    stopped = False
    for step in steps:
        if stopped:
            log.steps.append({"step": _name(step), "status": "skipped", "detail": ""})
            continue
        try:
            log.context.update(step(log.context) or {})
            log.steps.append({"step": _name(step), "status": "done", "detail": ""})
        except Rejected as reason:
            log.steps.append({"step": _name(step), "status": "rejected", "detail": str(reason)})
            stopped = True
        except Exception as exc:  # noqa: BLE001 (a failed step is logged, the run stops)
            log.steps.append({"step": _name(step), "status": "failed", "detail": f"{type(exc).__name__}: {exc}"})
            stopped = True
    return log


def fingerprint(obj: object, length: int = 12) -> str:
    """A short hex digest of ``obj``'s pickled bytes: equal objects give equal fingerprints.

    >>> fingerprint([1, 2, 3]) == fingerprint([1, 2, 3]), fingerprint([1, 2, 3]) == fingerprint([1, 2, 4])
    (True, False)
    """
    return hashlib.sha256(pickle.dumps(obj, protocol=5)).hexdigest()[:length]


def drift_report(reference: pd.DataFrame, current: pd.DataFrame, features: Sequence[str], *,
                 alpha: float = 0.01) -> pd.DataFrame:
    """Two-sample Kolmogorov–Smirnov test of every feature: has its distribution changed?

    Args:
        reference: the batch the model was trained on (or a sample of it).
        current: the new batch.
        features: the columns to compare.
        alpha: a feature with a p-value below ``alpha`` is flagged as drifted.

    Returns:
        One row per feature: ``ks_statistic`` (the largest gap between the two cumulative
        distributions), ``p_value`` and ``drifted``.
    """
    from scipy.stats import ks_2samp

    rows = {}
    for f in features:
        result = ks_2samp(reference[f].to_numpy(), current[f].to_numpy(), method="asymp")
        rows[f] = {"ks_statistic": float(result.statistic), "p_value": float(result.pvalue),
                   "drifted": bool(result.pvalue < alpha)}
    return pd.DataFrame.from_dict(rows, orient="index")


def feedback_loop(n_items: int = 100, n_rounds: int = 30, *, shown: int = 5, visits: int = 200,
                  explore: float = 0.0, seed: int = 0) -> pd.DataFrame:
    """Simulate a "most popular" recommender that is retrained on the clicks it caused.

    Every item has a hidden appeal (its click probability when shown). In round 0 each visitor
    sees ``shown`` random items. From then on the recommender shows the ``shown`` items with the
    best click rate in its logs (clicks per time shown, smoothed), except that with probability
    ``explore`` a visitor sees random items instead. Clicks and impressions are logged and
    become the next round's training data.

    Returns:
        One row per round: ``top_share`` (share of all logged impressions so far that went to
        the 10 % most-shown items: how skewed the training data is), ``items_known`` (items
        shown at least 50 times, enough to estimate their click rate), ``appeal_recommended``
        (mean hidden appeal of the items the recommender ranks first after the round) and
        ``appeal_best`` (the mean appeal of the ``shown`` truly best items).

    >>> feedback_loop(50, 5, seed=1)["round"].tolist()
    [0, 1, 2, 3, 4]
    """
    rng = np.random.default_rng(seed)
    appeal = rng.beta(2, 8, n_items)
    best = float(np.sort(appeal)[-shown:].mean())
    clicks = np.zeros(n_items)
    impressions = np.zeros(n_items)
    top = max(1, n_items // 10)
    rows = []
    for r in range(n_rounds):
        popular = np.argsort(-(clicks + 1) / (impressions + 2), kind="stable")[:shown]
        for _ in range(visits):
            items = rng.choice(n_items, shown, replace=False) if r == 0 or rng.random() < explore else popular
            impressions[items] += 1
            clicks[items] += rng.random(shown) < appeal[items]
        ranked = np.argsort(-(clicks + 1) / (impressions + 2), kind="stable")[:shown]
        rows.append({"round": r, "top_share": float(np.sort(impressions)[-top:].sum() / impressions.sum()),
                     "items_known": int((impressions >= 50).sum()),
                     "appeal_recommended": float(appeal[ranked].mean()), "appeal_best": best})
    return pd.DataFrame(rows)


STAGES = (
    ("Scoping", "problem, metric, latency budget", "01"),
    ("Data", "sources, validation, leakage, features", "02–06"),
    ("Modeling", "experiments, tuning, reproducibility", "08–10"),
    ("Deployment", "pipelines, serving, CI/CD", "07, 11, 13"),
    ("Monitoring", "drift, feedback, retraining", "12"),
)
"""The lifecycle stages: (name, what happens, chapters of this workbook that cover it)."""


def plot_lifecycle(ax=None):
    """Draw the lifecycle as a loop of boxes, with the chapters covering each stage; returns the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2))
    n = len(STAGES)
    for i, (name, what, chapters) in enumerate(STAGES):
        x = i * 2.2
        ax.add_patch(FancyBboxPatch((x, 0), 1.8, 1.2, boxstyle="round,pad=0.05", fc="#dbe9f6", ec="#4c72b0"))
        ax.text(x + 0.9, 0.85, name, ha="center", va="center", fontsize=11, weight="bold")
        ax.text(x + 0.9, 0.5, what.replace(", ", ",\n", 1), ha="center", va="center", fontsize=7.5)
        ax.text(x + 0.9, 0.12, f"ch. {chapters}", ha="center", va="center", fontsize=8, color="#4c72b0")
        if i + 1 < n:
            ax.add_patch(FancyArrowPatch((x + 1.85, 0.6), (x + 2.15, 0.6), arrowstyle="-|>", mutation_scale=12))
    ax.add_patch(FancyArrowPatch(((n - 1) * 2.2 + 0.9, -0.05), (2.2 + 0.9, -0.05), connectionstyle="arc3,rad=-0.2",
                                 arrowstyle="-|>", mutation_scale=12, color="#c44e52"))
    ax.text((n / 2) * 2.2, -0.75, "monitoring feeds new data and retraining back into the loop", ha="center",
            fontsize=8, color="#c44e52")
    ax.set_xlim(-0.2, n * 2.2 - 0.2)
    ax.set_ylim(-1.0, 1.35)
    ax.axis("off")
    return ax
