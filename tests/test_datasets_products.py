"""Tests for workbook.datasets.products: deterministic daily snapshots and honest stock-out labels."""
from __future__ import annotations

import pandas as pd
import pytest

from workbook.datasets.products import FEATURES, LABEL_DAYS, NOW, START, products

KEYS = ["product_id", "event_timestamp"]


@pytest.fixture(scope="module")
def shop():
    """120 days of 80 products, seed 3."""
    return products(80, seed=3)


def test_same_seed_gives_equal_tables():
    """Two calls with the same arguments return equal tables."""
    first, second = products(30, seed=2), products(30, seed=2)
    for name in ("catalogue", "snapshots", "labels"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))


def test_another_seed_gives_other_data():
    """A different seed gives different snapshots."""
    assert not products(30, seed=1).snapshots.equals(products(30, seed=2).snapshots)


def test_too_few_products_is_refused():
    """Fewer than 10 products raise a ValueError that names the limit."""
    with pytest.raises(ValueError, match="at least 10"):
        products(3)


def test_snapshots_are_daily_unique_and_inside_the_window(shop):
    """One snapshot per product and midnight, in UTC, between START and NOW, written 15 minutes later."""
    snaps = shop.snapshots
    assert list(snaps.columns) == [*KEYS, "created_at", *FEATURES]
    assert not snaps.duplicated(KEYS).any()
    assert str(snaps["event_timestamp"].dt.tz) == "UTC" and (snaps["event_timestamp"].dt.hour == 0).all()
    assert snaps["event_timestamp"].min() > START and snaps["event_timestamp"].max() == NOW == shop.now
    assert ((snaps["created_at"] - snaps["event_timestamp"]) == pd.Timedelta(minutes=15)).all()
    assert (snaps["stock_units"] >= 0).all() and (snaps["price"] > 0).all()


def test_labels_are_known_and_have_a_snapshot_before_them(shop):
    """Labels end by NOW, and each prediction has a snapshot of its product at most one day old."""
    labels = shop.labels
    assert (labels["label_timestamp"] == labels["event_timestamp"] + pd.Timedelta(days=LABEL_DAYS)).all()
    assert (labels["label_timestamp"] <= NOW).all()
    newest = pd.merge_asof(labels.sort_values("event_timestamp"),
                           shop.snapshots[KEYS].rename(columns={"event_timestamp": "snapshot"}).sort_values("snapshot"),
                           left_on="event_timestamp", right_on="snapshot", by="product_id")
    assert ((newest["event_timestamp"] - newest["snapshot"]) <= pd.Timedelta(days=1)).all()


def test_stockout_label_agrees_with_later_snapshots(shop):
    """A product labelled as a stock-out shows zero stock in a snapshot of the label window, and others never do."""
    snaps = shop.snapshots
    for _, row in shop.labels.sample(200, random_state=0).iterrows():
        window = snaps[(snaps["product_id"] == row["product_id"])
                       & (snaps["event_timestamp"] > row["event_timestamp"])
                       & (snaps["event_timestamp"] <= row["label_timestamp"])]
        assert int((window["stock_units"] == 0).any()) == row["stockout"], row.to_dict()
