"""Tests for workbook.datasets.drifting: deterministic months, identical until the drift, and each drift of its own kind."""
from __future__ import annotations

import pytest

from workbook.datasets.drifting import FEATURES, LABEL, monthly_churn


def test_same_seed_same_table():
    """Two calls with the same arguments are identical; another seed differs."""
    assert monthly_churn(200, 4, seed=1).equals(monthly_churn(200, 4, seed=1))
    assert not monthly_churn(200, 4, seed=1).equals(monthly_churn(200, 4, seed=2))


def test_shape_and_columns():
    """One block of rows per month, in order, with the features and the label."""
    df = monthly_churn(100, 5, seed=0)
    assert len(df) == 500 and df["month"].tolist() == sorted(df["month"].tolist())
    assert list(df.columns) == ["month", *FEATURES, LABEL] and set(df[LABEL].unique()) <= {0, 1}


@pytest.mark.parametrize("drift", ["data", "concept"])
def test_months_before_the_drift_are_shared(drift):
    """Every scenario has the same months before `start`, and different ones after."""
    none, other = monthly_churn(300, 6, start=3, seed=0), monthly_churn(300, 6, drift=drift, start=3, seed=0)
    assert none[none["month"] < 3].equals(other[other["month"] < 3])
    assert not none[none["month"] >= 3].equals(other[other["month"] >= 3])


def test_data_drift_moves_spend_and_concept_drift_keeps_inputs():
    """Data drift raises monthly spend by about 25 EUR; concept drift leaves every input as it was."""
    none = monthly_churn(3000, 2, start=1, seed=0)
    data = monthly_churn(3000, 2, drift="data", start=1, seed=0)
    concept = monthly_churn(3000, 2, drift="concept", start=1, seed=0)
    late = lambda df: df[df["month"] == 1]  # noqa: E731
    assert 20 < late(data)["monthly_spend"].mean() - late(none)["monthly_spend"].mean() < 30
    assert late(concept)[list(FEATURES)].equals(late(none)[list(FEATURES)])
    assert not late(concept)[LABEL].equals(late(none)[LABEL])


def test_bad_arguments_are_rejected():
    """An unknown drift or an empty size is a ValueError naming the problem."""
    with pytest.raises(ValueError, match="drift must be one of"):
        monthly_churn(10, 2, drift="seasonal")
    with pytest.raises(ValueError, match="at least one"):
        monthly_churn(0, 2)
