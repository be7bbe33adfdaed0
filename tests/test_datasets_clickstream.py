"""Tests for workbook.datasets.clickstream: deterministic logs, skewed users, honest redeliveries."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from workbook.datasets.clickstream import COLUMNS, EVENT_TYPES, START, event_log, messages, redeliver


def test_same_seed_gives_the_same_log():
    """Two calls with the same arguments return identical tables; another seed does not."""
    pd.testing.assert_frame_equal(event_log(3_000, seed=5), event_log(3_000, seed=5))
    assert not event_log(3_000, seed=5).equals(event_log(3_000, seed=6))


def test_columns_types_and_ranges():
    """Columns, dtypes (microsecond timestamps), unique sorted ids, amounts only on purchases."""
    log = event_log(5_000, seed=1, duration="2D")
    assert tuple(log.columns) == COLUMNS
    assert str(log["ts"].dtype) == "datetime64[us]" and log["ts"].is_monotonic_increasing
    assert log["event_id"].tolist() == list(range(1, 5_001))
    assert set(log["event_type"]) <= set(EVENT_TYPES)
    assert START <= log["ts"].min() and log["ts"].max() < START + pd.Timedelta("2D")
    purchases = log["event_type"].eq("purchase")
    assert log.loc[purchases, "amount"].gt(0).all() and log.loc[~purchases, "amount"].isna().all()


def test_users_are_skewed():
    """Activity differs a lot between users: the busiest has several times the median user's events."""
    counts = event_log(20_000, n_users=200, seed=2)["user_id"].value_counts()
    assert counts.max() > 4 * counts.median()
    assert 150 <= counts.size <= 200


def test_too_few_events_is_refused():
    """Zero events raise a ValueError naming the problem."""
    with pytest.raises(ValueError, match="at least 1"):
        event_log(0)


def test_redeliver_adds_exactly_the_reported_copies():
    """Every event is delivered at least once; the extra rows are exactly the reported copies."""
    log = event_log(2_000, seed=3)
    delivered, extra = redeliver(log, rate=0.1, seed=3)
    assert len(delivered) == len(log) + extra and 100 < extra < 350
    assert set(delivered["event_id"]) == set(log["event_id"])
    counts = delivered["event_id"].value_counts()
    assert int((counts - 1).sum()) == extra and counts.max() <= 3


def test_copies_differ_only_in_delivery_time():
    """Copies keep the event's columns, arrive later than the event, and are never identical rows."""
    log = event_log(1_000, seed=4)
    delivered, _ = redeliver(log, rate=0.2, seed=4)
    assert delivered["delivered_at"].ge(delivered["ts"]).all()
    assert delivered.drop_duplicates().shape[0] == len(delivered)  # whole-row de-duplication removes nothing
    deduped = (delivered.drop_duplicates("event_id").drop(columns="delivered_at")
               .sort_values("event_id").reset_index(drop=True))
    pd.testing.assert_frame_equal(deduped, log)


def test_redeliver_is_deterministic_and_validates_rate():
    """The same seed gives the same delivery order; a rate of 1 or more is refused."""
    log = event_log(500, seed=5)
    pd.testing.assert_frame_equal(redeliver(log, seed=9)[0], redeliver(log, seed=9)[0])
    with pytest.raises(ValueError, match="rate"):
        redeliver(log, rate=1.0)


def test_messages_are_json_ready():
    """Messages carry epoch seconds and None for missing amounts, and serialise to JSON."""
    log = event_log(50, seed=6)
    delivered, _ = redeliver(log, rate=0.2, seed=6)
    out = messages(delivered)
    assert len(out) == len(delivered)
    first = out[0]
    assert first["ts"] == int((delivered["ts"].iloc[0] - pd.Timestamp("1970-01-01")).total_seconds())
    assert all(m["amount"] is None for m in out if m["event_type"] != "purchase")
    json.dumps(out)
    assert isinstance(first["event_id"], (int, np.integer))
