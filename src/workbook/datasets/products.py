"""Synthetic products of a telecom operator's online shop: daily snapshots and stock-out labels.

Used by Lab 05 (a Feast feature repository for a second entity). Nothing here is real data: every
product, sale and restock is drawn from a seeded NumPy generator, so the same arguments always
give the same tables.

Each product (phones, routers, accessories, SIM cards) sells a few units a day, more at a lower
price and when it is rated well. When the stock falls below a reorder point, the shop orders
more, which arrives after a lead time; if it sells out first, the product is **out of stock**
until the delivery. A nightly job writes one ``snapshots`` row per product per day, timestamped
at the midnight that ends the day it describes (``event_timestamp``) and written 15 minutes
later (``created_at``): price, units in stock, units sold in the last 7 days, average rating and
category. Products are discontinued from time to time: their snapshots stop.

``labels`` holds the moments a model scores a product (every 7 days at 08:00, at an offset of the
product's own) and whether it ran out of stock within the following :data:`LABEL_DAYS` days.
Stock levels written *after* the prediction time give the answer away: a feature read from them
is a leak.

>>> data = products(30, seed=0)
>>> sorted(data.snapshots.columns)
['category', 'created_at', 'event_timestamp', 'price', 'product_id', 'rating', 'stock_units', 'units_sold_7d']
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CATEGORIES", "FEATURES", "LABEL_DAYS", "NOW", "ProductData", "START", "products"]

START = pd.Timestamp("2024-09-02", tz="UTC")
"""The first day observed (a Monday)."""
N_DAYS = 120
"""Days observed: ``START`` to ``NOW``."""
NOW = START + pd.Timedelta(days=N_DAYS)
"""2024-12-31 00:00 UTC, "now" in the synthetic world: the last snapshot has this timestamp."""
LABEL_DAYS = 7
"""A label says whether the product ran out of stock within this many days after the prediction time."""
CATEGORIES = {"phone": (450.0, 1.2), "router": (120.0, 1.8), "accessory": (25.0, 4.0), "sim": (10.0, 6.0)}
"""Category: (typical price, typical units sold per day)."""
FEATURES = ("price", "stock_units", "units_sold_7d", "rating", "category")
"""The feature columns of ``snapshots``."""

_WARMUP_DAYS = 30


@dataclass(frozen=True)
class ProductData:
    """What :func:`products` made."""

    catalogue: pd.DataFrame
    """One row per product: product_id, category, launch day and discontinuation time (NaT if none)."""
    snapshots: pd.DataFrame
    """Daily snapshots: product_id, event_timestamp, created_at and :data:`FEATURES`."""
    labels: pd.DataFrame
    """Prediction rows: product_id, event_timestamp (prediction time), stockout (0/1), label_timestamp."""
    seed: int

    @property
    def now(self) -> pd.Timestamp:
        """The synthetic world's "now" (:data:`NOW`)."""
        return NOW


