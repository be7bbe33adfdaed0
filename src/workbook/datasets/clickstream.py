"""A synthetic clickstream: app events per user, and the duplicates an at-least-once channel adds.

Introduced in chapter 06 (distributed processing) and used by Lab 06. Nothing here is real:
every event is drawn from a seeded NumPy generator, so the same arguments always give the same
table.

* :func:`event_log` is the clean log: one row per event, with a unique ``event_id``. Users
  differ a lot in activity (a few heavy users, many light ones), as in real apps, which is what
  makes ``GROUP BY user_id`` shuffles uneven.
* :func:`redeliver` plays Pub/Sub: it delivers every event at least once and some of them
  twice or more, later, with a different ``delivered_at``, so that the copies are not
  identical rows and only ``event_id`` tells them apart.
* :func:`messages` turns the log into JSON-ready dicts with epoch-second timestamps, the shape
  a streaming pipeline (Apache Beam) receives.

Timestamps are naive UTC with microsecond resolution (``datetime64[us]``): Parquet then stores
them as microseconds, which Spark 3.5 reads (it rejects nanosecond Parquet timestamps).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "EVENT_TYPES", "START", "event_log", "messages", "redeliver"]

START = pd.Timestamp("2025-03-01")
"""The first instant of the default log."""
EVENT_TYPES = ("view", "click", "add_to_cart", "purchase")
"""The kinds of event, from the most to the least frequent."""
_EVENT_P = (0.55, 0.3, 0.1, 0.05)
COLUMNS = ("event_id", "user_id", "ts", "event_type", "amount")
"""The columns of :func:`event_log`; ``amount`` is set for purchases only (NaN otherwise)."""


def event_log(n_events: int, *, n_users: int | None = None, seed: int = 0, start: pd.Timestamp = START,
              duration: str | pd.Timedelta = "30D") -> pd.DataFrame:
    """A clean event log of ``n_events`` rows, sorted by time.

    Args:
        n_events: rows to generate (at least 1).
        n_users: distinct users the events are spread over; default ``max(10, n_events // 50)``.
            Activity is skewed: the busiest user has many times the median user's events.
        seed: seeds every random choice.
        start: the earliest possible timestamp.
        duration: the span of the log (a pandas offset string or Timedelta).

    Returns:
        Columns ``event_id`` (int64, 1..n, unique), ``user_id`` (int64), ``ts``
        (datetime64[us], naive UTC, one-second resolution), ``event_type`` (str),
        ``amount`` (float64, > 0 for purchases, NaN otherwise).

    >>> event_log(5, seed=1).columns.tolist()
    ['event_id', 'user_id', 'ts', 'event_type', 'amount']
    """
    if n_events < 1:
        raise ValueError(f"n_events must be at least 1, got {n_events}")
    n_users = n_users or max(10, n_events // 50)
    rng = np.random.default_rng(seed)
    activity = rng.lognormal(mean=0.0, sigma=1.0, size=n_users)
    users = rng.choice(np.arange(1, n_users + 1, dtype="int64"), size=n_events, p=activity / activity.sum())
    span = int(pd.Timedelta(duration).total_seconds())
    seconds = np.sort(rng.integers(0, span, size=n_events))
    kinds = rng.choice(len(EVENT_TYPES), size=n_events, p=_EVENT_P)
    amount = np.round(rng.lognormal(mean=3.0, sigma=0.8, size=n_events), 2)
    return pd.DataFrame({
        "event_id": np.arange(1, n_events + 1, dtype="int64"),
        "user_id": users,
        "ts": (start + pd.to_timedelta(seconds, unit="s")).as_unit("us"),
        "event_type": np.asarray(EVENT_TYPES, dtype=object)[kinds],
        "amount": np.where(kinds == EVENT_TYPES.index("purchase"), amount, np.nan),
    })


def redeliver(events: pd.DataFrame, *, rate: float = 0.05, seed: int = 0,
              max_delay: str | pd.Timedelta = "10min") -> tuple[pd.DataFrame, int]:
    """The events as an at-least-once channel delivers them: every row once, some again.

    About ``rate`` of the events are delivered a second time (a few of those a third time),
    each copy with a later ``delivered_at`` and at a random position, exactly as a
    redelivered Pub/Sub message arrives after its acknowledgement deadline expired.

    Args:
        events: a log from :func:`event_log` (any table with a unique ``event_id`` and ``ts``).
        rate: the share of events delivered more than once.
        seed: seeds which events are repeated, their delays and the order.
        max_delay: the largest gap between an event's time and a copy's delivery.

    Returns:
        ``(delivered, n_extra)``: the events plus their copies, with a ``delivered_at``
        column, in delivery order; ``n_extra`` is the number of extra copies, so
        ``len(delivered) == len(events) + n_extra``.

    >>> delivered, extra = redeliver(event_log(100, seed=1), rate=0.1, seed=1)
    >>> len(delivered) - extra, delivered["event_id"].nunique()
    (100, 100)
    """
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be in [0, 1), got {rate}")
    rng = np.random.default_rng(seed + 10_007)
    n = len(events)
    first_delay = pd.to_timedelta(rng.integers(0, 5, size=n), unit="s")
    once = events.assign(delivered_at=(events["ts"] + first_delay).astype(events["ts"].dtype))
    repeated = rng.random(n) < rate
    thrice = repeated & (rng.random(n) < 0.1)
    extra_rows = np.concatenate([np.flatnonzero(repeated), np.flatnonzero(thrice)])
    max_s = max(6, int(pd.Timedelta(max_delay).total_seconds()))
    copies = events.iloc[extra_rows].copy()
    copies["delivered_at"] = (copies["ts"] + pd.to_timedelta(rng.integers(5, max_s, size=len(copies)), unit="s")
                              ).astype(events["ts"].dtype)
    delivered = pd.concat([once, copies], ignore_index=True)
    order = np.lexsort((rng.random(len(delivered)), delivered["delivered_at"].to_numpy()))
    return delivered.iloc[order].reset_index(drop=True), len(copies)


def messages(events: pd.DataFrame) -> list[dict]:
    """The rows of ``events`` as JSON-ready dicts, ``ts`` (and ``delivered_at``) in epoch seconds.

    NaN amounts become ``None``. This is the payload a streaming consumer receives.

    >>> messages(event_log(1, seed=0))[0]["event_id"]
    1
    """
    out = events.copy()
    for col in ("ts", "delivered_at"):
        if col in out:
            out[col] = (out[col] - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
    out["amount"] = out["amount"].astype(object).where(out["amount"].notna(), None)
    return out.to_dict(orient="records")
