"""Synthetic card-fraud transactions with a rare positive class, for chapter 03 (sampling and
class imbalance) and its lab.

Nothing here is real data. Legitimate and fraudulent transactions are drawn from two
overlapping, class-conditional distributions; about half of the frauds are *subtle* (they look
almost legitimate), so no model separates the classes perfectly and the positive class stays
hard, as in production. The number of frauds is exact: ``round(n_rows * fraud_rate)``.

    >>> df = fraud_transactions(1_000, fraud_rate=0.01, seed=0)
    >>> int(df["is_fraud"].sum()), list(df.columns[:3])
    (10, ['transaction_id', 'amount', 'hour'])
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FEATURES", "LABEL", "fraud_transactions"]

FEATURES = ("amount", "hour", "distance_km", "tx_last_24h", "account_age_days", "merchant_risk",
            "foreign", "card_present")
"""The model's input columns, all numeric."""

LABEL = "is_fraud"
"""The label column: 1 for fraud, 0 for a legitimate transaction."""

_SUBTLE_SHARE = 0.5  # share of frauds drawn close to the legitimate distribution


def fraud_transactions(n_rows: int, fraud_rate: float = 0.01, seed: int = 0) -> pd.DataFrame:
    """A shuffled table of ``n_rows`` transactions of which exactly ``round(n_rows * fraud_rate)`` are fraud.

    Columns: ``transaction_id`` (1…n, an identifier, not a feature), the numeric
    :data:`FEATURES` and the label ``is_fraud`` (0/1, int64). Frauds tend to be larger, at night,
    far from home, in bursts, on young accounts, at risky merchants, abroad and card-not-present;
    half of them only slightly so.

    Args:
        n_rows: number of transactions (at least 10).
        fraud_rate: share of frauds, strictly between 0 and 0.5.
        seed: the same seed always gives the same table.

    >>> fraud_transactions(2_000, fraud_rate=0.001, seed=1)["is_fraud"].sum()
    np.int64(2)
    """
    if n_rows < 10:
        raise ValueError(f"n_rows must be at least 10, got {n_rows}")
    if not 0 < fraud_rate < 0.5:
        raise ValueError(f"fraud_rate must be between 0 and 0.5, got {fraud_rate}")
    rng = np.random.default_rng(seed)
    n_fraud = max(1, round(n_rows * fraud_rate))
    n_legit = n_rows - n_fraud
    n_subtle = round(n_fraud * _SUBTLE_SHARE)
    parts = [_draw(rng, n_legit, strength=0.0), _draw(rng, n_fraud - n_subtle, strength=1.0),
             _draw(rng, n_subtle, strength=0.3)]
    table = pd.concat(parts, ignore_index=True)
    table[LABEL] = np.r_[np.zeros(n_legit, dtype="int64"), np.ones(n_fraud, dtype="int64")]
    table = table.iloc[rng.permutation(n_rows)].reset_index(drop=True)
    table.insert(0, "transaction_id", np.arange(1, n_rows + 1, dtype="int64"))
    return table


def _draw(rng: np.random.Generator, n: int, strength: float) -> pd.DataFrame:
    """Transactions whose distribution moves from legitimate (0) towards blatant fraud (1)."""
    s = strength
    night = rng.random(n) < 0.08 + 0.5 * s
    hour = np.where(night, rng.normal(3.0, 1.5, n), rng.normal(14.0, 3.5, n)) % 24
    return pd.DataFrame({
        "amount": np.round(rng.lognormal(3.5 + 1.0 * s, 1.0, n), 2),
        "hour": np.floor(hour).astype("int64"),
        "distance_km": np.round(rng.lognormal(1.5 + 1.5 * s, 1.0, n), 1),
        "tx_last_24h": rng.poisson(2.0 + 3.0 * s, n).astype("int64"),
        "account_age_days": np.round(rng.exponential(900.0 * (1 - 0.8 * s), n) + 1).astype("int64"),
        "merchant_risk": np.round(rng.beta(2.0 + 3.0 * s, 8.0 - 3.0 * s, n), 3),
        "foreign": (rng.random(n) < 0.05 + 0.35 * s).astype("int64"),
        "card_present": (rng.random(n) < 0.6 - 0.5 * s).astype("int64"),
    })
