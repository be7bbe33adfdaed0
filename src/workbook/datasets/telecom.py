"""A synthetic telecom operator observed for one year: customers, weekly account snapshots, daily
usage snapshots, and churn labels with timestamps.

Used by Chapter 05 (feature stores with Feast). Nothing here is real data: every customer, snapshot
and label is drawn from a seeded NumPy generator, so the same arguments always give the same tables.
The columns are modelled on the public "Telco customer churn" table (tenure, contract, internet
service, payment method, monthly and total charges), but the values are invented.

The year runs from :data:`START` (Monday 2024-01-01) to :data:`NOW` (2024-12-31, "now" in this
synthetic world). Three kinds of rows come out of :func:`telecom`:

* ``account``: one row per customer per **week** (Mondays 00:00 UTC), as a weekly batch job would
  write it: tenure, contract, internet service, payment method, number of services, monthly and
  total charges. Monthly charges rise by 5 % on 2024-07-01. A few rows were **restated**: the same
  customer and ``event_timestamp`` written again three days later with a corrected
  ``monthly_charges`` (the ``created_at`` column tells the two versions apart).
* ``usage``: one row per customer per **day** (midnight UTC, the end of the day it describes): data
  used in the last 7 days, support calls in the last 30 days, days since the last app login.
* ``labels``: the moments a churn model scores a customer (every 28 days, at 09:00, at an offset of
  the customer's own) and whether the customer left in the 30 days that followed. A label is only
  known 30 days later, at ``label_timestamp``.

Every snapshot has an ``event_timestamp`` (when the value became true) and a ``created_at`` (when
the batch job wrote it: minutes later, or days later for a restatement). Churners stop producing
snapshots on the day they leave, and in the three weeks before leaving they use less data, call
support more and log in less: a signal a model may learn from what was known *before* the
prediction time, and a strong leak if it is read from snapshots written *after* it.

>>> data = telecom(50, seed=0)
>>> sorted(data.usage.columns)[:3]
['created_at', 'customer_id', 'data_gb_7d']
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["ACCOUNT_FEATURES", "CONTRACTS", "INTERNET", "LABEL_DAYS", "NOW", "PAYMENTS", "START",
           "TelecomData", "USAGE_FEATURES", "telecom"]

START = pd.Timestamp("2024-01-01", tz="UTC")
"""The first day observed (a Monday): the first weekly and daily snapshots describe it."""
N_DAYS = 365
"""Days observed: ``START`` to ``NOW``."""
NOW = START + pd.Timedelta(days=N_DAYS)
"""2024-12-31 00:00 UTC, "now" in the synthetic world: the last daily snapshot has this timestamp."""
LABEL_DAYS = 30
"""A label says whether the customer left within this many days after the prediction time."""
SCORE_EVERY_DAYS = 28
"""Each active customer is scored (gets a label row) every 28 days."""
RAMP_DAYS = 21
"""Churners disengage over the last 21 days before they leave."""
PRICE_RISE = pd.Timestamp("2024-07-01", tz="UTC")
"""From this day, monthly charges are 5 % higher."""

CONTRACTS = ("Month-to-month", "One year", "Two year")
INTERNET = ("DSL", "Fiber optic", "No")
PAYMENTS = ("Electronic check", "Mailed check", "Bank transfer", "Credit card")
ACCOUNT_FEATURES = ("tenure_months", "contract", "internet_service", "payment_method", "n_services",
                    "monthly_charges", "total_charges")
"""The feature columns of the weekly ``account`` table."""
USAGE_FEATURES = ("data_gb_7d", "support_calls_30d", "days_since_login")
"""The feature columns of the daily ``usage`` table."""

_WARMUP_DAYS = 60
_MONTHLY_CHURN = {"Month-to-month": 0.075, "One year": 0.02, "Two year": 0.008}


@dataclass(frozen=True)
class TelecomData:
    """What :func:`telecom` made: four tables and how they were made."""

    customers: pd.DataFrame
    """One row per customer: id, signup time, static traits and the (hidden) churn time, NaT if none."""
    account: pd.DataFrame
    """Weekly snapshots: customer_id, event_timestamp, created_at and :data:`ACCOUNT_FEATURES`."""
    usage: pd.DataFrame
    """Daily snapshots: customer_id, event_timestamp, created_at and :data:`USAGE_FEATURES`."""
    labels: pd.DataFrame
    """Prediction rows: customer_id, event_timestamp (prediction time), churned (0/1), label_timestamp."""
    seed: int
    n_restated: int
    """Account rows written a second time with a corrected monthly_charges (same event_timestamp)."""

    @property
    def now(self) -> pd.Timestamp:
        """The synthetic world's "now" (:data:`NOW`)."""
        return NOW