def products(n_products: int = 150, *, seed: int = 0) -> ProductData:
    """120 days of a shop's products: daily snapshots and weekly stock-out labels.

    Args:
        n_products: products (at least 10); ids are ``501 .. 500 + n_products``.
        seed: seeds every random choice; the same arguments always give equal tables.

    Returns:
        A :class:`ProductData`; tables sorted by ``event_timestamp`` then ``product_id``, in UTC.

    >>> data = products(40, seed=2)
    >>> bool(data.labels["label_timestamp"].max() <= data.now)
    True
    """
    if n_products < 10:
        raise ValueError(f"products needs at least 10 products, got {n_products}")
    rng = np.random.default_rng(seed)
    n, days = n_products, _WARMUP_DAYS + N_DAYS
    ids = np.arange(501, 501 + n, dtype="int64")
    category = rng.choice(list(CATEGORIES), size=n, p=[0.25, 0.15, 0.4, 0.2])
    typical_price = np.array([CATEGORIES[c][0] for c in category])
    typical_sales = np.array([CATEGORIES[c][1] for c in category])
    price0 = np.round(typical_price * rng.lognormal(0, 0.25, n), 2)
    rating = np.round(np.clip(rng.normal(4.0, 0.45, n), 1, 5), 1)
    launch = np.where(rng.random(n) < 0.2, rng.integers(_WARMUP_DAYS, _WARMUP_DAYS + 60, n), 0)
    ends = np.where(rng.random(n) < 0.15, rng.integers(_WARMUP_DAYS + 40, days, n), days)
    ends = np.minimum(np.maximum(ends, launch + 21), days)  # every product sells for three weeks at least

    # Prices change on a few days (promotions and price cuts).
    change = rng.random((n, days)) < 0.02
    factor = np.where(change, rng.choice([0.8, 0.9, 1.1], size=(n, days)), 1.0)
    price = np.round(price0[:, None] * np.cumprod(factor, axis=1), 2)
    rate = typical_sales[:, None] * (price0[:, None] / price) ** 1.5 * (rating[:, None] / 4.0) ** 2
    rate = rate * rng.lognormal(0, 0.3, n)[:, None]
    demand = rng.poisson(rate)

    reorder_point = np.ceil(typical_sales * rng.uniform(3, 7, n)).astype(int)
    order_size = np.ceil(typical_sales * rng.uniform(10, 25, n)).astype(int)
    lead = rng.integers(3, 9, n)
    stock = np.zeros((n, days), dtype="int64")
    sold = np.zeros((n, days), dtype="int64")
    level = order_size.copy()
    arrives = np.full(n, -1)  # the day an open order arrives, -1 without one
    for d in range(days):
        delivered = arrives == d
        level[delivered] += order_size[delivered]
        arrives[delivered] = -1
        sold[:, d] = np.where(d >= launch, np.minimum(level, demand[:, d]), 0)
        level -= sold[:, d]
        stock[:, d] = level
        reorder = (level <= reorder_point) & (arrives < 0)
        arrives[reorder] = d + lead[reorder]

    units_sold_7d = np.cumsum(sold, axis=1)
    units_sold_7d[:, 7:] = units_sold_7d[:, 7:] - units_sold_7d[:, :-7]
    observed = np.arange(_WARMUP_DAYS, days)
    alive = (launch[:, None] <= observed[None, :]) & (observed[None, :] < ends[:, None])
    rows, cols = np.nonzero(alive.T)
    day = observed[rows] - _WARMUP_DAYS
    stamp = START + pd.to_timedelta(day + 1, unit="D")  # a day's row is written at the midnight ending it
    snapshots = pd.DataFrame({
        "product_id": ids[cols], "event_timestamp": stamp, "created_at": stamp + pd.Timedelta(minutes=15),
        "price": price[cols, observed[rows]], "stock_units": stock[cols, observed[rows]],
        "units_sold_7d": units_sold_7d[cols, observed[rows]], "rating": rating[cols],
        "category": category[cols],
    })

    labels = _labels(rng, ids, stock, launch, ends)
    catalogue = pd.DataFrame({
        "product_id": ids, "category": category,
        "launched": START + pd.to_timedelta(np.maximum(launch - _WARMUP_DAYS, 0), unit="D"),
        "discontinued": START + pd.to_timedelta(np.where(ends < days, ends - _WARMUP_DAYS, np.nan), unit="D"),
    })
    return ProductData(catalogue=catalogue, snapshots=snapshots.reset_index(drop=True), labels=labels, seed=seed)


def _labels(rng: np.random.Generator, ids: np.ndarray, stock: np.ndarray, launch: np.ndarray,
            ends: np.ndarray) -> pd.DataFrame:
    """Every 7 days at 08:00 per product: did the stock hit 0 on any of the next LABEL_DAYS days?"""
    offset = rng.integers(0, 7, len(ids))
    out = stock == 0
    rows = []
    for k in range(N_DAYS // 7 + 1):
        day = offset + 7 * k + 1  # at least one snapshot (the first is written at START + 1 day)
        absolute = day + _WARMUP_DAYS
        keep = (day + LABEL_DAYS < N_DAYS) & (absolute >= launch + 1) & (absolute + LABEL_DAYS <= ends)
        # Day `absolute` has started at 08:00; the days it may still run out on are absolute .. absolute + 6.
        window = np.stack([out[np.arange(len(ids)), np.minimum(absolute + j, out.shape[1] - 1)]
                           for j in range(LABEL_DAYS)], axis=1)
        rows.append(pd.DataFrame({
            "product_id": ids[keep],
            "event_timestamp": START + pd.to_timedelta(day[keep], unit="D") + pd.Timedelta(hours=8),
            "stockout": window[keep].any(axis=1).astype("int64"),
        }))
    labels = pd.concat(rows, ignore_index=True)
    labels["label_timestamp"] = labels["event_timestamp"] + pd.Timedelta(days=LABEL_DAYS)
    return labels.sort_values(["event_timestamp", "product_id"], kind="stable").reset_index(drop=True)
