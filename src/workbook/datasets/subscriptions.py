"""A synthetic subscription service: monthly activity, a current customer table and churn labels.

Used by Chapter 04 (data leakage: target-derived features, point-in-time joins, and the
detection of leaks). Nothing here is real data: every customer and login is drawn from a seeded
NumPy generator, so the same arguments always give the same tables.

Customers sign up, log in every month (each at their own, slowly changing rate), open support
tickets, and some cancel: the more their recent logins fall below their own usual level, the
more tickets they opened, the likelier they are to cancel the next month. The service keeps three tables, as real ones do:

* ``activity``: one row per customer and month while subscribed (``logins``, ``tickets``), the
  history that point-in-time features are computed from;
* ``customers``: the customer table **as of today** (the extract date), updated in place:
  ``plan``, ``region``, ``referrer`` and the running counters ``logins_total`` and ``status``;
* ``labels``: one prediction moment per customer, a ``cutoff`` month at whose end the customer
  is still subscribed, and ``churned`` = 1 if they cancel during the following month.

Joining the *current* customer table to historical cutoffs is the classic way to leak: by the
extract date, ``logins_total`` also counts the logins after the cutoff (none for a churner), and
``status`` says who cancelled. Premium customers became more likely to cancel after a price rise
in month ``PRICE_RISE_MONTH``: a real pattern that drifts over time, as real ones do.

>>> s = subscriptions(300, seed=0)
>>> sorted(s.customers.columns)[:3], s.n_months
(['customer_id', 'logins_total', 'plan'], 36)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["N_MONTHS", "PRICE_RISE_MONTH", "Subscriptions", "subscriptions"]

N_MONTHS = 36
"""Months 0 .. 35 of history; the extract date is the end of the last one."""
PRICE_RISE_MONTH = 18
"""From this month on, premium customers are more likely to cancel."""
N_REFERRERS = 1500
REGIONS = ("north", "south", "east", "west")
_FIRST_CUTOFF = 6


@dataclass(frozen=True)
class Subscriptions:
    """The three tables of :func:`subscriptions` and the size of the history."""

    activity: pd.DataFrame
    """customer_id, month, logins, tickets: one row per subscribed month."""
    customers: pd.DataFrame
    """customer_id, signup_month, plan, region, referrer, logins_total, status: as of the extract date."""
    labels: pd.DataFrame
    """customer_id, cutoff, churned: one prediction moment per customer."""
    n_months: int = N_MONTHS


def subscriptions(n_customers: int, *, seed: int = 0) -> Subscriptions:
    """Simulate ``n_customers`` subscribers over :data:`N_MONTHS` months.

    Args:
        n_customers: customers (at least 50); those who never reach a usable cutoff get no label.
        seed: seeds everything; customer ids start at ``seed * 1_000_000 + 1``.

    Returns:
        A :class:`Subscriptions` with the ``activity``, ``customers`` and ``labels`` tables.

    >>> s = subscriptions(500, seed=2)
    >>> bool(s.labels["churned"].between(0, 1).all()), bool((s.labels["cutoff"] < s.n_months - 1).all())
    (True, True)
    """
    if n_customers < 50:
        raise ValueError(f"subscriptions needs at least 50 customers, got {n_customers}")
    rng = np.random.default_rng(seed)
    n, months = n_customers, N_MONTHS
    ids = seed * 1_000_000 + 1 + np.arange(n)
    signup = rng.integers(0, months - 4, n)
    premium = rng.random(n) < 0.35
    region = rng.choice(np.array(REGIONS), n)
    referrer = rng.integers(0, N_REFERRERS, n)
    rate = rng.lognormal(np.log(8), 0.6, n)  # logins per month at signup
    slope = rng.normal(0, 0.08, n)  # monthly change of the log rate: some drift away
    grumpy = rng.random(n) < 0.2  # open more tickets and cancel more

    logins = np.zeros((n, months), dtype="int64")
    tickets = np.zeros((n, months), dtype="int64")
    active = np.zeros((n, months), dtype=bool)
    cancel = np.full(n, months, dtype="int64")  # the month of cancelling (months = never)
    alive = np.ones(n, dtype=bool)
    for t in range(months):
        present = alive & (signup <= t)
        age = t - signup
        lam = rate * np.exp(np.clip(slope * np.maximum(age, 0), -3.0, 0.7))  # drifting away, or a little keener
        # The hazard of cancelling this month depends on what the customer did before it: logins
        # below their own average, a sudden drop, recent tickets, and (after the price rise) the plan.
        seen = np.maximum(age, 1)
        usual = logins[:, :t].sum(axis=1) / seen
        prev = logins[:, t - 1] if t else np.zeros(n)
        prev3 = logins[:, max(t - 3, 0):t].sum(axis=1) / np.minimum(seen, 3)
        recent_tickets = tickets[:, max(t - 3, 0):t].sum(axis=1)
        decline = np.log(usual + 1) - np.log(prev3 + 1)
        z = (-4.6 + 3.0 * np.maximum(decline, 0) + 1.5 * (prev < 0.5 * prev3) + 0.8 * recent_tickets
             + np.where(premium, 0.1 + 1.4 * (t >= PRICE_RISE_MONTH), 0.0))
        quits = present & (age >= 2) & (rng.random(n) < 1 / (1 + np.exp(-z)))
        cancel[quits] = t
        alive &= ~quits
        present &= ~quits
        active[:, t] = present
        logins[present, t] = rng.poisson(lam[present])
        tickets[present, t] = rng.poisson(np.where(grumpy, 0.5, 0.12)[present])

    rows, cols = np.nonzero(active)
    activity = pd.DataFrame({"customer_id": ids[rows].astype("int64"), "month": cols.astype("int64"),
                             "logins": logins[rows, cols], "tickets": tickets[rows, cols]})
    customers = pd.DataFrame({
        "customer_id": ids.astype("int64"),
        "signup_month": signup.astype("int64"),
        "plan": np.where(premium, "premium", "basic"),
        "region": region,
        "referrer": np.char.add("R", np.char.zfill(referrer.astype(str), 4)),
        "logins_total": logins.sum(axis=1),
        "status": np.where(cancel < months, "cancelled", "active"),
    })

    # One prediction moment per customer: the end of a month at which they are still subscribed
    # and have at least 3 months of history; the label looks at the month after it.
    first = signup + 2
    last = np.minimum(cancel, months - 1) - 1  # still subscribed at the end of the cutoff month
    lo = np.maximum(first, _FIRST_CUTOFF)
    usable = last >= lo
    cutoff = lo + np.floor(rng.random(n) * (last - lo + 1)).astype("int64")
    labels = pd.DataFrame({"customer_id": ids[usable].astype("int64"), "cutoff": cutoff[usable],
                           "churned": (cancel[usable] == cutoff[usable] + 1).astype("int64")})
    return Subscriptions(activity, customers, labels.reset_index(drop=True))
