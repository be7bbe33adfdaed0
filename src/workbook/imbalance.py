"""Metrics and plots for classification with a rare positive class, introduced in chapter 03
(sampling and class imbalance) and used by its lab.

* :func:`operating_point` / :func:`recall_at_precision`: the best recall a score can reach
  while at least ``min_precision`` of its alerts are real positives, and the threshold for it;
* :func:`imbalance_metrics`: accuracy, precision, recall and F1 at a threshold, with the
  threshold-free ROC-AUC and PR-AUC (average precision), in one dictionary;
* :func:`plot_pr_curves` and :func:`plot_score_distributions`: the two plots a learner needs to
  compare models on imbalanced data.

    >>> y, s = [0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.8, 0.9]
    >>> recall_at_precision(y, s, min_precision=0.75)
    1.0
    >>> operating_point(y, s, min_precision=0.9)
    OperatingPoint(threshold=0.8, precision=1.0, recall=0.6666666666666666)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import (
    accuracy_score, average_precision_score, f1_score, precision_recall_curve, precision_score, recall_score,
    roc_auc_score,
)

__all__ = ["OperatingPoint", "imbalance_metrics", "operating_point", "plot_pr_curves", "plot_score_distributions",
           "recall_at_precision"]


@dataclass(frozen=True)
class OperatingPoint:
    """A threshold on the scores and the precision and recall it gives (``inf`` flags nothing)."""

    threshold: float
    precision: float
    recall: float


def operating_point(y_true: ArrayLike, scores: ArrayLike, min_precision: float) -> OperatingPoint:
    """The threshold with the highest recall among those whose precision is at least ``min_precision``.

    Flag a row when ``score >= threshold``. Among thresholds with the same (best) recall the
    highest one is returned: it raises the fewest alerts. When no threshold reaches the
    precision, nothing can be flagged: ``OperatingPoint(inf, nan, 0.0)``.

    >>> operating_point([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], min_precision=0.6)
    OperatingPoint(threshold=0.2, precision=0.6666666666666666, recall=1.0)
    """
    precision, recall, thresholds = precision_recall_curve(np.asarray(y_true), np.asarray(scores, dtype=float))
    precision, recall = precision[:-1], recall[:-1]  # the last point (precision 1, recall 0) has no threshold
    ok = precision >= min_precision
    if not ok.any():
        return OperatingPoint(float("inf"), float("nan"), 0.0)
    best = recall[ok].max()
    i = np.flatnonzero(ok & (recall == best)).max()
    return OperatingPoint(float(thresholds[i]), float(precision[i]), float(recall[i]))


def recall_at_precision(y_true: ArrayLike, scores: ArrayLike, min_precision: float) -> float:
    """The highest recall reachable while at least ``min_precision`` of the flagged rows are positive.

    >>> recall_at_precision([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], min_precision=0.9)
    0.5
    """
    return operating_point(y_true, scores, min_precision).recall


def imbalance_metrics(y_true: ArrayLike, scores: ArrayLike, threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of ``score >= threshold``; ROC-AUC and PR-AUC of the scores.

    PR-AUC is scikit-learn's average precision. Precision is 0 when nothing is flagged.

    >>> imbalance_metrics([0, 0, 0, 1], [0.1, 0.2, 0.6, 0.9])["precision"]
    0.5
    """
    y, s = np.asarray(y_true), np.asarray(scores, dtype=float)
    flagged = (s >= threshold).astype(int)
    return {
        "accuracy": float(accuracy_score(y, flagged)),
        "precision": float(precision_score(y, flagged, zero_division=0)),
        "recall": float(recall_score(y, flagged, zero_division=0)),
        "f1": float(f1_score(y, flagged, zero_division=0)),
        "roc_auc": float(roc_auc_score(y, s)),
        "pr_auc": float(average_precision_score(y, s)),
    }


def plot_pr_curves(y_true: ArrayLike, scores: Mapping[str, ArrayLike], *, ax=None, min_precision: float | None = None,
                   title: str | None = None):
    """Precision-recall curves of several score vectors for the same labels, on one axes.

    The legend gives each curve's PR-AUC (average precision); the dashed line is the
    prevalence, the PR-AUC of random scores. With ``min_precision`` a dotted line marks the
    required precision and a dot each curve's best recall there. Returns the axes.
    """
    import matplotlib.pyplot as plt

    ax = ax if ax is not None else plt.subplots(figsize=(5, 4))[1]
    y = np.asarray(y_true)
    for name, s in scores.items():
        precision, recall, _ = precision_recall_curve(y, np.asarray(s, dtype=float))
        line, = ax.step(recall, precision, where="post",
                        label=f"{name} (PR-AUC {average_precision_score(y, s):.3f})")
        if min_precision is not None:
            point = operating_point(y, s, min_precision)
            if point.recall > 0:
                ax.plot(point.recall, point.precision, "o", color=line.get_color())
    ax.axhline(y.mean(), color="grey", linestyle="--", linewidth=1, label=f"random ({y.mean():.2%} positives)")
    if min_precision is not None:
        ax.axhline(min_precision, color="black", linestyle=":", linewidth=1)
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.02), title=title or "Precision-recall")
    ax.legend(fontsize="small", loc="lower left")  # below a falling PR curve, usually empty
    return ax


def plot_score_distributions(y_true: ArrayLike, scores: ArrayLike, *, ax=None, bins: int = 40, title: str | None = None):
    """Histograms of the scores of each class, with a log-scale count axis so the rare class shows."""
    import matplotlib.pyplot as plt

    ax = ax if ax is not None else plt.subplots(figsize=(5, 3))[1]
    y, s = np.asarray(y_true), np.asarray(scores, dtype=float)
    edges = np.linspace(s.min(), s.max(), bins + 1) if s.max() > s.min() else bins
    ax.hist(s[y == 0], bins=edges, histtype="stepfilled", alpha=0.6, label=f"negatives ({(y == 0).sum():,})")
    ax.hist(s[y == 1], bins=edges, histtype="stepfilled", alpha=0.7, label=f"positives ({(y == 1).sum():,})")
    ax.set(yscale="log", xlabel="score", ylabel="count (log scale)", title=title or "Scores by class")
    ax.legend(fontsize="small")
    return ax
