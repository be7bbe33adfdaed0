# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (MLOps workbook)
#     language: python
#     name: mlops-workbook
# ---

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 02](../chapters/02_data_pipelines.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/02_data_pipelines.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 02 · A hybrid ETL/ELT churn pipeline
#
# Turn three messy sources (a CRM database, a finance CSV export and a web-tracker JSON log) into a
# documented, leakage-safe churn training set: an ETL stage that extracts, validates, builds
# features and loads them as files, then an ELT stage that loads those files raw into a local
# warehouse and transforms them for training there.
#
# Each step below asks you to write one function; the check under it tells you, with numbers,
# whether it does what the step asks. Checks build their own small inputs, so you can do the
# steps in any order.

# %% tags=["parameters"]
N_CUSTOMERS = 2000  # customers in the generated sources; the full-size run uses 20_000
SEED = 0  # seeds the sources, the split and every random choice

# %% [markdown]
# ## Setup
#
# The tools of this lab, then the workbook: seeds, versions, a scratch folder (emptied on every
# run) and the generated raw sources in it.

# %%
import contextlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# %%
import workbook
import workbook.checks
from workbook.checks.lab02 import (
    FEATURE_COLUMNS, check_extract, check_features, check_load_raw, check_outputs, check_preprocessing,
    check_split, check_validate_customers, check_validate_events, check_validate_sales,
)
from workbook.datasets.churn import write_sources

VERSIONS = workbook.setup_notebook("pandas", "pyarrow", "scikit-learn", "duckdb", seed=SEED)
OUT = workbook.scratch_dir("02_data_pipelines_lab")
manifest = write_sources(OUT / "raw", n_customers=N_CUSTOMERS, seed=SEED)

# %% [markdown]
# ## The raw sources
#
# `write_sources` played the part of three teams: the CRM (a SQLite database), finance (a CSV
# export) and the web tracker (a JSON log). It planted dirt in all three, exactly as much as the
# manifest says, so you can verify that your validation catches every piece of it.

# %%
print(sorted(str(p.relative_to(OUT)) for p in (OUT / "raw").iterdir()))
print(f"{manifest.n_customers:,} customers, {manifest.n_sales_rows:,} sales rows, {manifest.n_event_rows:,} event records")
pd.Series(manifest.dirt(), name="planted")

# %% [markdown]
# The raw files hold the dirt as-is. A few lines of the CSV export: amounts are text, an empty
# field is a missing value, and some timestamps cannot be parsed.

# %%
lines = manifest.sales_csv.read_text().splitlines()
dirty = [line for line in lines if "not-a-date" in line or ",," in line or ",-" in line]
print("\n".join(lines[:4] + ["..."] + dirty[:6]))

# %% [markdown]
# The suggested time frame: features may only look at the **observation window** before the
# cutoff; the label looks at the **label window** after it.

# %%
print(f"data: {manifest.start.date()} .. {manifest.end.date()}")
print(f"observation window: ({manifest.obs_start.date()}, {manifest.cutoff.date()}], "
      f"label window: ({manifest.cutoff.date()}, {manifest.label_end.date()}]")

# %% [markdown]
# ## Step 1 · Extract
#
# *Extract* means bringing heterogeneous sources into one common shape (here a pandas DataFrame
# each) **without changing them**. Resist fixing things while reading: a row dropped during
# extraction is gone without a trace, while a row dropped during validation can be counted,
# quarantined and reported. On Google Cloud the same role is played by reading from Cloud SQL,
# files in Cloud Storage or messages from Pub/Sub, often inside a Dataflow job.
#
# Write three functions, each taking a path and returning every raw row:
# `extract_customers_sqlite` (table `customers`), `extract_sales_csv` and `extract_events_json`
# (a JSON array of records; some records lack a key).

# %%
def extract_customers_sqlite(path: Path) -> pd.DataFrame:
    """Return every row of the `customers` table of the SQLite file at `path`, as stored."""
    ...  # TODO: your code here


def extract_sales_csv(path: Path) -> pd.DataFrame:
    """Return every row of the sales CSV export at `path`, as stored."""
    ...  # TODO: your code here


def extract_events_json(path: Path) -> pd.DataFrame:
    """Return every record of the JSON event log at `path` (a missing key becomes NaN)."""
    ...  # TODO: your code here


check_extract(extract_customers_sqlite, extract_sales_csv, extract_events_json)

# %% [markdown]
# ## Step 2 · Validate the sales
#
# Validation decides, row by row, between three fates, and every raw row must end in exactly one:
#
# | Fate | Which rows | Why |
# | --- | --- | --- |
# | **quarantine** (kept aside, with a `reason`) | a missing `sale_id` or `customer_id`; an unparseable `sale_ts` | we cannot attribute the sale or place it in time; someone upstream should look at them |
# | **removed** | exact duplicates, and re-sent sales (same `sale_id`, later `sale_ts`): keep the **latest** row per `sale_id` | counting a sale twice inflates frequency and spend |
# | **clean**, repaired | an amount that is missing, zero or negative becomes `NaN`; amounts above the 99.5th percentile are capped at it | the purchase still happened (it counts for recency and frequency); only its value is unknown or implausible |
#
# Why `NaN` and not the customer's median amount? That median would be computed over *all* of
# the customer's sales, including those after the cutoff: a leak from the future into the
# spending features. Aggregates such as `sum` and `mean` skip `NaN`, and any imputation happens
# later, fitted on the training split. (The cap is a whole-file statistic too, but a single
# global plausibility limit moves the features far less; a production pipeline would fix it
# from past data or a business rule and record it in the run metadata.)
#
# Cast the clean columns: ids to `int64`, `sale_ts` to `datetime64` (format
# `%Y-%m-%d %H:%M:%S`), `amount` to float. Do not modify `raw`: it is the record of what arrived.
# The exam's vocabulary for this is data validation (TFDV schemas and anomalies, Dataplex data
# quality rules): reject or quarantine as early as possible so errors do not travel downstream.

# %%
SALES_TS_FORMAT = "%Y-%m-%d %H:%M:%S"


def validate_sales(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (clean, quarantine): typed, deduplicated sales, and the unusable raw rows with a `reason`."""
    ...  # TODO: your code here


check_validate_sales(validate_sales)

# %% [markdown]
# ## Step 3 · Validate the customers and the events
#
# The same pattern for the two other sources, each returning `(clean, quarantine)`:
#
# * **customers**: quarantine rows without `customer_id`; drop duplicate customers; `customer_id`
#   as `int64`, `signup_date` as `datetime64`; and *standardise* the country codes, which arrive as
#   `" de"`, `"Fr "` or `"us"` (`.str.strip().str.upper()`). Keep customers without a city: a
#   missing category is imputed later, not a reason to lose the customer.
# * **events**: quarantine records without `event_id` or `customer_id` or with an unparseable
#   `event_ts` (ISO 8601, `%Y-%m-%dT%H:%M:%S`); drop duplicate `event_id`s; cast ids to `int64`.
#
# Inconsistent labels across sources are a classic cause of *training-serving skew*: if training
# saw `"DE"` and serving sends `"de"`, the model meets a category it never learned.

# %%
def validate_customers(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (clean, quarantine): one typed row per customer with canonical country codes."""
    ...  # TODO: your code here


check_validate_customers(validate_customers)

# %%
EVENT_TS_FORMAT = "%Y-%m-%dT%H:%M:%S"


def validate_events(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (clean, quarantine): one typed row per event_id, and the unusable records with a `reason`."""
    ...  # TODO: your code here


check_validate_events(validate_events)

# %% [markdown]
# ## Step 4 · Transform: leakage-safe churn features
#
# Pick a **cutoff**, the moment at which we pretend to make the prediction. Everything a
# feature uses must have been known at the cutoff; the label is what happened afterwards:
#
# ```
#   ... ignored ...  (cutoff - obs_days, cutoff]   (cutoff, cutoff + label_days]   ... ignored ...
#                    observation window: features   label window: churn
# ```
#
# Write `build_features(sales, customers, cutoff, obs_days, label_days)` returning one row per
# customer who had signed up by the cutoff (later sign-ups did not exist yet), with the columns
# of `FEATURE_COLUMNS`:
#
# | Column | Definition (sales in the observation window only) |
# | --- | --- |
# | `recency_days` | days from the last purchase to the cutoff (fractional; `NaN` without purchases) |
# | `frequency` | number of purchases (0 without any) |
# | `monetary_sum`, `monetary_mean`, `monetary_max` | sum (0 without purchases), mean and max of the known amounts |
# | `mean_gap_days` | mean days between consecutive purchases (`NaN` with fewer than two) |
# | `tenure_days` | whole days from `signup_date` to the cutoff |
# | `country`, `city` | from the customer table |
# | `churn` | 1 if **no** purchase in `(cutoff, cutoff + label_days]`, else 0 |
#
# The check runs your function on a hand-made table, then adds single sales just outside each
# window: only a sale in the label window may change anything, and only `churn`. This is the
# *point-in-time correctness* that feature stores (Vertex AI Feature Store, Feast) enforce with
# timestamped lookups.

# %%
def build_features(sales: pd.DataFrame, customers: pd.DataFrame, cutoff: pd.Timestamp,
                   obs_days: int, label_days: int) -> pd.DataFrame:
    """Return one row per customer signed up by `cutoff`: RFM features from the window before it, churn after."""
    ...  # TODO: your code here


check_features(build_features)

# %% [markdown]
# ## Step 5 · Load: files for people and for machines
#
# The ETL stage ends by *loading* its result where consumers can find it, in three formats
# for three audiences, with the documents that make it trustworthy:
#
# * `features.csv` (row-oriented text: opens anywhere, easy to eyeball; write it without the index),
# * `features.parquet` (columnar binary with a schema: compact and fast to scan one column, a
#   common format for data lakes and BigQuery loads),
# * `features.json`, a list of records (`orient="records"`), the shape APIs exchange,
# * `data_dictionary.json`: `{column: description}` for **every** column (meaning, unit, window),
# * `run_metadata.json`: the `metadata` you are given, plus `n_rows` and `created_at` (UTC, ISO 8601),
# * `qa_report.json`: `n_customers`, `churn_rate`, `obs_window` and `label_window` as
#   `[start, end]` dates, and `missing_values` as `{column: count}`.
#
# `save_outputs(features, folder, metadata)` writes them into `folder` and returns `{file name: path}`.

# %%
DATA_DICTIONARY = {}  # TODO: {column: what it means, its unit and its time window}


def save_outputs(features: pd.DataFrame, folder: Path, metadata: dict) -> dict[str, Path]:
    """Write the features as CSV, Parquet and JSON records, with dictionary, run metadata and QA report."""
    ...  # TODO: your code here


check_outputs(save_outputs)

# %% [markdown]
# ## Step 6 · ELT: load the raw features into a warehouse
#
# Now switch sides: you are the ML team that consumes the data team's output. In **ELT** the
# data is loaded into the warehouse *first*, untouched, and transformed there later, so the raw
# copy stays available for other transformations without extracting again (the BigQuery way:
# load, then transform with SQL or read into a training job). Here the warehouse is a local
# DuckDB file.
#
# Write `load_raw_features(parquet_path, warehouse_path)`: create (or replace) the table
# `raw_features` from the Parquet file as-is, and return the table read back from the
# warehouse. Loading must be **idempotent**: running it twice must not double the rows.

# %%
def load_raw_features(parquet_path: Path, warehouse_path: Path) -> pd.DataFrame:
    """Load the Parquet file untouched into DuckDB table `raw_features`; return that table."""
    ...  # TODO: your code here


check_load_raw(load_raw_features)

# %% [markdown]
# ## Step 7 · A stratified train/validation split
#
# Split **before** fitting anything on the data: whatever learns statistics (imputers, scalers,
# encoders, the model) may only see the training rows. With about a third of customers churning,
# a plain random split can leave the two sides with noticeably different churn rates;
# stratifying on the label keeps them equal.
#
# Write `split_train_valid(df, seed)` returning `(train, valid)`: 80/20, stratified by `churn`,
# reproducible from `seed`.

# %%
def split_train_valid(df: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (train, valid): an 80/20 split of the rows of `df`, stratified by churn."""
    ...  # TODO: your code here


check_split(split_train_valid)

# %% [markdown]
# ## Step 8 · Transform for training: fit on the training split only
#
# The last transformation turns the feature table into model-ready numbers with a
# scikit-learn `ColumnTransformer`:
#
# * numeric columns: `SimpleImputer(strategy="mean")`, then `StandardScaler()`;
# * categorical columns: `SimpleImputer(strategy="most_frequent")`, then
#   `OneHotEncoder(handle_unknown="ignore", sparse_output=False)`, so a city never seen in
#   training is encoded as all zeros instead of crashing at serving time.
#
# Write `transform_for_training(df, seed)`: drop `customer_id` (an identifier) and `churn` (the
# label!) from the inputs, split with your `split_train_valid`, **fit** the preprocessor on the
# training rows only, **transform** both sides, and return `(train_ready, valid_ready,
# preprocessor)`, each table with its `churn` column added back and the input's row labels
# (`preprocessor.set_output(transform="pandas")` keeps them).
#
# One trap: a missing text value read back from Parquet or DuckDB is `None`, and `SimpleImputer`
# only treats `NaN` as missing in a text column, so the encoder would learn a `city_None`
# category. Convert first: `X[categorical] = X[categorical].fillna(np.nan)`. The check compares
# the fitted imputer's and scaler's statistics with the training rows and with all rows.
# Fitting on all rows lets validation statistics shape the features: a leak that makes
# validation scores optimistic. TFX's Transform component follows the same rule: it *analyses*
# the training split and *applies* those statistics to every split, and later to serving data.

# %%
def transform_for_training(df: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, ColumnTransformer]:
    """Split, fit the preprocessor on the training rows only, transform both sides; keep churn and row labels."""
    ...  # TODO: your code here


check_preprocessing(transform_for_training)

# %% [markdown]
# ## Run the whole pipeline
#
# The same functions, chained on the generated sources: ETL (extract, validate, build
# features, load files), then ELT (load raw into DuckDB, then transform). The function stops
# at the first step that is not done yet, so this cell runs at any stage of the lab.

# %%
def run_pipeline(manifest, out: Path, seed: int) -> dict | None:
    """Run every stage on the sources of `manifest`; None while a step still returns nothing."""
    raw = {"customers": extract_customers_sqlite(manifest.customers_db),
           "sales": extract_sales_csv(manifest.sales_csv), "events": extract_events_json(manifest.events_json)}
    if any(frame is None for frame in raw.values()):
        return None
    validators = {"customers": validate_customers, "sales": validate_sales, "events": validate_events}
    validated = {name: validators[name](frame) for name, frame in raw.items()}
    if any(pair is None for pair in validated.values()):
        return None
    clean = {name: pair[0] for name, pair in validated.items()}
    features = build_features(clean["sales"], clean["customers"], manifest.cutoff,
                              manifest.obs_days, manifest.label_days)
    if features is None:
        return None
    rows = {name: {"raw": len(raw[name]), "clean": len(validated[name][0]), "quarantined": len(validated[name][1])}
            for name in raw}
    metadata = {"seed": manifest.seed, "cutoff": str(manifest.cutoff.date()), "obs_days": manifest.obs_days,
                "label_days": manifest.label_days, "rows": rows, "versions": VERSIONS}
    if save_outputs(features, out / "etl", metadata) is None:
        return None
    warehouse = load_raw_features(out / "etl" / "features.parquet", out / "warehouse.duckdb")
    if warehouse is None:
        return None
    ready = transform_for_training(warehouse, seed)
    if ready is None:
        return None
    return {"rows": rows, "features": features, "train": ready[0], "valid": ready[1]}


result = run_pipeline(manifest, OUT, SEED)
print("Finish the steps above, then run this cell again." if result is None else "pipeline ran")

# %% [markdown]
# Every raw row is accounted for, source by source (removed = duplicates and re-sends):

# %%
if result is not None:
    rows = pd.DataFrame(result["rows"]).T
    rows["removed"] = rows["raw"] - rows["clean"] - rows["quarantined"]
    display(rows)

# %% [markdown]
# One row per customer who existed at the cutoff, with about a third churning:

# %%
if result is not None:
    features = result["features"]
    assert len(features) == manifest.n_customers - manifest.n_signups_after_cutoff
    print(f"{len(features):,} customers, churn rate {features['churn'].mean():.1%}")
    display(features.head())

# %% [markdown]
# The same table in three formats. The columnar, compressed Parquet file is the smallest, and
# JSON repeats every column name in every record:

# %%
if result is not None:
    sizes = {p.name: p.stat().st_size for p in sorted((OUT / "etl").glob("features.*"))}
    display(pd.Series(sizes, name="bytes").sort_values())

# %% [markdown]
# And the model-ready matrices: no missing values, every numeric column scaled on the
# training rows (mean 0 there, close to 0 on validation), the label alongside.

# %%
if result is not None:
    train_ready, valid_ready = result["train"], result["valid"]
    print(f"train {train_ready.shape}, valid {valid_ready.shape}, "
          f"churn {train_ready['churn'].mean():.1%} / {valid_ready['churn'].mean():.1%}")
    display(train_ready.filter(like="numeric__").agg(["mean", "std"]).round(2) + 0.0)  # + 0.0 turns -0.0 into 0.0

# %% [markdown]
# ## Summary
#
# You built a hybrid pipeline: **ETL** where cleaning must happen before anyone uses the data
# (extract as-is, validate into clean / quarantined / removed with every row accounted for,
# engineer features, load documented files), then **ELT** where flexibility matters (load the
# raw features into a warehouse untouched and idempotently, transform them later for one
# particular model).
#
# Leakage safety came up three times:
#
# * **time**: features only see the observation window, the label only the label window, and
#   customers who did not exist at the cutoff get no row;
# * **cleaning**: repairing a value with a statistic computed over the whole history borrows
#   from the future, so bad amounts stay `NaN` until a fitted, train-only imputer handles them;
# * **fitting**: the split comes first, and every learned statistic (imputer, scaler, encoder
#   categories) comes from the training rows only.
#
# The documents (data dictionary, run metadata with seed and versions, QA report) are what
# make the output reproducible and auditable.

# %%
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 02](../chapters/02_data_pipelines.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/02_data_pipelines.ipynb) →
# <!-- NAV END -->
