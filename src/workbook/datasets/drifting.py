"""Monthly batches of subscription customers whose churn data drifts: no drift, data drift, concept drift.

Used by Chapter 01 (foundations: why models degrade in production) and Lab 01 (a retraining
pipeline with a drift trigger). Nothing here is real data: every month is drawn from its own
seeded NumPy generator, so the months before a drift are identical in every scenario and the
same arguments always give the same table.

Each row is a customer seen in one month, with four inputs and a churn label:

* ``drift="none"``: every month comes from the same distribution, with the same churn rule.
* ``drift="data"``: from month ``start`` on, ``monthly_spend`` is 25 EUR higher
  (new, pricier plans). The *rule* linking inputs to churn is unchanged, but it is curved in
  spend, so a model fitted on last year's spend range is wrong about the new range.
* ``drift="concept"``: from month ``start`` on, the inputs keep their distribution but the rule
  changes (a competitor's loyalty offer: long-standing customers now leave, support calls stop
  mattering). Nothing in the inputs shows it; only the labels do.

>>> monthly_churn(100, 3, seed=0).columns.tolist()
['month', 'tenure_months', 'monthly_spend', 'support_calls', 'discount', 'churned']
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DRIFTS", "FEATURES", "LABEL", "monthly_churn"]

FEATURES = ("tenure_months", "monthly_spend", "support_calls", "discount")
"""The input columns, all known when a customer is scored."""
LABEL = "churned"
"""The label: 1 if the customer cancelled during the month."""
DRIFTS = ("none", "data", "concept")
"""The scenarios :func:`monthly_churn` can simulate."""


def _month(n: int, month: int, drift: str, start: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, month])
    drifted = drift != "none" and month >= start
    tenure = np.minimum(rng.gamma(2.0, 12.0, n), 120).round()
    spend_shift = 25.0 if drift == "data" and drifted else 0.0
    spend = np.maximum(rng.normal(50 + spend_shift, 12, n), 5).round(2)
    calls = rng.poisson(1.2, n)
    discount = (rng.random(n) < 0.3).astype("int64")
    if drift == "concept" and drifted:  # long tenure now means leaving; support calls no longer matter
        logit = -0.9 + 0.05 * (tenure - 24) + 0.03 * (spend - 50) - 1.0 * discount
    else:  # churn grows with calls and fast with spend above ~60 EUR, falls with tenure and discounts
        logit = -0.9 + 0.9 * (calls - 1.2) - 0.05 * (tenure - 24) + 0.03 * (spend - 50) \
            + 0.004 * np.maximum(spend - 60, 0) ** 2 - 1.0 * discount
    churned = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype("int64")
    return pd.DataFrame({"month": np.full(n, month, dtype="int64"), "tenure_months": tenure.astype("int64"),
                         "monthly_spend": spend, "support_calls": calls.astype("int64"), "discount": discount,
                         LABEL: churned})


def monthly_churn(n_per_month: int, n_months: int, *, drift: str = "none", start: int = 6,
                  seed: int = 0) -> pd.DataFrame:
    """``n_months`` monthly batches of ``n_per_month`` customers, in month order.

    Args:
        n_per_month: customers (rows) per month.
        n_months: months 0 … ``n_months - 1``.
        drift: ``"none"``, ``"data"`` (inputs shift, rule unchanged) or ``"concept"`` (rule changes,
            inputs unchanged); see the module docstring.
        start: the first drifted month.
        seed: with the month number, seeds each month's generator.

    Returns:
        A DataFrame with ``month``, the :data:`FEATURES` columns and :data:`LABEL`.

    >>> a = monthly_churn(50, 8, drift="none", start=4, seed=1)
    >>> b = monthly_churn(50, 8, drift="concept", start=4, seed=1)
    >>> a[a.month < 4].equals(b[b.month < 4]), a[a.month >= 4].equals(b[b.month >= 4])
    (True, False)
    """
    if drift not in DRIFTS:
        raise ValueError(f"drift must be one of {DRIFTS}, got {drift!r}")
    if n_per_month < 1 or n_months < 1:
        raise ValueError(f"need at least one row and one month, got {n_per_month} rows x {n_months} months")
    frames = [_month(n_per_month, m, drift, start, seed) for m in range(n_months)]
    return pd.concat(frames, ignore_index=True)
