"""Synthetic card payments for a fraud model, with leaks planted for Lab 04 (the leak hunt).

Used by Lab 04 (data leakage). Nothing here is real data: every payment is drawn from a seeded
NumPy generator, so the same arguments always give the same tables.

:func:`leak_hunt` returns what a fraud team would have: a *development* extract of one month of
payments, and a *clean holdout* of the following month, scored the way production will score it.
The development extract hides two of the lab's three leaks, and the lab's starter pipeline adds
the third:

* **duplicates**: the payment gateway retried many requests, and each retry was logged as a
  second, identical row (same ``payment_id``);
* **a column from the future**: ``chargeback`` is 1 when the card holder later disputed the
  payment, which is only known weeks after it was approved or declined; at scoring time it is
  always 0, so the holdout has 0 everywhere;
* (in the lab's starter code) the fraud rate of each ``merchant`` computed over all rows,
  validation rows included.

The honest signal is in ``amount``, ``hour``, ``account_age_days``, ``n_payments_24h``,
``device``, ``foreign`` and, weakly, ``merchant`` (a few merchants attract fraud).

>>> hunt = leak_hunt(2000, seed=0)
>>> len(hunt.holdout), int(hunt.holdout["chargeback"].sum())
(2000, 0)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DEVICES", "FEATURES", "LABEL", "LeakHunt", "leak_hunt", "payments"]

LABEL = "is_fraud"
"""The label column."""
FEATURES = ("amount", "hour", "account_age_days", "n_payments_24h", "device", "foreign", "merchant")
"""The columns known when a payment is scored (``merchant`` is a high-cardinality category)."""
DEVICES = ("app", "web", "pos")
N_MERCHANTS = 1200
START = pd.Timestamp("2025-03-01")


@dataclass(frozen=True)
class LeakHunt:
    """The lab's data: a leaky development extract and a clean holdout of the next month."""

    dev: pd.DataFrame
    """One month of payments as extracted: duplicated retries and the ``chargeback`` column included."""
    holdout: pd.DataFrame
    """The following month as production scores it: each payment once, ``chargeback`` not yet known (0)."""
    n_duplicates: int
    """Rows of ``dev`` that are retries (exact copies of another row)."""


def payments(n_payments: int, *, seed: int = 0, month: int = 0) -> pd.DataFrame:
    """``n_payments`` distinct payments of one month, with the label and the later chargeback flag.

    Args:
        n_payments: payments to draw (at least 100).
        seed: seeds the payments; the merchants' riskiness is the same for every seed.
        month: months after March 2025 (0 = March); ids and timestamps follow from it.

    Returns:
        A DataFrame with ``payment_id``, ``ts``, the :data:`FEATURES`, ``chargeback`` and ``is_fraud``.

    >>> payments(500, seed=1).columns.tolist()[:3]
    ['payment_id', 'ts', 'amount']
    """
    if n_payments < 100:
        raise ValueError(f"payments needs at least 100 payments, got {n_payments}")
    merchant_risk = np.random.default_rng(12345).normal(0, 0.8, N_MERCHANTS)  # the same world for every seed
    rng = np.random.default_rng([seed, month])
    n = n_payments
    start = START + pd.DateOffset(months=month)
    seconds = np.sort(rng.integers(0, 30 * 24 * 3600, n))
    ts = start + pd.to_timedelta(seconds, unit="s")
    amount = np.round(rng.lognormal(3.6, 1.0, n), 2)
    account_age = np.round(rng.gamma(1.5, 300, n)).astype("int64")
    burst = rng.poisson(1.2, n)
    device = rng.choice(np.array(DEVICES), n, p=[0.5, 0.35, 0.15])
    foreign = (rng.random(n) < 0.12).astype("int64")
    merchant = rng.integers(0, N_MERCHANTS, n)
    hour = ts.hour.to_numpy()
    night = (hour < 6).astype(float)
    z = (-4.6 + 1.0 * (np.log(amount) - 3.6) + 1.6 * night + 1.8 * (account_age < 60) + 0.5 * burst
         + 0.8 * (device == "web") + 1.4 * foreign + merchant_risk[merchant])
    fraud = (rng.random(n) < 1 / (1 + np.exp(-z))).astype("int64")
    chargeback = np.where(fraud == 1, rng.random(n) < 0.7, rng.random(n) < 0.01).astype("int64")
    return pd.DataFrame({
        "payment_id": (month * 10_000_000 + seed * 100_000 + 1 + np.arange(n)).astype("int64"),
        "ts": ts,
        "amount": amount,
        "hour": hour.astype("int64"),
        "account_age_days": account_age,
        "n_payments_24h": burst.astype("int64"),
        "device": device,
        "foreign": foreign,
        "merchant": np.char.add("M", np.char.zfill(merchant.astype(str), 4)),
        "chargeback": chargeback,
        LABEL: fraud,
    })


def leak_hunt(n_payments: int, *, seed: int = 0, duplicate_share: float = 0.5,
              n_holdout: int | None = None) -> LeakHunt:
    """The lab's development extract (with retries and chargebacks) and its clean holdout.

    Args:
        n_payments: distinct payments in each month; ``dev`` has about
            ``n_payments * (1 + duplicate_share)`` rows.
        seed: seeds both months.
        duplicate_share: retries logged as duplicate rows, as a share of the distinct payments.
        n_holdout: payments in the holdout month; default ``n_payments``.

    Returns:
        A :class:`LeakHunt`: ``dev`` (March, rows shuffled as exported) and ``holdout`` (April).

    >>> hunt = leak_hunt(1000, seed=2)
    >>> len(hunt.dev) - hunt.n_duplicates, int(hunt.dev.duplicated().sum()) == hunt.n_duplicates
    (1000, True)
    """
    rng = np.random.default_rng([seed, 99])
    march = payments(n_payments, seed=seed, month=0)
    n_dup = int(round(duplicate_share * n_payments))
    retried = march.iloc[rng.choice(n_payments, n_dup, replace=False)]
    dev = pd.concat([march, retried], ignore_index=True)
    dev = dev.iloc[rng.permutation(len(dev))].reset_index(drop=True)
    holdout = payments(n_holdout or n_payments, seed=seed, month=1).assign(chargeback=0)
    return LeakHunt(dev=dev, holdout=holdout, n_duplicates=n_dup)
