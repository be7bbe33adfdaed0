"""Tests for workbook.datasets.telecom: deterministic, time-consistent, and with the planted behaviour it documents."""
from __future__ import annotations

import pandas as pd
import pytest

from workbook.datasets.telecom import ACCOUNT_FEATURES, LABEL_DAYS, NOW, START, USAGE_FEATURES, telecom

KEYS = ["customer_id", "event_timestamp"]


@pytest.fixture(scope="module")
def data():
    """One synthetic year for 300 customers, seed 1."""
    return telecom(300, seed=1)


def test_same_seed_gives_equal_tables():
    """Two calls with the same arguments return equal tables."""
    first, second = telecom(80, seed=4), telecom(80, seed=4)
    for name in ("customers", "account", "usage", "labels"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    assert first.n_restated == second.n_restated


def test_another_seed_gives_other_data():
    """A different seed gives different usage."""
    assert not telecom(80, seed=1).usage.equals(telecom(80, seed=2).usage)


def test_too_few_customers_is_refused():
    """Fewer than 20 customers raise a ValueError that names the limit."""
    with pytest.raises(ValueError, match="at least 20"):
        telecom(5)


def test_columns_and_ids(data):
    """The tables have the documented columns, and ids run from 1001."""
    assert list(data.account.columns) == [*KEYS, "created_at", *ACCOUNT_FEATURES]
    assert list(data.usage.columns) == [*KEYS, "created_at", *USAGE_FEATURES]
    assert list(data.labels.columns) == [*KEYS, "churned", "label_timestamp"]
    assert data.customers["customer_id"].tolist() == list(range(1001, 1301))


def test_timestamps_are_utc_and_inside_the_year(data):
    """Every timestamp is UTC; snapshots fall between START and NOW; the data's "now" is NOW."""
    for table in (data.account, data.usage, data.labels):
        assert str(table["event_timestamp"].dt.tz) == "UTC"
    assert data.account["event_timestamp"].min() >= START and data.usage["event_timestamp"].max() == NOW
    assert data.now == NOW


def test_snapshot_schedules(data):
    """Account snapshots fall on Monday midnights, usage snapshots on midnights, both written shortly after."""
    account_ts = data.account["event_timestamp"]
    assert (account_ts.dt.dayofweek == 0).all() and (account_ts.dt.hour == 0).all()
    assert (data.usage["event_timestamp"].dt.hour == 0).all()
    for table in (data.account, data.usage):
        lag = table["created_at"] - table["event_timestamp"]
        assert (lag > pd.Timedelta(0)).all() and (lag <= pd.Timedelta(days=3, minutes=10)).all()


def test_restatements_are_counted_and_resolved_by_created_at(data):
    """n_restated snapshots appear twice with the same key; the second version is written three days later."""
    twice = data.account[data.account.duplicated(KEYS, keep=False)]
    assert twice.groupby(KEYS).ngroups == data.n_restated > 0
    lags = twice.groupby(KEYS)["created_at"].agg(lambda s: s.max() - s.min())
    assert (lags == pd.Timedelta(days=3)).all()
    assert not data.usage.duplicated(KEYS).any()


def test_no_snapshots_after_a_customer_left(data):
    """Churners stop producing snapshots before they leave, and nobody has a snapshot before signing up."""
    usage = data.usage.merge(data.customers, on="customer_id")
    assert not (usage["event_timestamp"] > usage["churn_time"]).any()
    assert (usage["event_timestamp"] > usage["signup"]).all()


def test_labels_match_the_hidden_churn_times(data):
    """A label is 1 exactly when the customer left within LABEL_DAYS after the prediction, which is known by NOW."""
    labels = data.labels.merge(data.customers, on="customer_id")
    horizon = pd.Timedelta(days=LABEL_DAYS)
    left = labels["churn_time"].notna() & (labels["churn_time"] <= labels["event_timestamp"] + horizon)
    assert (labels["churned"] == left.astype(int)).all()
    assert (labels["label_timestamp"] == labels["event_timestamp"] + horizon).all()
    assert (labels["label_timestamp"] <= NOW).all()
    assert not (labels["churn_time"] <= labels["event_timestamp"]).any()  # only active customers are scored
    assert 0.02 < data.labels["churned"].mean() < 0.15


def test_every_label_has_fresh_snapshots(data):
    """At each prediction time the customer has a usage snapshot within 2 days and an account snapshot within 14."""
    for table, limit in ((data.usage, 2), (data.account, 14)):
        newest = pd.merge_asof(data.labels.sort_values("event_timestamp"),
                               table[KEYS].rename(columns={"event_timestamp": "snapshot"}).sort_values("snapshot"),
                               left_on="event_timestamp", right_on="snapshot", by="customer_id")
        age = newest["event_timestamp"] - newest["snapshot"]
        assert (age <= pd.Timedelta(days=limit)).all()


def test_leavers_disengage_in_their_last_weeks(data):
    """In their last three days, churners have used under half the weekly data they used two months earlier."""
    usage = data.usage.merge(data.customers.dropna(subset=["churn_time"]), on="customer_id")
    days = (usage["churn_time"] - usage["event_timestamp"]).dt.days
    late, early = usage.loc[days <= 3, "data_gb_7d"].mean(), usage.loc[days.between(40, 60), "data_gb_7d"].mean()
    assert late < 0.5 * early
