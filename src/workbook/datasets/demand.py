"""Synthetic daily demand at a few stores: levels that wander, seasons, promotions and weather.

Used by Chapter 04 (data leakage: shuffled time series against ``TimeSeriesSplit`` and a temporal
holdout). Nothing here is real data: every day is drawn from a seeded NumPy generator, so the
same arguments always give the same series.

The demand of a store on day *t* is the store's own level, which wanders for weeks before
drifting back (the part nobody can predict far ahead, but that neighbouring days share), a
weekly and a yearly cycle, a lift on promotion days, an effect of temperature, and day-to-day
noise. A model that may look at days on both sides of the day it predicts can read the level
off its neighbours; a forecast cannot.

>>> daily_demand(10, seed=0).columns.tolist()
['date', 'store', 'day', 'weekday', 'month', 'day_of_year', 'promo', 'temperature', 'demand']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FEATURES", "daily_demand"]

START = pd.Timestamp("2021-01-04")
"""The first day of the series (a Monday)."""
FEATURES = ("store", "day", "weekday", "month", "day_of_year", "promo", "temperature")
"""The columns a model may use; ``day`` counts days since ``START``, ``store`` numbers the stores."""


def daily_demand(n_days: int, *, n_stores: int = 1, seed: int = 0) -> pd.DataFrame:
    """``n_days`` consecutive days of demand at ``n_stores`` stores, sorted by date, then store.

    Args:
        n_days: length of the series (at least 10 days).
        n_stores: stores, each with its own level, promotions and noise (same town, same weather).
        seed: seeds the levels, the promotions, the weather and the noise.

    Returns:
        A DataFrame with ``date``, the :data:`FEATURES` columns and ``demand`` (units sold),
        ``n_days * n_stores`` rows.

    >>> df = daily_demand(730, n_stores=2, seed=1)
    >>> bool(df["date"].is_monotonic_increasing), len(df), sorted(df["store"].unique().tolist())
    (True, 1460, [0, 1])
    """
    if n_days < 10:
        raise ValueError(f"daily_demand needs at least 10 days, got {n_days}")
    if n_stores < 1:
        raise ValueError(f"daily_demand needs at least one store, got {n_stores}")
    rng = np.random.default_rng(seed)
    date = START + pd.to_timedelta(np.arange(n_days), unit="D")
    day_of_year = date.dayofyear.to_numpy()
    weekday = date.weekday.to_numpy()
    season = np.cos(2 * np.pi * (day_of_year - 200) / 365.25)
    temperature = np.round(12 + 10 * season + rng.normal(0, 3, n_days), 1)
    weekly = np.array([0, -5, -5, 0, 10, 35, 20])[weekday]

    frames = []
    for store in range(n_stores):
        shocks = rng.normal(0, 3.5, n_days)
        level = np.empty(n_days)  # drifts for weeks, then slowly returns (an AR(1) process)
        level[0] = 5 * shocks[0]
        for t in range(1, n_days):
            level[t] = 0.98 * level[t - 1] + shocks[t]
        promo = (rng.random(n_days) < 0.1).astype("int64")
        demand = (150 + 20 * store + level + weekly + 25 * season + 40 * promo + 1.5 * (temperature - 12)
                  + rng.normal(0, 8, n_days))
        frames.append(pd.DataFrame({
            "date": date,
            "store": np.full(n_days, store, dtype="int64"),
            "day": np.arange(n_days, dtype="int64"),
            "weekday": weekday.astype("int64"),
            "month": date.month.to_numpy().astype("int64"),
            "day_of_year": day_of_year.astype("int64"),
            "promo": promo,
            "temperature": temperature,
            "demand": np.round(np.maximum(demand, 0)).astype("int64"),
        }))
    return pd.concat(frames).sort_values(["date", "store"], kind="stable").reset_index(drop=True)
