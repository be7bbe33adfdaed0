"""Checks for Lab 02 · the hybrid ETL/ELT churn pipeline.

One check per step of the lab. Each check makes its own small inputs (sources written by
:func:`workbook.datasets.churn.write_sources` into a temporary folder, or a tiny hand-made
table whose answers were worked out by hand), so every step can be checked on its own, in
any order. A check shows ✅, ⏳ (the step is still a placeholder) or ❌ with what is wrong,
measured, and a hint; it never raises into the notebook. Check functions return ``None``;
the verdict is displayed and kept in ``workbook.checks.RESULTS[CHECK_NAMES["check_…"]]``.

    >>> from workbook.checks.lab02 import check_split
    >>> check_split(lambda df, seed: ...)  # doctest: +SKIP
    ⏳ Step 7 · Stratified train/validation split: not done yet
"""
from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.checks._report import (
    Check, checking, kind_of, plural, temporary_folder,
)
from workbook.datasets.churn import COUNTRIES, EVENT_TYPES, TS_FORMAT, write_sources

__all__ = [
    "CHECK_NAMES", "FEATURE_COLUMNS", "check_extract", "check_features", "check_load_raw", "check_outputs",
    "check_preprocessing", "check_split", "check_validate_customers", "check_validate_events",
    "check_validate_sales",
]

