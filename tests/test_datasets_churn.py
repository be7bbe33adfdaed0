"""Tests for workbook.datasets.churn: deterministic, dirty, and with honest planted counts."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd
import pytest

from workbook.datasets.churn import COUNTRIES, TS_FORMAT, write_sources

FILES = ("customers.db", "sales.csv", "events.json")


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    """Sources for 300 customers, seed 1, and their raw contents."""
    manifest = write_sources(tmp_path_factory.mktemp("raw"), n_customers=300, seed=1)
    with closing(sqlite3.connect(manifest.customers_db)) as con:
        customers = pd.read_sql("SELECT * FROM customers", con)
    sales = pd.read_csv(manifest.sales_csv, dtype=str, keep_default_na=False)
    events = json.loads(manifest.events_json.read_text(encoding="utf-8"))
    return manifest, customers, sales, events


def test_same_seed_writes_identical_bytes(tmp_path):
    """Two runs with the same seed write byte-identical files."""
    first = write_sources(tmp_path / "a", n_customers=200, seed=7)
    second = write_sources(tmp_path / "b", n_customers=200, seed=7)
    for name in FILES:
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name
    assert first.dirt() == second.dirt()


def test_rewriting_a_folder_gives_the_same_files(tmp_path):
    """Writing into a folder that already holds sources replaces them with identical bytes."""
    write_sources(tmp_path, n_customers=100, seed=3)
    before = {name: (tmp_path / name).read_bytes() for name in FILES}
    write_sources(tmp_path, n_customers=100, seed=3)
    assert before == {name: (tmp_path / name).read_bytes() for name in FILES}


def test_another_seed_writes_other_data(tmp_path):
    """A different seed gives different sales."""
    a = write_sources(tmp_path / "a", n_customers=200, seed=1)
    b = write_sources(tmp_path / "b", n_customers=200, seed=2)
    assert a.sales_csv.read_bytes() != b.sales_csv.read_bytes()


def test_too_few_customers_is_refused(tmp_path):
    """Fewer than 20 customers raise a ValueError that names the limit."""
    with pytest.raises(ValueError, match="at least 20"):
        write_sources(tmp_path, n_customers=5)


def test_row_counts_match_the_files(sources):
    """The manifest's raw row counts are the number of rows in each file."""
    manifest, customers, sales, events = sources
    assert (len(customers), len(sales), len(events)) == (
        manifest.n_customer_rows, manifest.n_sales_rows, manifest.n_event_rows)


def test_planted_customer_dirt_is_in_the_database(sources):
    """Duplicates, missing ids, misspelt countries and missing cities are stored as counted."""
    manifest, customers, _, _ = sources
    assert customers.duplicated().sum() == manifest.n_duplicate_customers
    assert customers["customer_id"].isna().sum() == manifest.n_customers_missing_id
    assert (~customers["country"].isin(list(COUNTRIES))).sum() == manifest.n_messy_countries
    assert customers["city"].isna().sum() == manifest.n_missing_cities
    ids = customers["customer_id"].dropna().astype(int)
    assert set(ids) == set(range(1, manifest.n_customers + 1))
    normalised = customers["country"].str.strip().str.upper()
    assert set(normalised) <= set(COUNTRIES)


def test_planted_sales_dirt_is_in_the_csv(sources):
    """Every kind of sales dirt appears in the CSV exactly as often as the manifest says."""
    manifest, _, sales, _ = sources
    exact = sales.duplicated()
    assert exact.sum() == manifest.n_duplicate_sales
    distinct = sales[~exact & (sales["sale_id"] != "")]
    assert distinct["sale_id"].duplicated().sum() == manifest.n_resent_sales
    assert (sales["customer_id"] == "").sum() == manifest.n_sales_missing_customer_id
    assert (sales["sale_id"] == "").sum() == manifest.n_sales_missing_sale_id
    ts = pd.to_datetime(sales["sale_ts"], format=TS_FORMAT, errors="coerce")
    assert ts.isna().sum() == manifest.n_bad_sale_timestamps
    amount = pd.to_numeric(sales["amount"], errors="coerce")
    assert (sales["amount"] == "").sum() == manifest.n_missing_amounts
    assert (amount <= 0).sum() == manifest.n_nonpositive_amounts
    assert (amount > 100 * amount[amount > 0].median()).sum() == manifest.n_extreme_amounts