def telecom(n_customers: int = 1000, *, seed: int = 0) -> TelecomData:
    """One synthetic year of a telecom operator's customers, snapshots and churn labels.

    Args:
        n_customers: customers (at least 20); ids are ``1001 .. 1000 + n_customers``.
        seed: seeds every random choice; the same arguments always give equal tables.

    Returns:
        A :class:`TelecomData` whose tables are sorted by ``event_timestamp`` then ``customer_id``,
        with timestamps in UTC.

    >>> data = telecom(200, seed=1)
    >>> bool((data.labels["label_timestamp"] <= data.now).all())
    True
    """
    if n_customers < 20:
        raise ValueError(f"telecom needs at least 20 customers, got {n_customers}")
    rng = np.random.default_rng(seed)
    people = _customers(rng, n_customers)
    account, n_restated = _account(rng, people)
    usage = _usage(rng, people)
    labels = _labels(people)
    customers = pd.DataFrame({
        "customer_id": people["customer_id"],
        "signup": START + pd.to_timedelta(people["signup_day"], unit="D"),
        "senior": people["senior"],
        "churn_time": START + pd.to_timedelta(np.where(np.isfinite(people["churn_day"]),
                                                       people["churn_day"] + 0.5, np.nan), unit="D"),
    })
    return TelecomData(customers=customers, account=account, usage=usage, labels=labels, seed=seed,
                       n_restated=n_restated)


