"""Tests for workbook.datasets.subscriptions: consistent tables, labels that match the activity, and a
customer table that is (deliberately) as of the extract date."""
from __future__ import annotations

import pandas as pd
import pytest

from workbook.datasets.subscriptions import N_MONTHS, PRICE_RISE_MONTH, subscriptions


@pytest.fixture(scope="module")
def subs():
    """A simulation of 3,000 customers, seed 1."""
    return subscriptions(3000, seed=1)


def test_same_seed_same_tables():
    """Two calls with the same arguments return identical tables."""
    a, b = subscriptions(200, seed=5), subscriptions(200, seed=5)
    for name in ("activity", "customers", "labels"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_seeds_never_share_customers():
    """Different seeds give disjoint customer ids."""
    assert not set(subscriptions(100, seed=1).customers["customer_id"]) & set(subscriptions(100, seed=2).customers["customer_id"])


def test_activity_only_while_subscribed(subs):
    """Activity starts at signup, has one row per month, and stops for good after a cancellation."""
    act = subs.activity.merge(subs.customers, on="customer_id")
    assert (act["month"] >= act["signup_month"]).all()
    assert not act.duplicated(["customer_id", "month"]).any()
    span = act.groupby("customer_id")["month"].agg(["min", "max", "size"])
    assert (span["max"] - span["min"] + 1 == span["size"]).all()  # no gaps
    cancelled = subs.customers.set_index("customer_id")["status"].eq("cancelled")
    assert (span.loc[cancelled[cancelled].index.intersection(span.index), "max"] < N_MONTHS - 1).all()


def test_labels_match_the_activity(subs):
    """At the cutoff the customer is subscribed; churned = 1 exactly when there is no activity the month after."""
    months = subs.activity.groupby("customer_id")["month"].apply(set)
    lab = subs.labels.set_index("customer_id")
    assert all(c in months[i] for i, c in lab["cutoff"].items())
    active_next = pd.Series({i: c + 1 in months[i] for i, c in lab["cutoff"].items()})
    assert (lab["churned"] == (~active_next).astype(int)).all()
    assert (lab["cutoff"] < N_MONTHS - 1).all() and 0.05 < lab["churned"].mean() < 0.3


def test_customer_table_is_as_of_the_extract_date(subs):
    """logins_total counts every login ever, including those after each label's cutoff."""
    totals = subs.activity.groupby("customer_id")["logins"].sum()
    customers = subs.customers.set_index("customer_id")
    assert customers.loc[totals.index, "logins_total"].eq(totals).all()
    after = subs.activity.merge(subs.labels, on="customer_id").query("month > cutoff")
    assert after["logins"].sum() > 0


def test_price_rise_makes_premium_churn_more(subs):
    """Premium customers churn more often after the price rise than before it."""
    lab = subs.labels.merge(subs.customers, on="customer_id")
    premium = lab[lab["plan"] == "premium"]
    before = premium.loc[premium["cutoff"] + 1 < PRICE_RISE_MONTH, "churned"].mean()
    after = premium.loc[premium["cutoff"] + 1 >= PRICE_RISE_MONTH, "churned"].mean()
    assert after > before + 0.05


def test_too_few_customers_is_refused():
    """Fewer than 50 customers raise a ValueError naming the limit."""
    with pytest.raises(ValueError, match="at least 50"):
        subscriptions(10)
