"""Tests for workbook.datasets.demand: deterministic daily series whose neighbouring days share a level."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.datasets.demand import FEATURES, daily_demand


def test_same_seed_same_series():
    """Two calls with the same arguments return identical tables; another seed differs."""
    pd.testing.assert_frame_equal(daily_demand(200, n_stores=2, seed=3), daily_demand(200, n_stores=2, seed=3))
    assert not daily_demand(200, seed=3)["demand"].equals(daily_demand(200, seed=4)["demand"])


def test_shape_order_and_columns():
    """One row per day and store, sorted by date then store, with every feature column."""
    df = daily_demand(100, n_stores=3, seed=0)
    assert len(df) == 300 and set(FEATURES) < set(df.columns)
    assert df["date"].is_monotonic_increasing
    assert (df["store"].to_numpy() == [0, 1, 2] * 100).all()
    assert df["day"].max() == 99 and (df["demand"] >= 0).all()


def test_neighbouring_days_share_a_level():
    """After removing the weekly cycle, demand on consecutive days is strongly correlated (the leak's fuel)."""
    df = daily_demand(1000, seed=0)
    residual = df["demand"] - df.groupby("weekday")["demand"].transform("mean") - 40 * df["promo"]
    assert np.corrcoef(residual[:-1], residual[1:])[0, 1] > 0.7


def test_promotions_lift_demand():
    """Promotion days sell about 40 units more."""
    df = daily_demand(2000, seed=1)
    lift = df.groupby("promo")["demand"].mean().diff().iloc[1]
    assert 25 < lift < 55


def test_bad_arguments_are_refused():
    """Fewer than 10 days or no store raise a ValueError."""
    with pytest.raises(ValueError, match="at least 10 days"):
        daily_demand(5)
    with pytest.raises(ValueError, match="at least one store"):
        daily_demand(100, n_stores=0)
