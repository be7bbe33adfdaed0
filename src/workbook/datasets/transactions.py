"""Synthetic card transactions: a clean table for format comparisons and a dirty raw extract
for validation and ETL/ELT. Introduced in chapter 02 (data pipelines)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

COUNTRIES = ["DE", "FR", "GB", "US", "ES", "IT", "NL", "PL", "SE", "BR", "IN", "JP"]
CURRENCIES = {"DE": "EUR", "FR": "EUR", "ES": "EUR", "IT": "EUR", "NL": "EUR", "GB": "GBP", "US": "USD",
              "PL": "PLN", "SE": "SEK", "BR": "BRL", "IN": "INR", "JP": "JPY"}
CHANNELS = ["web", "app", "pos", "phone"]
START = pd.Timestamp("2025-01-01")


def transactions(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """A clean table of ``n_rows`` card transactions with typed columns.

    Columns: transaction_id, customer_id, ts (one year, second resolution), amount (2 decimals,
    log-normal), country, currency, channel, is_fraud (about 2 %).

    >>> transactions(3).columns.tolist()
    ['transaction_id', 'customer_id', 'ts', 'amount', 'country', 'currency', 'channel', 'is_fraud']
    """
    rng = np.random.default_rng(seed)
    country = rng.choice(COUNTRIES, size=n_rows, p=_weights(len(COUNTRIES), rng))
    seconds = np.sort(rng.integers(0, 365 * 24 * 3600, size=n_rows))
    return pd.DataFrame({
        "transaction_id": np.arange(1, n_rows + 1, dtype="int64"),
        "customer_id": rng.integers(1, max(2, n_rows // 20), size=n_rows, dtype="int64"),
        "ts": START + pd.to_timedelta(seconds, unit="s"),
        "amount": np.round(rng.lognormal(mean=3.5, sigma=1.0, size=n_rows), 2),
        "country": country,
        "currency": pd.Series(country).map(CURRENCIES).to_numpy(),
        "channel": rng.choice(CHANNELS, size=n_rows, p=[0.45, 0.35, 0.15, 0.05]),
        "is_fraud": rng.random(n_rows) < 0.02,
    })


def _weights(n: int, rng: np.random.Generator) -> np.ndarray:
    w = rng.pareto(1.5, size=n) + 0.2
    return w / w.sum()


@dataclass(frozen=True)
class PlantedDirt:
    """How many bad records of each kind :func:`dirty_extract` planted."""

    duplicate_rows: int
    missing_customer: int
    bad_timestamp: int
    non_positive_amount: int
    unknown_currency: int

    @property
    def total(self) -> int:
        return (self.duplicate_rows + self.missing_customer + self.bad_timestamp + self.non_positive_amount
                + self.unknown_currency)


def dirty_extract(n_rows: int, seed: int = 0, dirt_rate: float = 0.01) -> tuple[pd.DataFrame, PlantedDirt]:
    """A raw extract as it arrives from a source system: every column is text, and about
    ``dirt_rate`` of the rows of each kind are bad (duplicated, missing key, unparseable
    timestamp, zero or negative amount, unknown currency code). Bad rows never overlap.

    Returns the raw table and the counts planted.
    """
    rng = np.random.default_rng(seed + 1)
    clean = transactions(n_rows, seed)
    raw = clean.astype({"transaction_id": str, "customer_id": str, "amount": str, "is_fraud": str})
    raw["ts"] = clean["ts"].dt.strftime("%Y-%m-%d %H:%M:%S")
    k = max(1, int(n_rows * dirt_rate))
    rows = rng.choice(n_rows, size=4 * k, replace=False)
    missing, bad_ts, bad_amount, bad_currency = np.split(rows, 4)
    raw.loc[missing, "customer_id"] = ""
    raw.loc[bad_ts, "ts"] = rng.choice(["2025-02-30 10:00:00", "yesterday", "", "31/12/2025"], size=k)
    raw.loc[bad_amount, "amount"] = rng.choice(["0.0", "-12.5", "-0.01"], size=k)
    raw.loc[bad_currency, "currency"] = rng.choice(["XXX", "$", "??"], size=k)
    untouched = np.setdiff1d(np.arange(n_rows), rows)
    dupes = raw.iloc[rng.choice(untouched, size=k, replace=False)]
    raw = pd.concat([raw, dupes]).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return raw, PlantedDirt(k, k, k, k, k)
