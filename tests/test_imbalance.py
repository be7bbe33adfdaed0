"""Tests for workbook.imbalance: operating points, metrics and plots for rare positives."""
from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest

from workbook.imbalance import (
    OperatingPoint, imbalance_metrics, operating_point, plot_pr_curves, plot_score_distributions, recall_at_precision,
)

matplotlib.use("Agg")


def _brute_force(y, s, min_precision):
    """Best recall over every threshold (each distinct score) with precision >= min_precision."""
    best = 0.0
    for t in np.unique(s):
        flag = s >= t
        precision = (flag & (y == 1)).sum() / flag.sum()
        if precision >= min_precision:
            best = max(best, (flag & (y == 1)).sum() / (y == 1).sum())
    return best


def test_operating_point_on_a_hand_made_example():
    """The threshold, precision and recall are those worked out by hand."""
    y, s = [0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.8, 0.9]
    assert operating_point(y, s, 0.9) == OperatingPoint(0.8, 1.0, 2 / 3)
    assert operating_point(y, s, 0.75) == OperatingPoint(0.3, 0.75, 1.0)


def test_unreachable_precision_flags_nothing():
    """When no threshold reaches the precision, recall is 0 and the threshold is infinite."""
    point = operating_point([1, 0, 0], [0.1, 0.5, 0.9], 0.9)
    assert point.recall == 0.0 and math.isinf(point.threshold) and math.isnan(point.precision)


def test_ties_choose_the_highest_threshold():
    """Among thresholds with the same best recall, the one raising the fewest alerts wins."""
    point = operating_point([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.8], 0.5)
    assert point == OperatingPoint(0.8, 1.0, 1.0)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("min_precision", [0.2, 0.5, 0.8])
def test_recall_at_precision_matches_brute_force(seed, min_precision):
    """On random scores (with ties), the recall equals a search over every threshold."""
    rng = np.random.default_rng(seed)
    y = (rng.random(300) < 0.1).astype(int)
    s = np.round(rng.random(300) + 0.4 * y, 2)
    assert recall_at_precision(y, s, min_precision) == pytest.approx(_brute_force(y, s, min_precision))


def test_imbalance_metrics_on_a_hand_made_example():
    """Accuracy, precision, recall and F1 at the threshold, and the two areas, match hand counts."""
    m = imbalance_metrics([0, 0, 0, 1, 1], [0.1, 0.6, 0.2, 0.7, 0.3], threshold=0.5)
    assert m["accuracy"] == pytest.approx(0.6) and m["precision"] == pytest.approx(0.5)
    assert m["recall"] == pytest.approx(0.5) and m["f1"] == pytest.approx(0.5)
    assert m["roc_auc"] == pytest.approx(5 / 6)
    assert set(m) == {"accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc"}


def test_flagging_nothing_gives_zero_precision_without_warning(recwarn):
    """A model that flags nothing has precision 0 (not a warning) and PR-AUC equal to the prevalence."""
    m = imbalance_metrics([0, 0, 0, 1], [0.0, 0.0, 0.0, 0.0])
    assert m["precision"] == 0.0 and m["recall"] == 0.0 and m["pr_auc"] == pytest.approx(0.25)
    assert not recwarn.list


def test_plot_pr_curves_labels_each_curve_with_its_area():
    """Each curve's legend entry carries its PR-AUC; the prevalence line and precision line are drawn."""
    y = np.array([0, 0, 1, 0, 1, 1, 0, 0])
    ax = plot_pr_curves(y, {"a": np.linspace(0, 1, 8), "b": y * 0.9}, min_precision=0.5)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("a (PR-AUC") and labels[1] == "b (PR-AUC 1.000)"
    assert labels[-1] == "random (37.50% positives)"
    assert len(ax.get_lines()) >= 4  # two curves, two operating points, two horizontal lines


def test_plot_score_distributions_uses_a_log_count_axis():
    """Both classes are drawn with their counts in the legend, on a log-scale count axis."""
    ax = plot_score_distributions(np.array([0, 0, 0, 1]), np.array([0.1, 0.2, 0.3, 0.9]))
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["negatives (3)", "positives (1)"]