CHECK_NAMES = {
    "check_extract": "Step 1 · Extract the three sources",
    "check_validate_sales": "Step 2 · Validate the sales",
    "check_validate_customers": "Step 3a · Validate the customers",
    "check_validate_events": "Step 3b · Validate the events",
    "check_features": "Step 4 · Leakage-safe churn features",
    "check_outputs": "Step 5 · Load: files, dictionary, metadata and QA report",
    "check_load_raw": "Step 6 · ELT: load the raw features into DuckDB",
    "check_split": "Step 7 · Stratified train/validation split",
    "check_preprocessing": "Step 8 · Preprocessing fitted on the training split only",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

FEATURE_COLUMNS = (
    "customer_id", "recency_days", "frequency", "monetary_sum", "monetary_mean", "monetary_max",
    "mean_gap_days", "tenure_days", "country", "city", "churn",
)
"""The columns ``build_features`` returns, one row per customer."""

_SALES_COLUMNS = ("sale_id", "customer_id", "sale_ts", "amount")
_CUSTOMER_COLUMNS = ("customer_id", "signup_date", "country", "city")
_EVENT_COLUMNS = ("event_id", "customer_id", "event_ts", "event_type")
_FEATURE_HINTS = {
    "recency_days": "days from the last purchase in the window to the cutoff; NaN without purchases in the window",
    "frequency": "the number of purchases with cutoff - obs_days < sale_ts <= cutoff (0 without any)",
    "monetary_sum": "the sum of the known amounts in the window (0 without purchases)",
    "monetary_mean": "the mean of the known amounts in the window (NaN without purchases)",
    "monetary_max": "the largest known amount in the window (NaN without purchases)",
    "mean_gap_days": "the mean of the day gaps between consecutive purchases in the window; NaN with fewer than 2",
    "tenure_days": "days from signup_date to the cutoff",
    "country": "copied from the customer table",
    "city": "copied from the customer table",
    "churn": "1 if the customer made no purchase in (cutoff, cutoff + label_days], else 0",
}


def _tuple(c: Check, out: object, function: str, names: tuple[str, ...]) -> tuple:
    c.require(isinstance(out, (tuple, list)) and len(out) == len(names),
          f"`{function}` should return a tuple ({', '.join(names)}), got {kind_of(out)}",
          f"End the function with `return {', '.join(names)}`.")
    return tuple(out)  # type: ignore[arg-type]


def _frame(c: Check, obj: object, what: str, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    c.require(isinstance(obj, pd.DataFrame), f"{what} should be a pandas DataFrame, got {kind_of(obj)}")
    missing = [col for col in columns if col not in obj.columns]
    c.require(not missing, f"{what} has no column {', '.join(missing)}",
          f"Keep the columns {', '.join(columns)}.")
    return obj


def _unchanged(c: Check, given: pd.DataFrame, original: pd.DataFrame, function: str) -> None:
    c.expect(given.equals(original), f"`{function}` changed the DataFrame it was given",
             "Work on a copy (`df = df.copy()`): the raw extract is the record of what arrived.")


def _timestamps(values: pd.Series, fmt: str | None = None) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, format=fmt or "ISO8601", errors="coerce")


def _dtype_problems(df: pd.DataFrame, ints: tuple[str, ...], times: tuple[str, ...], floats: tuple[str, ...]) -> list[str]:
    problems = [f"{col} is {df[col].dtype}, expected an integer type" for col in ints
                if not pd.api.types.is_integer_dtype(df[col])]
    problems += [f"{col} is {df[col].dtype}, expected datetime64" for col in times
                 if not pd.api.types.is_datetime64_any_dtype(df[col])]
    problems += [f"{col} is {df[col].dtype}, expected float" for col in floats
                 if not pd.api.types.is_float_dtype(df[col])]
    return problems


# ----------------------------------------------------------------------------- Step 1 · Extract

def check_extract(extract_customers_sqlite: Callable, extract_sales_csv: Callable,
                  extract_events_json: Callable) -> None:
    """Each extractor, given a path, returns a DataFrame with every raw row of its file and the source's columns.

    The sources are written fresh by ``write_sources(..., n_customers=150, seed=3)``; row counts
    are compared with the manifest. Extraction must not clean: the dirt is counted later.
    """
    with checking(CHECK_NAMES["check_extract"]) as c, temporary_folder("lab02-") as tmp:
        m = write_sources(tmp, n_customers=150, seed=3)
        jobs = [(extract_customers_sqlite, m.customers_db, m.n_customer_rows, _CUSTOMER_COLUMNS),
                (extract_sales_csv, m.sales_csv, m.n_sales_rows, _SALES_COLUMNS),
                (extract_events_json, m.events_json, m.n_event_rows, _EVENT_COLUMNS)]
        counts = []
        for function, path, n_rows, columns in jobs:
            name = getattr(function, "__name__", "extract")
            out = c.call(function, path)
            if not c.expect(isinstance(out, pd.DataFrame), f"`{name}` should return a DataFrame, got {kind_of(out)}"):
                continue
            missing = [col for col in columns if col not in out.columns]
            c.expect(not missing, f"`{name}` returned no column {', '.join(missing)} ({path.name} has "
                     f"{', '.join(columns)})", "Read every column of the source as it is.")
            diff = len(out) - n_rows
            c.expect(diff == 0, f"`{name}` returned {len(out):,} rows but {path.name} holds {n_rows:,} "
                     f"({abs(diff):,} {'missing' if diff < 0 else 'extra'})",
                     "Extract every row as-is: dropping duplicates and bad rows is the validation step's "
                     "job, where each removal is counted and quarantined.")
            counts.append(f"{path.name} {len(out):,}")
        c.note("rows extracted: " + ", ".join(counts))


# ----------------------------------------------------------------------------- Step 2 · Validate sales

def check_validate_sales(validate_sales: Callable) -> None:
    """``validate_sales(raw)`` returns ``(clean, quarantine)`` following the lab's rules.

    On fresh sources (200 customers, seed 5) it verifies: the raw frame is left untouched; typed
    columns; one row per sale_id, keeping the latest sale_ts of a re-sent sale; no missing keys
    or unparseable timestamps; no amount <= 0; extreme amounts capped (nothing above 1.1 × the
    99.5th percentile of the raw positive amounts) without moving the median; the quarantine
    holds exactly the rows with a missing key or bad timestamp, with a ``reason`` column; and
    every raw row is accounted for.
    """
    with checking(CHECK_NAMES["check_validate_sales"]) as c, temporary_folder("lab02-") as tmp:
        m = write_sources(tmp, n_customers=200, seed=5)
        raw = pd.read_csv(m.sales_csv)
        given = raw.copy()
        out = c.call(validate_sales, given)
        clean, quarantine = _tuple(c, out, "validate_sales", ("clean", "quarantine"))
        _frame(c, clean, "clean", _SALES_COLUMNS)
        _frame(c, quarantine, "quarantine")
        _unchanged(c, given, raw, "validate_sales")
        problems = _dtype_problems(clean, ("sale_id", "customer_id"), ("sale_ts",), ("amount",))
        c.expect(not problems, "clean types: " + "; ".join(problems),
                 "Cast after dropping bad rows: ids with .astype('int64'), timestamps with "
                 "pd.to_datetime(..., errors='coerce'), amounts with pd.to_numeric(..., errors='coerce').")

        ids = pd.to_numeric(clean["sale_id"], errors="coerce")
        ts = _timestamps(clean["sale_ts"], TS_FORMAT)
        dups = int(ids.duplicated().sum())
        c.expect(dups == 0, f"{plural(dups, 'duplicate sale_id')} remain (the file has {m.n_duplicate_sales} exact "
                 f"duplicates and {m.n_resent_sales} re-sent sales)",
                 "Sort by sale_ts, then keep the last row of each sale_id: drop_duplicates('sale_id', keep='last').")
        raw_ids = pd.to_numeric(raw["sale_id"], errors="coerce")
        raw_ts = pd.to_datetime(raw["sale_ts"], format=TS_FORMAT, errors="coerce")
        usable = raw_ids.notna() & pd.to_numeric(raw["customer_id"], errors="coerce").notna() & raw_ts.notna()
        spread = raw_ts[usable].groupby(raw_ids[usable]).agg(["min", "max"])
        latest = spread.loc[spread["min"] != spread["max"], "max"]
        kept = pd.Series(ts.to_numpy(), index=ids.to_numpy())
        kept = kept[kept.index.isin(latest.index)]
        older = int((kept.to_numpy() != latest.reindex(kept.index).to_numpy()).sum())
        c.expect(older == 0, f"{plural(older, 're-sent sale')} kept an older sale_ts",
                 "A re-sent sale repeats its sale_id with a later timestamp: keep the latest row per sale_id.")
        no_key = int((ids.isna() | pd.to_numeric(clean["customer_id"], errors="coerce").isna()).sum())
        c.expect(no_key == 0, f"{plural(no_key, 'row')} with a missing sale_id or customer_id remain",
                 "A sale without keys cannot be attributed: move it to the quarantine.")
        bad_ts = int(ts.isna().sum())
        c.expect(bad_ts == 0, f"{plural(bad_ts, 'row')} with an unparseable sale_ts remain",
                 "pd.to_datetime(..., format='%Y-%m-%d %H:%M:%S', errors='coerce') turns them into NaT; quarantine those.")

        amount = pd.to_numeric(clean["amount"], errors="coerce")
        nonpositive = int((amount <= 0).sum())
        c.expect(nonpositive == 0, f"{plural(nonpositive, 'row')} with a negative or zero amount remain",
                 "Set amounts <= 0 to NaN (the sale happened, its amount is unknown); aggregates skip NaN.")
        raw_amount = pd.to_numeric(raw["amount"], errors="coerce")
        positive = raw_amount[raw_amount > 0]
        q995 = float(positive.quantile(0.995))
        extreme = amount[amount > 1.1 * q995]
        c.expect(extreme.empty, f"{plural(len(extreme), 'amount')} above the 99.5th percentile ({q995:,.2f}) remain, "
                 f"the largest is {extreme.max() if len(extreme) else 0:,.2f}",
                 "Cap (winsorise) the tail: amount.clip(upper=amount.quantile(0.995)).")
        median_raw, median_clean = float(positive.median()), float(amount.median())
        c.expect(abs(median_clean - median_raw) <= 0.05 * median_raw,
                 f"the median amount moved from {median_raw:.2f} to {median_clean:.2f}",
                 "Only the extreme tail should change: cap at the 99.5th percentile, not lower.")

        expected_q = m.n_sales_to_quarantine
        c.expect(len(quarantine) == expected_q,
                 f"the quarantine holds {plural(len(quarantine), 'row')}, expected {expected_q}: "
                 f"{m.n_sales_missing_customer_id} without customer_id, {m.n_sales_missing_sale_id} without sale_id "
                 f"and {m.n_bad_sale_timestamps} with an unparseable sale_ts",
                 "Set aside (do not silently drop) every row you cannot attribute or place in time; "
                 "duplicates are removed, not quarantined.")
        c.expect("reason" in quarantine.columns, "the quarantine has no `reason` column",
                 "Record why each row was set aside, e.g. 'missing key' or 'bad timestamp'.")
        diff = len(clean) - m.n_clean_sales
        c.expect(diff == 0, f"clean has {len(clean):,} rows, expected {m.n_clean_sales:,} (one per distinct usable "
                 f"sale_id): {abs(diff):,} {'too few' if diff < 0 else 'too many'}",
                 "Drop only duplicates; quarantine rows with a missing key or bad timestamp; repair a bad amount "
                 "rather than dropping the sale." if diff < 0 else
                 "Remove exact duplicates and re-sent copies, and quarantine the unusable rows.")
        removed = len(raw) - len(clean) - len(quarantine)
        c.note(f"{len(raw):,} raw rows = {len(clean):,} clean + {len(quarantine):,} quarantined "
               f"+ {removed:,} duplicates removed.")


# ------------------------------------------------------------------ Step 3 · Validate customers and events

def check_validate_customers(validate_customers: Callable) -> None:
    """``validate_customers(raw)`` returns ``(clean, quarantine)``: one typed row per customer.

    On fresh sources (150 customers, seed 4): integer customer_id without duplicates,
    datetime64 signup_date, countries spelled as the canonical codes, missing cities kept
    (as missing), the rows without customer_id in the quarantine, and the raw frame untouched.
    """
    with checking(CHECK_NAMES["check_validate_customers"]) as c, temporary_folder("lab02-") as tmp:
        m = write_sources(tmp, n_customers=150, seed=4)
        with contextlib.closing(sqlite3.connect(m.customers_db)) as con:
            raw = pd.read_sql("SELECT * FROM customers", con)
        given = raw.copy()
        clean, quarantine = _tuple(c, c.call(validate_customers, given), "validate_customers", ("clean", "quarantine"))
        _frame(c, clean, "clean", _CUSTOMER_COLUMNS)
        _frame(c, quarantine, "quarantine")
        _unchanged(c, given, raw, "validate_customers")
        problems = _dtype_problems(clean, ("customer_id",), ("signup_date",), ())
        c.expect(not problems, "clean types: " + "; ".join(problems),
                 "customer_id with .astype('int64') once missing ids are gone; signup_date with pd.to_datetime.")
        ids = pd.to_numeric(clean["customer_id"], errors="coerce")
        c.expect(ids.notna().all(), f"{plural(int(ids.isna().sum()), 'row')} without customer_id remain",
                 "Quarantine them: a customer without an id cannot be joined to anything.")
        dups = int(ids.dropna().duplicated().sum())
        c.expect(dups == 0, f"{plural(dups, 'duplicate customer_id')} remain ({m.n_duplicate_customers} were planted)",
                 "drop_duplicates('customer_id').")
        bad = clean.loc[~clean["country"].isin(list(COUNTRIES)), "country"]
        examples = ", ".join(repr(v) for v in bad.drop_duplicates().head(3))
        c.expect(bad.empty, f"{plural(len(bad), 'country value')} not one of {', '.join(COUNTRIES)} (e.g. {examples})",
                 "Normalise the spelling: .str.strip().str.upper().")
        c.expect(len(clean) == m.n_customers, f"clean has {len(clean):,} customers, expected {m.n_customers:,}",
                 "Keep every customer with an id, also those without a city: a missing city is imputed later.")
        c.expect(len(quarantine) == m.n_customers_missing_id,
                 f"the quarantine holds {plural(len(quarantine), 'row')}, expected {m.n_customers_missing_id} "
                 "(the rows without customer_id)", "Duplicates are removed, not quarantined.")
        c.note(f"{len(raw):,} raw rows = {len(clean):,} customers + {len(quarantine):,} quarantined "
               f"+ {len(raw) - len(clean) - len(quarantine):,} duplicates removed.")


def check_validate_events(validate_events: Callable) -> None:
    """``validate_events(raw)`` returns ``(clean, quarantine)``: one typed row per event_id.

    On fresh sources (150 customers, seed 4): integer ids, datetime64 event_ts, known event
    types, no duplicate event_id, records with a missing key or bad timestamp in the
    quarantine, and the raw frame untouched.
    """
    with checking(CHECK_NAMES["check_validate_events"]) as c, temporary_folder("lab02-") as tmp:
        m = write_sources(tmp, n_customers=150, seed=4)
        raw = pd.DataFrame(json.loads(m.events_json.read_text(encoding="utf-8")))
        given = raw.copy()
        clean, quarantine = _tuple(c, c.call(validate_events, given), "validate_events", ("clean", "quarantine"))
        _frame(c, clean, "clean", _EVENT_COLUMNS)
        _frame(c, quarantine, "quarantine")
        _unchanged(c, given, raw, "validate_events")
        problems = _dtype_problems(clean, ("event_id", "customer_id"), ("event_ts",), ())
        c.expect(not problems, "clean types: " + "; ".join(problems),
                 "Cast the ids with .astype('int64') after dropping missing ones; event_ts with pd.to_datetime.")
        ids = pd.to_numeric(clean["event_id"], errors="coerce")
        no_key = int((ids.isna() | pd.to_numeric(clean["customer_id"], errors="coerce").isna()).sum())
        c.expect(no_key == 0, f"{plural(no_key, 'record')} with a missing event_id or customer_id remain",
                 "A JSON record may lack a key entirely: after loading it is NaN, like a null.")
        bad_ts = int(_timestamps(clean["event_ts"]).isna().sum())
        c.expect(bad_ts == 0, f"{plural(bad_ts, 'record')} with an unparseable event_ts remain",
                 "pd.to_datetime(..., errors='coerce') marks them NaT; quarantine those.")
        dups = int(ids.dropna().duplicated().sum())
        c.expect(dups == 0, f"{plural(dups, 'duplicate event_id')} remain", "drop_duplicates('event_id').")
        unknown = int((~clean["event_type"].isin(EVENT_TYPES)).sum())
        c.expect(unknown == 0, f"{plural(unknown, 'event')} of an unknown type remain", f"Types: {', '.join(EVENT_TYPES)}.")
        c.expect(len(clean) == m.n_clean_events, f"clean has {len(clean):,} events, expected {m.n_clean_events:,}",
                 "Drop duplicates only; quarantine records with a missing key or bad timestamp.")
        c.expect(len(quarantine) == m.n_events_to_quarantine,
                 f"the quarantine holds {plural(len(quarantine), 'record')}, expected {m.n_events_to_quarantine}: "
                 f"{m.n_events_missing_customer_id} without customer_id, {m.n_events_missing_event_id} without "
                 f"event_id and {m.n_bad_event_timestamps} with a bad event_ts", "Duplicates are removed, not quarantined.")


# ----------------------------------------------------------------------------- Step 4 · Features

_CUTOFF, _OBS_DAYS, _LABEL_DAYS = pd.Timestamp("2024-07-01"), 90, 30


def _feature_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A hand-made (sales, customers) pair; the features it should give are in ``_EXPECTED``."""
    customers = pd.DataFrame({
        "customer_id": [1, 2, 3, 4, 5],
        "signup_date": pd.to_datetime(["2023-01-01", "2024-04-15", "2022-06-01", "2024-01-01", "2024-07-15"]),
        "country": ["DE", "FR", "US", "DE", "FR"],
        "city": ["Berlin", "Paris", "Austin", "Munich", "Lyon"],
    })
    rows = [  # (customer_id, sale day, amount); the window is (2024-04-02, 2024-07-01], the label (2024-07-01, 2024-07-31]
        (1, "2024-03-01", 500.0), (1, "2024-05-01", 10.0), (1, "2024-06-01", 20.0), (1, "2024-06-21", 30.0),
        (1, "2024-07-10", 15.0),
        (2, "2024-06-30", 40.0),
        (3, "2024-01-10", 99.0), (3, "2024-07-20", 25.0),
        (4, "2024-06-25", np.nan), (4, "2024-06-28", 50.0), (4, "2024-08-15", 70.0),
        (5, "2024-07-20", 60.0),
    ]
    sales = pd.DataFrame({
        "sale_id": np.arange(1, len(rows) + 1, dtype="int64"),
        "customer_id": np.array([r[0] for r in rows], dtype="int64"),
        "sale_ts": pd.to_datetime([r[1] for r in rows]),
        "amount": np.array([r[2] for r in rows], dtype="float64"),
    })
    return sales, customers


_EXPECTED = pd.DataFrame({
    "customer_id": [1, 2, 3, 4],
    "recency_days": [10.0, 1.0, np.nan, 3.0],
    "frequency": [3, 1, 0, 2],
    "monetary_sum": [60.0, 40.0, 0.0, 50.0],
    "monetary_mean": [20.0, 40.0, np.nan, 50.0],
    "monetary_max": [30.0, 40.0, np.nan, 50.0],
    "mean_gap_days": [25.5, np.nan, np.nan, 3.0],
    "tenure_days": [547, 77, 761, 182],
    "country": ["DE", "FR", "US", "DE"],
    "city": ["Berlin", "Paris", "Austin", "Munich"],
    "churn": [0, 1, 0, 1],
}).set_index("customer_id")


def _same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    if isinstance(a, str) or isinstance(b, str):
        return str(a) == str(b)
    return bool(np.isclose(float(a), float(b), rtol=1e-6, atol=1e-6))


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if pd.isna(value):
        return "NaN"
    if isinstance(value, (int, float, np.number)):
        return f"{float(value):g}"
    return repr(value)


def _features(c: Check, build_features: Callable, sales: pd.DataFrame, customers: pd.DataFrame,
              copy: bool = True) -> pd.DataFrame:
    """Call the learner's ``build_features`` (on copies); return its table indexed by customer_id."""
    if copy:
        sales, customers = sales.copy(), customers.copy()
    out = c.call(build_features, sales, customers, _CUTOFF, _OBS_DAYS, _LABEL_DAYS)
    c.require(isinstance(out, pd.DataFrame), f"`build_features` should return a DataFrame, got {kind_of(out)}")
    if "customer_id" not in out.columns and out.index.name == "customer_id":
        out = out.reset_index()
    missing = [col for col in FEATURE_COLUMNS if col not in out.columns]
    extra = [col for col in out.columns if col not in FEATURE_COLUMNS]
    c.require(not missing, f"the features have no column {', '.join(missing)}", f"Return {', '.join(FEATURE_COLUMNS)}.")
    c.require(not extra, f"the features have unexpected column(s) {', '.join(map(str, extra))}",
          f"Return exactly {', '.join(FEATURE_COLUMNS)}: later steps treat every other column as a feature.")
    dup = int(out["customer_id"].duplicated().sum())
    c.require(dup == 0, f"{plural(dup, 'customer')} appear more than once", "One row per customer: aggregate, then merge.")
    return out.set_index("customer_id")


def _changed(before: pd.DataFrame, after: pd.DataFrame, columns: list[str]) -> list[str]:
    common = before.index.intersection(after.index)
    return [col for col in columns
            if len(common) != len(before) or len(common) != len(after)
            or not all(_same(x, y) for x, y in zip(before.loc[common, col], after.loc[common, col]))]


def check_features(build_features: Callable) -> None:
    """``build_features(sales, customers, cutoff, obs_days, label_days)`` makes leakage-safe churn features.

    On a hand-made table of five customers (cutoff 2024-07-01, 90-day window, 30-day label) it
    first perturbs the sales: a sale 5 days after the cutoff may change only ``churn`` (and must
    change it), a sale before the window or after the label window must change nothing. Then it
    compares every value with one worked out by hand, and verifies that the customer who signed
    up after the cutoff has no row and that the inputs are left untouched.
    """
    with checking(CHECK_NAMES["check_features"]) as c:
        sales, customers = _feature_inputs()
        original = sales.copy()
        got = _features(c, build_features, sales, customers, copy=False)
        _unchanged(c, sales, original, "build_features")
        sales = original
        columns = [col for col in FEATURE_COLUMNS if col not in ("customer_id", "churn")]
        probes = [
            (_CUTOFF + pd.Timedelta(days=5), "5 days after the cutoff", "a feature uses sales after the cutoff",
             "Filter the sales to cutoff - obs_days < sale_ts <= cutoff before aggregating; only churn looks later."),
            (_CUTOFF - pd.Timedelta(days=_OBS_DAYS + 5), "5 days before the observation window starts",
             "a feature uses sales from before the observation window",
             "Features see only cutoff - obs_days < sale_ts <= cutoff."),
            (_CUTOFF + pd.Timedelta(days=_LABEL_DAYS + 5), "5 days after the label window ends",
             "a feature uses sales after the label window", "Nothing may look past cutoff + label_days."),
        ]
        for when, said, problem, hint in probes:
            extra = pd.DataFrame({"sale_id": [999], "customer_id": [2], "sale_ts": [when], "amount": [1000.0]})
            probed = _features(c, build_features, pd.concat([sales, extra], ignore_index=True), customers)
            moved = _changed(got, probed, columns)
            c.expect(not moved, f"{problem}: {', '.join(moved)} changed when we added a sale {said}", hint)
            churn_moved = _changed(got, probed, ["churn"])
            if "after the cutoff" in problem:
                c.expect(bool(churn_moved), f"churn did not change when we added a sale {said} for a churner",
                         "churn is 0 when the customer bought in (cutoff, cutoff + label_days].")
            else:
                c.expect(not churn_moved, f"churn changed when we added a sale {said}",
                         "Only purchases in (cutoff, cutoff + label_days] decide the label.")
        c.expect(5 not in got.index, "customer 5 has a row but signed up on 2024-07-15, after the cutoff",
                 "Keep customers with signup_date <= cutoff: at the cutoff the others did not exist yet.")
        absent = [cid for cid in _EXPECTED.index if cid not in got.index]
        c.expect(not absent, f"customer(s) {', '.join(map(str, absent))} have no row"
                 + (" (customer 3 bought nothing in the window)" if 3 in absent else ""),
                 "Start from the customer table and left-join the aggregates: a customer without purchases "
                 "in the window still needs a row (frequency 0) and a label.")
        for col in _EXPECTED.columns:
            wrong = [(cid, got.loc[cid, col], _EXPECTED.loc[cid, col]) for cid in _EXPECTED.index
                     if cid in got.index and not _same(got.loc[cid, col], _EXPECTED.loc[cid, col])]
            if wrong:
                cid, value, expected = wrong[0]
                c.expect(False, f"{col} is wrong for {plural(len(wrong), 'customer')}: customer {cid} has {_show(value)}, "
                         f"expected {_show(expected)}", _FEATURE_HINTS[col] + ".")
        if not c.result.failures:
            c.note("All values match the hand-worked table; sales outside the windows change nothing.")


# ----------------------------------------------------------------------------- Step 5 · Load (ETL)

def _outputs_fixture() -> tuple[pd.DataFrame, dict]:
    features = pd.DataFrame({
        "customer_id": [1, 2, 3, 4, 5, 6],
        "recency_days": [10.0, 1.0, np.nan, 3.0, 45.5, 12.25],
        "frequency": [3, 1, 0, 2, 7, 4],
        "monetary_sum": [60.0, 40.0, 0.0, 50.0, 321.09, 88.1],
        "monetary_mean": [20.0, 40.0, np.nan, 50.0, 45.87, 22.025],
        "monetary_max": [30.0, 40.0, np.nan, 50.0, 99.99, 31.5],
        "mean_gap_days": [25.5, np.nan, np.nan, 3.0, 20.125, 14.0],
        "tenure_days": [547, 77, 761, 182, 400, 95],
        "country": ["DE", "FR", "US", "DE", "IN", "BR"],
        "city": ["Berlin", "Paris", "Austin", None, "Mumbai", "Recife"],
        "churn": [0, 1, 0, 1, 0, 0],
    })
    metadata = {"seed": 7, "cutoff": "2024-07-01", "obs_days": 90, "label_days": 30,
                "n_raw_sales": 1234, "n_clean_sales": 1200}
    return features, metadata


def _value_mismatches(expected: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    """Columns whose values differ after parsing (numbers compared as numbers, NaN equals NaN)."""
    bad = []
    for col in expected.columns:
        if col not in got.columns or len(got) != len(expected):
            bad.append(col)
            continue
        left, right = expected[col].reset_index(drop=True), got[col].reset_index(drop=True)
        if pd.api.types.is_numeric_dtype(left):
            right = pd.to_numeric(right, errors="coerce")
        if not all(_same(x, y) for x, y in zip(left, right)):
            bad.append(col)
    return bad


def _dictionary_columns(folder: Path, columns: list[str]) -> set[str] | None:
    """The columns the data dictionary describes (JSON mapping/list or Markdown), None without one."""
    as_json, as_md = folder / "data_dictionary.json", folder / "data_dictionary.md"
    if as_json.exists():
        data = json.loads(as_json.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {str(k) for k, v in data.items() if v}
        return {str(d.get("column") or d.get("name")) for d in data if isinstance(d, dict)}
    if as_md.exists():
        text = as_md.read_text(encoding="utf-8")
        return {col for col in columns if re.search(rf"(?<![\w]){re.escape(col)}(?![\w])", text)}
    return None


def _window(value: object) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    if isinstance(value, dict):
        value = [value.get("start"), value.get("end")]
    if isinstance(value, (list, tuple)) and len(value) == 2:
        try:
            return pd.Timestamp(value[0]), pd.Timestamp(value[1])
        except (TypeError, ValueError):
            return None
    return None


def check_outputs(save_outputs: Callable) -> None:
    """``save_outputs(features, folder, metadata)`` writes the ETL outputs and their documentation.

    With a six-row feature table it verifies: features.csv, features.parquet and features.json
    exist and read back to the same table (Parquet exactly, with dtypes; CSV and JSON records
    value by value); a data dictionary (data_dictionary.json or .md) describes every column;
    run_metadata.json holds the given metadata plus n_rows and a parseable created_at; and
    qa_report.json's n_customers, churn_rate, obs_window, label_window and missing_values match
    a recomputation.
    """
    with checking(CHECK_NAMES["check_outputs"]) as c, temporary_folder("lab02-") as tmp:
        features, metadata = _outputs_fixture()
        folder = tmp / "etl"
        c.call(save_outputs, features.copy(), folder, dict(metadata))
        names = ["features.csv", "features.parquet", "features.json", "run_metadata.json", "qa_report.json"]
        missing = [name for name in names if not (folder / name).exists()]
        if not any((folder / f"data_dictionary.{ext}").exists() for ext in ("json", "md")):
            missing.append("data_dictionary.json (or .md)")
        c.require(not missing, f"not written: {', '.join(missing)}", "Write every file into `folder` (create it first).")
        try:
            pd.testing.assert_frame_equal(pd.read_parquet(folder / "features.parquet").reset_index(drop=True), features)
        except AssertionError as exc:
            c.expect(False, "features.parquet does not read back to the same table: "
                     + " ".join(str(exc).split())[:200], "df.to_parquet(path, index=False) keeps values and dtypes.")
        csv = pd.read_csv(folder / "features.csv")
        index_cols = [col for col in csv.columns if str(col).startswith("Unnamed")]
        c.expect(not index_cols, "features.csv has an extra unnamed column (the DataFrame index)",
                 "Write it with index=False.")
        bad = _value_mismatches(features, csv.drop(columns=index_cols))
        c.expect(not bad, f"features.csv differs from the table in: {', '.join(bad)}",
                 "df.to_csv(path, index=False) writes every value; NaN becomes an empty field.")
        records = json.loads((folder / "features.json").read_text(encoding="utf-8"))
        if c.expect(isinstance(records, list), f"features.json should be a list of records, got a JSON {type(records).__name__}",
                    "df.to_json(path, orient='records'): one object per row, the shape APIs exchange."):
            bad = _value_mismatches(features, pd.DataFrame(records))
            c.expect(not bad, f"features.json differs from the table in: {', '.join(bad)}",
                     "df.to_json(path, orient='records') writes NaN as null.")
        described = _dictionary_columns(folder, list(features.columns)) or set()
        undocumented = [col for col in features.columns if col not in described]
        c.expect(not undocumented, f"the data dictionary does not describe: {', '.join(undocumented)}",
                 "Give every column a line: what it means, its unit, and its window (before or after the cutoff).")

        run = json.loads((folder / "run_metadata.json").read_text(encoding="utf-8"))
        c.require(isinstance(run, dict), "run_metadata.json should hold a JSON object")
        given = json.loads(json.dumps(metadata, default=str))
        wrong = [k for k, v in given.items() if run.get(k) != v]
        c.expect(not wrong, f"run_metadata.json lacks or changed: {', '.join(wrong)}",
                 "Write the metadata you were given, then add n_rows and created_at.")
        c.expect(run.get("n_rows") == len(features), f"run_metadata.json n_rows is {run.get('n_rows')!r}, "
                 f"the table has {len(features)} rows")
        created = pd.to_datetime(str(run.get("created_at")), errors="coerce") if run.get("created_at") else pd.NaT
        c.expect(not pd.isna(created), "run_metadata.json has no parseable created_at",
                 "datetime.now(timezone.utc).isoformat() records when the run happened.")

        qa = json.loads((folder / "qa_report.json").read_text(encoding="utf-8"))
        c.require(isinstance(qa, dict), "qa_report.json should hold a JSON object")
        n_customers = features["customer_id"].nunique()
        c.expect(qa.get("n_customers") == n_customers,
                 f"qa_report n_customers is {qa.get('n_customers')!r}, the table has {n_customers} distinct customers")
        rate = float(features["churn"].mean())
        c.expect(isinstance(qa.get("churn_rate"), (int, float)) and abs(qa["churn_rate"] - rate) < 1e-9,
                 f"qa_report churn_rate is {qa.get('churn_rate')!r}, recomputed {rate:.4f}", "The mean of churn.")
        cutoff = pd.Timestamp(metadata["cutoff"])
        windows = {"obs_window": (cutoff - pd.Timedelta(days=metadata["obs_days"]), cutoff),
                   "label_window": (cutoff, cutoff + pd.Timedelta(days=metadata["label_days"]))}
        for key, (start, end) in windows.items():
            c.expect(_window(qa.get(key)) == (start, end),
                     f"qa_report {key} is {qa.get(key)!r}, expected [{start.date()}, {end.date()}]",
                     "Write each window as [start, end] dates, computed from cutoff, obs_days and label_days.")
        counts = {col: int(n) for col, n in features.isna().sum().items()}
        reported = qa.get("missing_values") if isinstance(qa.get("missing_values"), dict) else {}
        wrong = [f"{col} ({reported.get(col)!r}, recomputed {n})" for col, n in counts.items() if reported.get(col) != n]
        c.expect(not wrong, f"qa_report missing_values is wrong or missing for: {', '.join(wrong)}",
                 "{column: number of missing values} for every column: df.isna().sum().")


# ----------------------------------------------------------------------------- Steps 6-8 · ELT

def _feature_frame(n: int, seed: int) -> pd.DataFrame:
    """A random feature table shaped like ``build_features``' output, with gaps and None cities."""
    rng = np.random.default_rng(seed)
    frequency = rng.poisson(5, n)
    bought = frequency > 0
    mean = np.where(bought, np.round(rng.lognormal(np.log(35), 0.5, n), 2), np.nan)
    codes = rng.choice(list(COUNTRIES), size=n)
    city = np.array([COUNTRIES[c][k % len(COUNTRIES[c])] for c, k in zip(codes, rng.integers(0, 6, n))], dtype=object)
    city[rng.random(n) < 0.04] = None
    recency = np.where(bought, np.round(rng.exponential(45, n), 2), np.nan)
    churn = (rng.random(n) < np.where(np.isnan(recency), 0.6, 0.15 + 0.3 * (np.nan_to_num(recency) > 60))).astype("int64")
    return pd.DataFrame({
        "customer_id": np.arange(1, n + 1, dtype="int64"),
        "recency_days": recency,
        "frequency": frequency.astype("int64"),
        "monetary_sum": np.round(np.nan_to_num(mean) * frequency, 2),
        "monetary_mean": mean,
        "monetary_max": np.round(mean * rng.uniform(1, 2, n), 2),
        "mean_gap_days": np.where(frequency >= 2, np.round(rng.gamma(2, 12, n), 2), np.nan),
        "tenure_days": rng.integers(5, 1000, n).astype("int64"),
        "country": codes.astype(object),
        "city": city,
        "churn": churn,
    })


def check_load_raw(load_raw_features: Callable) -> None:
    """``load_raw_features(parquet_path, warehouse_path)`` copies the Parquet as-is into DuckDB table raw_features.

    With a 300-row feature table it verifies: the warehouse file and table exist; the table has
    every row and column with the same missing values (nothing imputed: that is a later
    Transform); loading twice does not duplicate rows; and the returned DataFrame (read back
    from the warehouse) holds the same values.
    """
    import duckdb

    with checking(CHECK_NAMES["check_load_raw"]) as c, temporary_folder("lab02-") as tmp:
        features = _feature_frame(300, seed=11)
        parquet, warehouse = tmp / "features.parquet", tmp / "warehouse.duckdb"
        features.to_parquet(parquet, index=False)
        out = c.call(load_raw_features, parquet, warehouse)
        c.require(warehouse.exists(), "no DuckDB file was written at warehouse_path",
              "duckdb.connect(str(warehouse_path)) creates the file.")

        def table() -> pd.DataFrame | None:
            with contextlib.closing(duckdb.connect(str(warehouse))) as con:
                names = {row[0] for row in con.sql("SELECT table_name FROM information_schema.tables").fetchall()}
                return con.table("raw_features").df() if "raw_features" in names else None

        stored = table()
        c.require(stored is not None, "the warehouse has no table raw_features",
              "CREATE OR REPLACE TABLE raw_features AS SELECT * FROM read_parquet(...).")
        c.expect(len(stored) == len(features), f"raw_features has {len(stored):,} rows, the Parquet has {len(features):,}")
        missing = [col for col in features.columns if col not in stored.columns]
        c.expect(not missing, f"raw_features has no column {', '.join(missing)}", "Load every column as-is.")
        gaps = {col: (int(features[col].isna().sum()), int(stored[col].isna().sum()))
                for col in features.columns if col in stored.columns}
        changed = [f"{col} ({before} in the Parquet, {after} in the table)" for col, (before, after) in gaps.items()
                   if before != after]
        c.expect(not changed, f"missing values changed on loading: {', '.join(changed)}",
                 "ELT loads the raw data untouched; imputing is a Transform step that comes later, after the split.")
        if isinstance(out, pd.DataFrame):
            bad = _value_mismatches(features, out)
            c.expect(not bad, f"the returned DataFrame differs from the Parquet in: {', '.join(bad)}",
                     "Return the table read back from the warehouse: SELECT * FROM raw_features.")
        else:
            c.expect(False, f"`load_raw_features` should return a DataFrame, got {kind_of(out)}")
        c.call(load_raw_features, parquet, warehouse)
        again = table()
        n_again = 0 if again is None else len(again)
        c.expect(n_again == len(features), f"after loading twice raw_features has {n_again:,} rows, expected {len(features):,}",
                 "Make the load idempotent: CREATE OR REPLACE TABLE, so a re-run does not append duplicates.")


def check_split(split_train_valid: Callable) -> None:
    """``split_train_valid(df, seed)`` returns ``(train, valid)``: 80/20, stratified by churn, reproducible.

    With a 1,000-row feature table it verifies: train and valid share no customer and together
    hold all of them; valid has 20% of the rows; for seeds 0 to 4 the churn rates of the two
    sides differ by at most 1 percentage point (a stratified split stays within 0.5, a random one
    usually drifts by several); the same seed gives the same split and another seed a different one.
    """
    with checking(CHECK_NAMES["check_split"]) as c:
        df = _feature_frame(1000, seed=12)
        train, valid = _tuple(c, c.call(split_train_valid, df.copy(), 0), "split_train_valid", ("train", "valid"))
        _frame(c, train, "train", ("customer_id", "churn"))
        _frame(c, valid, "valid", ("customer_id", "churn"))
        shared = set(train["customer_id"]) & set(valid["customer_id"])
        c.expect(not shared, f"train and valid share {plural(len(shared), 'customer')}", "Each row goes to exactly one side.")
        lost = set(df["customer_id"]) - set(train["customer_id"]) - set(valid["customer_id"])
        c.expect(not lost, f"{plural(len(lost), 'customer')} are in neither train nor valid")
        c.expect(abs(len(valid) - 200) <= 1, f"valid has {len(valid)} of 1,000 rows, expected 200 (20%)", "test_size=0.2.")
        splits = {seed: c.call(split_train_valid, df.copy(), seed) for seed in range(1, 5)}
        gaps = {seed: (float(tr["churn"].mean()), float(va["churn"].mean()))
                for seed, (tr, va) in [(0, (train, valid)), *splits.items()]}
        seed, (rate_train, rate_valid) = max(gaps.items(), key=lambda item: abs(item[1][0] - item[1][1]))
        gap = abs(rate_train - rate_valid) * 100
        c.expect(gap <= 1, f"churn rate is {rate_train:.1%} in train but {rate_valid:.1%} in valid ({gap:.1f} points "
                 f"apart, seed={seed})", "Stratify: train_test_split(..., stratify=df['churn']) keeps them equal.")
        again = c.call(split_train_valid, df.copy(), 0)[1]
        other = splits[1][1]
        c.expect(set(again["customer_id"]) == set(valid["customer_id"]), "the same seed gave a different split",
                 "Pass random_state=seed so a rerun gives the same split.")
        c.expect(set(other["customer_id"]) != set(valid["customer_id"]), "seed=0 and seed=1 gave the same split",
                 "Pass random_state=seed (do not hard-code it).")
        c.note(f"churn rate: train {train['churn'].mean():.1%}, valid {valid['churn'].mean():.1%}.")


def _column_transformer(obj: object) -> object | None:
    from sklearn.compose import ColumnTransformer

    if isinstance(obj, ColumnTransformer):
        return obj
    for _, step in getattr(obj, "steps", []):
        found = _column_transformer(step)
        if found is not None:
            return found
    return None


def _numeric_branch(pre: object) -> tuple[list[str], object | None, object] | None:
    """(columns, imputer, scaler) of the ColumnTransformer branch that holds a StandardScaler."""
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import StandardScaler

    names_in = list(getattr(pre, "feature_names_in_", []))
    for _, transformer, columns in getattr(pre, "transformers_", []):
        steps = [s for _, s in getattr(transformer, "steps", [(None, transformer)])]
        scaler = next((s for s in steps if isinstance(s, StandardScaler)), None)
        if scaler is None:
            continue
        imputer = next((s for s in steps if isinstance(s, SimpleImputer)), None)
        cols = [names_in[i] if isinstance(i, (int, np.integer)) and names_in else i for i in np.atleast_1d(columns)]
        return [str(col) for col in cols], imputer, scaler
    return None


def _which_rows(values: np.ndarray, options: dict[str, pd.Series]) -> str | None:
    for label, expected in options.items():
        if len(values) == len(expected) and np.allclose(values, expected.to_numpy(float), rtol=1e-7, atol=1e-9):
            return label
    return None


def check_preprocessing(transform_for_training: Callable) -> None:
    """``transform_for_training(df, seed)`` returns ``(train_ready, valid_ready, preprocessor)``.

    With a 600-row feature table (row labels 10000…, missing cities as None, as DuckDB returns
    them) it verifies: the two outputs keep the input's row labels, split every row once and
    carry churn unchanged; they hold no missing values; churn and customer_id are not features;
    the one-hot encoder learned no category for missing values and ignores unseen ones; the
    imputer and the scaler were fitted on the training rows only (their statistics are compared
    with those of the training rows, of all rows and of the validation rows); and valid_ready is
    the fitted preprocessor's transform of the validation rows.
    """
    with checking(CHECK_NAMES["check_preprocessing"]) as c:
        df = _feature_frame(600, seed=13)
        df.index = pd.RangeIndex(10_000, 10_600)
        out = c.call(transform_for_training, df.copy(), 0)
        train, valid, pre = _tuple(c, out, "transform_for_training", ("train_ready", "valid_ready", "preprocessor"))
        _frame(c, train, "train_ready", ("churn",))
        _frame(c, valid, "valid_ready", ("churn",))
        ct = _column_transformer(pre)
        c.require(ct is not None and hasattr(ct, "transformers_"),
              f"the preprocessor should be a fitted ColumnTransformer, got {kind_of(pre)}",
              "ColumnTransformer([('numeric', ..., numeric_cols), ('categorical', ..., categorical_cols)]).fit(X_train).")
        unknown = (set(train.index) | set(valid.index)) - set(df.index)
        c.require(not unknown, f"{plural(len(unknown), 'row label')} of train_ready/valid_ready are not in the input",
              "Keep the input's row labels: preprocessor.set_output(transform='pandas') does, reset_index() does not.")
        overlap = set(train.index) & set(valid.index)
        c.expect(not overlap, f"{plural(len(overlap), 'row')} are in both train_ready and valid_ready")
        c.expect(len(train) + len(valid) == len(df), f"train_ready and valid_ready hold {len(train) + len(valid)} rows, "
                 f"the input {len(df)}")
        c.expect(df.loc[train.index, "churn"].to_numpy().tolist() == train["churn"].to_numpy().tolist(),
                 "train_ready's churn differs from the input's churn for the same rows", "Add y back unchanged.")
        holes = int(train.drop(columns="churn").isna().sum().sum() + valid.drop(columns="churn").isna().sum().sum())
        c.expect(holes == 0, f"{plural(holes, 'missing value')} remain after preprocessing", "Impute inside the preprocessor.")
        names = [str(n) for n in ct.get_feature_names_out()]
        leaks = [n for n in names if "churn" in n or "customer_id" in n]
        c.expect(not leaks, f"the preprocessor outputs {', '.join(leaks)}: "
                 + ("the label leaks into the features" if any("churn" in n for n in leaks)
                    else "an identifier is used as a feature"),
                 "Drop churn and customer_id from X before fitting: X = df.drop(columns=['customer_id', 'churn']).")
        missing_cats = [n for n in names if n.endswith(("_None", "_nan"))]
        c.expect(not missing_cats, f"the one-hot encoder learned a category for missing values: {', '.join(missing_cats)}",
                 "SimpleImputer does not treat None in a text column as missing: turn None into np.nan first "
                 "(X[categorical] = X[categorical].fillna(np.nan)).")

        train_rows, valid_rows = df.loc[train.index], df.loc[valid.index]
        branch = _numeric_branch(ct)
        c.require(branch is not None, "no StandardScaler found in the preprocessor", "Scale the numeric columns.")
        cols, imputer, scaler = branch
        if imputer is not None:
            stats = np.asarray(imputer.statistics_, dtype=float)
            fitted_on = _which_rows(stats, {"train": train_rows[cols].mean(), "all": df[cols].mean(),
                                            "valid": valid_rows[cols].mean()})
            first = cols[0]
            c.expect(fitted_on == "train", _fitted_message("imputer", fitted_on, first, stats[0],
                                                           train_rows[first].mean(), df[first].mean()), _FIT_HINT)
            fill = dict(zip(cols, stats))
        else:
            fill = {}
        means = {"train": train_rows[cols].fillna(fill).mean(), "all": df[cols].fillna(fill).mean(),
                 "valid": valid_rows[cols].fillna(fill).mean()}
        fitted_on = _which_rows(np.asarray(scaler.mean_, dtype=float), means)
        c.expect(fitted_on == "train", _fitted_message("scaler", fitted_on, cols[0], float(scaler.mean_[0]),
                                                       means["train"].iloc[0], means["all"].iloc[0]), _FIT_HINT)

        inputs = list(getattr(pre, "feature_names_in_", [col for col in df.columns if col != "churn"]))
        got_valid = valid.drop(columns="churn").to_numpy(dtype=float)
        matches = []
        for rows in (valid_rows[inputs], valid_rows[inputs].fillna(np.nan)):  # as given, or with None as NaN
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unseen categories are expected here
                expected_valid = np.asarray(pre.transform(rows), dtype=float)
            matches.append(got_valid.shape == expected_valid.shape and np.allclose(got_valid, expected_valid))
        c.expect(any(matches),
                 "valid_ready is not the fitted preprocessor's transform of the validation rows",
                 "Use preprocessor.transform(X_valid): fitting again on valid would use its own statistics.")
        probe = df[inputs].iloc[[0]].copy()
        for col in ("country", "city"):
            if col in probe.columns:
                probe[col] = "Atlantis"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pre.transform(probe)
        except Exception as exc:  # the learner's fitted object raised on an unseen category
            c.expect(False, f"transform failed on a city never seen in training ({type(exc).__name__})",
                     "OneHotEncoder(handle_unknown='ignore') encodes an unseen category as all zeros.")
        c.note(f"{len(train)} training and {len(valid)} validation rows, {len(names)} feature columns.")


_FIT_HINT = ("Fit on the training split only (preprocessor.fit(X_train)), then only transform the validation "
             "split: statistics of validation rows must not shape the features.")


def _fitted_message(part: str, fitted_on: str | None, column: str, value: float, train_mean: float,
                    all_mean: float) -> str:
    if fitted_on == "all":
        return (f"the {part} was fitted on all rows: its mean of {column} ({value:.3f}) equals the mean over "
                f"train+valid, not the training mean ({train_mean:.3f})")
    if fitted_on == "valid":
        return f"the {part} was fitted on the validation rows: its mean of {column} ({value:.3f}) is theirs"
    return (f"the {part}'s statistics match neither the training rows nor all rows: for {column} it has "
            f"{value:.3f}, the training mean is {train_mean:.3f} (use strategy='mean' and fit on train)")