def test_resent_sales_arrive_later(sources):
    """A re-sent sale repeats its sale_id and amount with a later timestamp."""
    _, _, sales, _ = sources
    distinct = sales[~sales.duplicated() & (sales["sale_id"] != "")]
    repeated = distinct[distinct["sale_id"].duplicated(keep=False)]
    for _, pair in repeated.groupby("sale_id"):
        first, second = pair.iloc[0], pair.iloc[1]
        assert first["amount"] == second["amount"]
        assert pd.Timestamp(second["sale_ts"]) > pd.Timestamp(first["sale_ts"])


def test_planted_event_dirt_is_in_the_json(sources):
    """Absent customer_id keys, null event_ids, bad timestamps and duplicates are stored as counted."""
    manifest, _, _, events = sources
    assert sum("customer_id" not in e for e in events) == manifest.n_events_missing_customer_id
    assert sum(e["event_id"] is None for e in events) == manifest.n_events_missing_event_id
    frame = pd.DataFrame(events)
    ts = pd.to_datetime(frame["event_ts"], format="%Y-%m-%dT%H:%M:%S", errors="coerce")
    assert ts.isna().sum() == manifest.n_bad_event_timestamps
    assert frame.astype(str).duplicated().sum() == manifest.n_duplicate_events


def test_clean_counts_follow_from_the_dirt(sources):
    """n_clean_sales is the number of distinct usable sale_ids, n_clean_events likewise."""
    manifest, _, sales, events = sources
    usable = (sales["sale_id"] != "") & (sales["customer_id"] != "") & pd.to_datetime(
        sales["sale_ts"], format=TS_FORMAT, errors="coerce").notna()
    assert (~usable).sum() == manifest.n_sales_to_quarantine
    assert sales.loc[usable, "sale_id"].nunique() == manifest.n_clean_sales
    frame = pd.DataFrame(events)
    ok = frame["event_id"].notna() & frame["customer_id"].notna() & pd.to_datetime(
        frame["event_ts"], format="%Y-%m-%dT%H:%M:%S", errors="coerce").notna()
    assert frame.loc[ok, "event_id"].nunique() == manifest.n_clean_events


def test_windows_lie_inside_the_data(sources):
    """start < cutoff - obs_days < cutoff < cutoff + label_days <= end, with sales in every stretch."""
    manifest, _, sales, _ = sources
    assert manifest.start < manifest.obs_start < manifest.cutoff < manifest.label_end <= manifest.end
    ts = pd.to_datetime(sales["sale_ts"], format=TS_FORMAT, errors="coerce").dropna()
    assert ts.min() >= manifest.start and ts.max() < manifest.end + pd.Timedelta(days=2)
    edges = [manifest.start, manifest.obs_start, manifest.cutoff, manifest.label_end, manifest.end]
    for lo, hi in zip(edges, edges[1:]):
        assert ((ts > lo) & (ts <= hi)).sum() > 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_churn_is_neither_rare_nor_common(tmp_path, seed):
    """With the suggested windows 25-40% of the customers existing at the cutoff churn."""
    manifest = write_sources(tmp_path, n_customers=1000, seed=seed)
    sales = pd.read_csv(manifest.sales_csv)
    ts = pd.to_datetime(sales["sale_ts"], format=TS_FORMAT, errors="coerce")
    buyers = set(sales.loc[(ts > manifest.cutoff) & (ts <= manifest.label_end), "customer_id"].dropna().astype(int))
    with closing(sqlite3.connect(manifest.customers_db)) as con:
        customers = pd.read_sql("SELECT * FROM customers", con).dropna(subset=["customer_id"])
    existing = customers.drop_duplicates("customer_id")
    existing = existing[pd.to_datetime(existing["signup_date"]) <= manifest.cutoff]
    assert len(existing) == manifest.n_customers - manifest.n_signups_after_cutoff
    churn = ~existing["customer_id"].astype(int).isin(buyers)
    assert 0.25 <= churn.mean() <= 0.40


def test_customers_differ_in_how_often_they_buy(sources):
    """Purchase counts are spread out: some customers buy often, some rarely or never."""
    manifest, _, sales, _ = sources
    counts = sales["customer_id"].replace("", np.nan).dropna().astype(int).value_counts()
    counts = counts.reindex(range(1, manifest.n_customers + 1), fill_value=0)
    assert (counts == 0).sum() > 0
    assert counts.quantile(0.9) > 3 * max(counts.quantile(0.25), 1)