def _customers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Static traits, signup day (negative: before START) and churn day (inf: stays)."""
    new = rng.random(n) < 0.15
    tenure_at_start = np.minimum(rng.exponential(24, n), 72)  # months
    signup_day = np.where(new, rng.integers(0, 300, n), -np.round(tenure_at_start * 30.4)).astype(int)
    contract = rng.choice(CONTRACTS, size=n, p=[0.5, 0.25, 0.25])
    internet = rng.choice(INTERNET, size=n, p=[0.35, 0.45, 0.2])
    payment = rng.choice(PAYMENTS, size=n, p=[0.35, 0.2, 0.2, 0.25])
    senior = rng.random(n) < 0.16
    n_services = rng.integers(1, 7, n)
    base_charges = (18 + 25 * (internet == "DSL") + 45 * (internet == "Fiber optic") + 6 * n_services
                    + rng.normal(0, 4, n)).round(2)
    monthly = np.array([_MONTHLY_CHURN[c] for c in contract])
    monthly = monthly * np.where(internet == "Fiber optic", 1.5, 1.0) * np.where(payment == "Electronic check", 1.4, 1.0)
    monthly = monthly * np.where(senior, 1.3, 1.0) * np.where(signup_day > -365, 1.4, 1.0)
    daily = -np.log1p(-np.minimum(monthly, 0.5)) / 30.4
    first = np.maximum(signup_day, 0)
    churn_day = first + 8 + rng.exponential(1 / daily)  # nobody leaves in their first week
    churn_day = np.where(churn_day < N_DAYS - 1, np.floor(churn_day), np.inf)
    return {
        "customer_id": np.arange(1001, 1001 + n, dtype="int64"), "signup_day": signup_day, "contract": contract,
        "internet": internet, "payment": payment, "senior": senior, "n_services": n_services,
        "base_charges": base_charges, "churn_day": churn_day,
        "engagement": rng.lognormal(0, 0.35, n), "score_offset": rng.integers(0, SCORE_EVERY_DAYS, n),
    }


def _alive(people: dict, day: np.ndarray) -> np.ndarray:
    """(customers, days): the customer had signed up by ``day`` and had not left yet."""
    return (people["signup_day"][:, None] <= day[None, :]) & (day[None, :] < people["churn_day"][:, None])


def _ramp(people: dict, day: np.ndarray) -> np.ndarray:
    """(customers, days): 0 while engaged, rising to 1 on the day a churner leaves."""
    to_go = people["churn_day"][:, None] - day[None, :]
    return np.clip(1 - to_go / RAMP_DAYS, 0, 1)


def _frame(people: dict, alive: np.ndarray, day: np.ndarray, when: pd.Timestamp, columns: dict,
           lag: pd.Timedelta) -> pd.DataFrame:
    rows, cols = np.nonzero(alive.T)  # day-major: sorted by time, then customer
    stamp = when + pd.to_timedelta(day[rows], unit="D")
    frame = pd.DataFrame({"customer_id": people["customer_id"][cols], "event_timestamp": stamp,
                          "created_at": stamp + lag})
    for name, values in columns.items():
        frame[name] = values[cols, rows]
    return frame


def _account(rng: np.random.Generator, people: dict) -> tuple[pd.DataFrame, int]:
    day = np.arange(0, N_DAYS, 7)  # Mondays
    alive = _alive(people, day)
    n = len(people["customer_id"])
    stamp = START + pd.to_timedelta(day, unit="D")
    rise = np.where(stamp >= PRICE_RISE, 1.05, 1.0)
    monthly = np.round(people["base_charges"][:, None] * rise[None, :], 2)
    tenure = np.maximum(0, (day[None, :] - people["signup_day"][:, None]) // 30.4).astype("int64")
    total = np.round(monthly * np.maximum(tenure, 1) + rng.normal(0, 5, (n, len(day))).clip(-5, 5), 2)
    columns = {
        "tenure_months": tenure,
        "contract": np.repeat(people["contract"][:, None], len(day), 1),
        "internet_service": np.repeat(people["internet"][:, None], len(day), 1),
        "payment_method": np.repeat(people["payment"][:, None], len(day), 1),
        "n_services": np.repeat(people["n_services"][:, None], len(day), 1).astype("int64"),
        "monthly_charges": monthly,
        "total_charges": total,
    }
    account = _frame(people, alive, day, START, columns, pd.Timedelta(minutes=10))
    # Restatements: the first version of a few rows had a wrong monthly_charges (a billing bug);
    # the corrected row has the same event_timestamp and is written three days later.
    restated = rng.random(len(account)) < 0.02
    wrong = account.loc[restated].copy()
    wrong["monthly_charges"] = np.round(wrong["monthly_charges"] * rng.choice([0.5, 2.0], len(wrong)), 2)
    fixed = account.loc[restated].copy()
    fixed["created_at"] = fixed["created_at"] + pd.Timedelta(days=3)
    account = pd.concat([account.loc[~restated], wrong, fixed], ignore_index=True)
    account = account.sort_values(["event_timestamp", "customer_id", "created_at"], kind="stable")
    return account.reset_index(drop=True), int(restated.sum())


def _usage(rng: np.random.Generator, people: dict) -> pd.DataFrame:
    # Simulate 60 days before START too, so that the 7- and 30-day windows and the days since the
    # last login are already filled on the first day observed; then keep days 0 .. N_DAYS - 1.
    day = np.arange(-_WARMUP_DAYS, N_DAYS)
    n = len(people["customer_id"])
    ramp = _ramp(people, day)
    member = people["signup_day"][:, None] <= day[None, :]  # no usage before signing up
    engaged = (1 - 0.85 * ramp) * member
    base_gb = np.where(people["internet"] == "No", 0.3, np.where(people["internet"] == "Fiber optic", 2.5, 1.4))
    daily_gb = (base_gb * people["engagement"])[:, None] * engaged * rng.gamma(4, 0.25, (n, len(day)))
    calls = rng.poisson(0.012 + 0.12 * ramp) * member
    login_p = np.clip(0.55 * people["engagement"][:, None] * (1 - 0.9 * ramp), 0.02, 0.95)
    logged_in = (rng.random((n, len(day))) < login_p) & member
    observed = slice(_WARMUP_DAYS, None)
    columns = {
        "data_gb_7d": _rolling_sum(daily_gb, 7)[:, observed].round(2),
        "support_calls_30d": _rolling_sum(calls, 30)[:, observed].astype("int64"),
        "days_since_login": _days_since(logged_in)[:, observed],
    }
    day = day[observed]
    # A day's row describes the day that just ended, so it is timestamped at the following midnight.
    return _frame(people, _alive(people, day), day, START + pd.Timedelta(days=1), columns, pd.Timedelta(minutes=30))


def _rolling_sum(values: np.ndarray, window: int) -> np.ndarray:
    cumulative = np.cumsum(values, axis=1)
    shifted = np.concatenate([np.zeros((len(values), window)), cumulative[:, :-window]], axis=1)
    return cumulative - shifted


def _days_since(event: np.ndarray) -> np.ndarray:
    """Days since the last True in each row (counting the current day as 0), capped at 60."""
    days = np.arange(event.shape[1])
    last = np.maximum.accumulate(np.where(event, days, -60), axis=1)
    return np.minimum(days - last, 60).astype("int64")


def _labels(people: dict) -> pd.DataFrame:
    horizon = pd.Timedelta(days=LABEL_DAYS)
    rows = []
    for k in range(N_DAYS // SCORE_EVERY_DAYS + 1):
        day = people["score_offset"] + k * SCORE_EVERY_DAYS
        time = START + pd.to_timedelta(day, unit="D") + pd.Timedelta(hours=9)
        churn_time = people["churn_day"] + 0.5  # people leave at noon
        active = (day >= np.maximum(people["signup_day"], 0) + 8) & (day + 9 / 24 < churn_time)
        known = time + horizon <= NOW
        keep = active & known
        churned = (churn_time[keep] <= day[keep] + 9 / 24 + LABEL_DAYS).astype("int64")
        rows.append(pd.DataFrame({"customer_id": people["customer_id"][keep], "event_timestamp": time[keep],
                                  "churned": churned}))
    labels = pd.concat(rows, ignore_index=True)
    labels["label_timestamp"] = labels["event_timestamp"] + horizon
    return labels.sort_values(["event_timestamp", "customer_id"], kind="stable").reset_index(drop=True)
