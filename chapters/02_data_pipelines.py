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
# ← [01 · Foundations: MLOps and the ML system lifecycle](01_foundations.ipynb) · [Contents](00_start_here.ipynb) · [03 · Sampling and class imbalance](03_sampling_imbalance.ipynb) → · Practice: [Lab](../labs/02_data_pipelines.ipynb) · [Solution](../solutions/02_data_pipelines.ipynb)
# <!-- NAV END -->

# %% [markdown]
# # 02 · Data pipelines: sources, formats, ETL/ELT
#
# Where a model's data comes from, how it is stored, and how it gets from source to
# training table: measured on real files, a real local warehouse (DuckDB), and mapped to
# the Google Cloud services the exam asks about.

# %% tags=["parameters"]
N_ROWS = 200_000  # rows of the format comparison; the full-size run uses 1_000_000 (about 30 s)
N_RAW = 50_000  # rows of the dirty raw extract used for validation and ETL/ELT
N_REPEATS = 5  # timing rounds; the best round is reported

# %% [markdown]
# ## Setup

# %%
import json

import duckdb
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import workbook
from workbook.datasets.transactions import CURRENCIES, dirty_extract, transactions
from workbook.quiz import ask

workbook.setup_notebook("pandas", "pyarrow", "duckdb", "numpy")
OUT = workbook.scratch_dir("02_data_pipelines")

# %% [markdown]
# ## Where the data comes from
#
# A production ML system pulls from four kinds of source, and each fails in its own way:
#
# | Source | Examples | What goes wrong | Validate by |
# | --- | --- | --- | --- |
# | **User input** | search boxes, forms, uploads | anything a person can type: blanks, words for numbers, wrong units | strict parsing, ranges, rejecting early |
# | **System logs** | app and infrastructure logs, prediction logs | huge and noisy, truncated or multi-line records | a parser that counts what it could not parse |
# | **Internal databases** | CRM, orders, inventory, accounts | the most valuable and the most structured; still stale rows, duplicates, schema changes | schemas, keys, freshness checks |
# | **Third-party data** | demographics, market data | different codes and units, licence and privacy limits | mapping tables, contracts, coverage checks |
#
# Two small examples show why "just read it" is not enough. First, ages typed into a form:

# %%
typed_ages = pd.Series([" 34", "29", "forty", "", "-3", "131", "27 "])
ages = pd.to_numeric(typed_ages.str.strip(), errors="coerce")
valid = ages.between(0, 120)
pd.DataFrame({"typed": typed_ages, "parsed": ages, "valid": valid})

# %%
assert valid.sum() == 3  # only 3 of 7 answers are usable ages

# %% [markdown]
# Second, log lines: a parser should report how many lines it could not read, never skip them silently.

# %%
log = """2025-03-01T10:00:01 INFO predict model=v3 latency_ms=41
2025-03-01T10:00:02 INFO predict model=v3 latency_ms=38
2025-03-01T10:00:02 WARN predict model=v3 latency_ms=
Traceback (most recent call last):
2025-03-01T10:00:03 INFO predict model=v2 latency_ms=112"""
parsed = pd.Series(log.splitlines()).str.extract(r"^(\S+) (\w+) predict model=(\w+) latency_ms=(\d+)$")
parsed.columns = ["time", "level", "model", "latency_ms"]
print(f"parsed {parsed['time'].notna().sum()} of {len(parsed)} lines")
parsed

# %%
ask("02-user-input-needs-validation")

# %% [markdown]
# ## Text and binary formats
#
# **Text formats** (CSV, JSON) are human-readable: open them in an editor, diff them, debug
# them. They pay for it in space and parsing time: the number 1000000 is seven characters in
# a CSV, but four bytes as a binary 32-bit integer.

# %%
as_text = len(str(1_000_000).encode())
as_int32 = len(np.int32(1_000_000).tobytes())
print(f"text: {as_text} bytes, int32: {as_int32} bytes")

# %% [markdown]
# **Binary formats** such as Parquet need the schema to be read, but are compact and fast:
# they are the standard for analytics. Let us write one generated table of card transactions
# in three formats and measure.

# %%
table = transactions(N_ROWS, seed=0)
table.head(3)

# %%
table.dtypes

# %%
writers = {
    "CSV": ("transactions.csv", lambda p: table.to_csv(p, index=False)),
    "JSON lines": ("transactions.jsonl", lambda p: table.to_json(p, orient="records", lines=True, date_format="iso")),
    "Parquet": ("transactions.parquet", lambda p: table.to_parquet(p, index=False)),
}
paths = {}
for fmt, (name, write) in writers.items():
    paths[fmt] = OUT / name
    write(paths[fmt])
sizes = pd.DataFrame({"MB": {fmt: p.stat().st_size / 1e6 for fmt, p in paths.items()}})
sizes["vs CSV"] = sizes["MB"] / sizes.loc["CSV", "MB"]
sizes.round(2)

# %%
csv_to_parquet = sizes.loc["CSV", "MB"] / sizes.loc["Parquet", "MB"]
print(f"Parquet is {csv_to_parquet:.1f}x smaller than CSV (the source's example: 14 MB -> 6 MB, 2.3x)")
assert sizes["MB"].idxmin() == "Parquet" and sizes["MB"].idxmax() == "JSON lines"

# %% [markdown]
# Reading back is where the difference is felt every day. Read times vary from run to run,
# so this cell's output is not checked by the tests; the sizes above are.

# %% tags=["nbval-ignore-output"]
readers = {
    "CSV": lambda: pd.read_csv(paths["CSV"], parse_dates=["ts"]),
    "JSON lines": lambda: pd.read_json(paths["JSON lines"], lines=True),
    "Parquet": lambda: pd.read_parquet(paths["Parquet"]),
}
sizes["read s"] = {fmt: workbook.best_time(read, repeat=min(N_REPEATS, 3), number=1) for fmt, read in readers.items()}
sizes.round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
sizes["MB"].plot.barh(ax=axes[0], color="#4c72b0", title=f"File size, {N_ROWS:,} rows (MB)")
sizes["read s"].plot.barh(ax=axes[1], color="#dd8452", title="Read time (s)")
axes[1].set_yticklabels([])
plt.tight_layout()
plt.show()

# %% [markdown]
# Parquet also keeps the **types**: the timestamp comes back as a timestamp, while CSV needs
# `parse_dates` and JSON guesses.

# %%
pd.DataFrame({fmt: read().dtypes.astype(str) for fmt, read in readers.items()})

# %%
ask("02-parquet-vs-csv-analytics", "02-int-text-vs-binary-megabytes", "02-csv-to-parquet-size-reduction",
    "02-text-format-good-reasons")

# %% [markdown]
# ## Row-major and column-major
#
# * **Row-major** (CSV, most OLTP databases): the values of one record sit together. Good for
#   appending records and for fetching everything about one customer.
# * **Column-major** (Parquet, BigQuery, pandas): the values of one column sit together. Good
#   for analytics such as the mean of one feature over millions of rows.
#
# pandas is column-major: a column is one contiguous array, a row must be gathered from every
# column. The source reports about 2 µs per column access against 38 µs per row. Our numbers:

# %% tags=["nbval-ignore-output"]
column_s = workbook.best_time(lambda: table["amount"], repeat=N_REPEATS)
row_s = workbook.best_time(lambda: table.iloc[1234], repeat=N_REPEATS)
print(f"pandas: one column {column_s * 1e6:.1f} µs, one row {row_s * 1e6:.1f} µs, ratio {row_s / column_s:.0f}x")

# %%
assert row_s > 3 * column_s  # rows are gathered value by value: always several times slower

# %% [markdown]
# The same effect in NumPy, where we can choose the layout of one matrix: summing one column
# of a C-ordered (row-major) array jumps through memory; in a Fortran-ordered (column-major)
# copy the column is contiguous.

# %% tags=["nbval-ignore-output"]
matrix = np.random.default_rng(0).random((4_000, 1_000))
row_major, col_major = np.ascontiguousarray(matrix), np.asfortranarray(matrix)
strided_s = workbook.best_time(lambda: row_major[:, 7].sum(), repeat=N_REPEATS)
contiguous_s = workbook.best_time(lambda: col_major[:, 7].sum(), repeat=N_REPEATS)
print(f"NumPy column sum: row-major {strided_s * 1e6:.0f} µs, column-major {contiguous_s * 1e6:.0f} µs, "
      f"ratio {strided_s / contiguous_s:.1f}x")

# %% [markdown]
# On disk, the layout decides **how many bytes a query must read**. Parquet stores each column
# in its own chunk, so the mean of `amount` reads only that chunk; a CSV has to be scanned whole.

# %%
meta = pq.ParquetFile(paths["Parquet"]).metadata
column_bytes = pd.Series({
    meta.schema.column(j).name: sum(meta.row_group(i).column(j).total_compressed_size
                                    for i in range(meta.num_row_groups))
    for j in range(meta.num_columns)
})
share = column_bytes["amount"] / column_bytes.sum()
print(f"mean(amount) reads {share:.0%} of the Parquet data; from CSV it reads 100 %")
(column_bytes / 1e6).round(2).rename("MB per column")

# %% [markdown]
# This is also why BigQuery bills by the columns a query touches: `SELECT *` reads every
# column, selecting the two you need reads two.

# %%
ask("02-pandas-column-vs-row-speedup", "02-column-mean-row-major-true-false", "02-row-major-lookup-workload",
    "02-bigquery-select-columns-cost")

# %% [markdown]
# ## Validate early, quarantine what fails
#
# The **extract** step is the first and cheapest place to catch bad records. Reject or
# quarantine them as early as possible, with the reason, and count them: a record that is
# dropped silently is a bug nobody can find. Here is a raw extract as a source system hands it
# over: every column is text, and about 1 % of the rows of each kind are bad.

# %%
raw, planted = dirty_extract(N_RAW, seed=1)
raw.head(3)

# %% [markdown]
# Each rule flags rows; a row that breaks any rule goes to quarantine with all its reasons.

# %%
KNOWN_CURRENCIES = set(CURRENCIES.values())
RULES = {
    "missing customer_id": lambda df: df["customer_id"].str.strip().eq(""),
    "unparseable ts": lambda df: pd.to_datetime(df["ts"], format="%Y-%m-%d %H:%M:%S", errors="coerce").isna(),
    "amount not positive": lambda df: ~(pd.to_numeric(df["amount"], errors="coerce") > 0),
    "unknown currency": lambda df: ~df["currency"].isin(KNOWN_CURRENCIES),
}


def validate(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Split a raw extract into typed clean rows and quarantined rows; drop exact duplicates."""
    broken = pd.DataFrame({name: rule(raw) for name, rule in RULES.items()})
    bad = broken.any(axis=1)
    quarantine = raw[bad].assign(reason=broken[bad].apply(lambda r: "; ".join(r.index[r]), axis=1))
    deduplicated = raw[~bad].drop_duplicates()
    clean = deduplicated.astype({"transaction_id": "int64", "customer_id": "int64", "amount": "float64"})
    clean["ts"] = pd.to_datetime(clean["ts"], format="%Y-%m-%d %H:%M:%S")
    clean["is_fraud"] = clean["is_fraud"].eq("True")
    return clean, quarantine, int((~bad).sum() - len(deduplicated))


clean, quarantine, n_duplicates = validate(raw)
quarantine["reason"].value_counts()

# %% [markdown]
# Nothing is lost: every raw row is clean, quarantined, or a duplicate we removed, and the
# counts match what the generator planted.

# %%
print(f"raw {len(raw):,} = clean {len(clean):,} + quarantined {len(quarantine):,} + duplicates {n_duplicates:,}")
assert len(raw) == len(clean) + len(quarantine) + n_duplicates
assert len(quarantine) == planted.total - planted.duplicate_rows and n_duplicates == planted.duplicate_rows
assert clean["transaction_id"].is_unique

# %% [markdown]
# In production the quarantine is a table of its own (a BigQuery table, a Cloud Storage
# prefix) with an alert on its size, so that a broken upstream release is noticed the same day.

# %%
ask("02-extract-validate-quarantine")

# %% [markdown]
# ## ETL, ELT and the hybrid
#
# | | ETL | ELT |
# | --- | --- | --- |
# | Order | extract → transform → load | extract → load → transform |
# | What is stored | the transformed result | the raw data, transformed on demand |
# | Flexibility | a new question needs a new pipeline run | a new question is a new query |
# | Ingestion | slower (work before loading) | fast (load as-is) |
# | Risk | less flexible | a **data swamp**: raw data nobody can find or trust |
#
# We build both with a local **lake** (a folder, playing Cloud Storage) and a local **warehouse**
# (a DuckDB file, playing BigQuery). The raw extract lands in the lake unchanged:

# %%
lake = OUT / "lake"
lake.mkdir()
raw.to_csv(lake / "transactions_raw.csv", index=False)
warehouse = duckdb.connect(str(OUT / "warehouse.duckdb"))


def scalar(sql: str):
    """The single value a query returns (DuckDB 2 relations have fetchall(), no fetchone())."""
    return warehouse.sql(sql).fetchall()[0][0]

# %% [markdown]
# **ETL**: transform in Python (the `validate` step above, then an aggregate), load only the result.

# %%
etl_daily = (clean.assign(day=clean["ts"].dt.date)
             .groupby(["country", "day"], as_index=False)
             .agg(n=("transaction_id", "size"), revenue=("amount", "sum")))
warehouse.execute("CREATE OR REPLACE TABLE etl_daily_country AS SELECT * FROM etl_daily")
warehouse.sql("SELECT count(*) AS rows, round(sum(revenue), 2) AS revenue FROM etl_daily_country").fetchall()

# %% [markdown]
# **ELT**: load the raw text into the warehouse as-is, then transform with SQL inside it.
# `TRY_CAST` and `TRY_STRPTIME` return NULL instead of failing, which is how SQL validates.

# %%
warehouse.execute("CREATE OR REPLACE TABLE raw_transactions AS SELECT * FROM read_csv(?, all_varchar = true)",
                  [str(lake / "transactions_raw.csv")])
scalar("SELECT count(*) FROM raw_transactions")

# %%
currencies = ", ".join(f"'{c}'" for c in sorted(KNOWN_CURRENCIES))
warehouse.execute(f"""
CREATE OR REPLACE TABLE transactions AS
SELECT DISTINCT
    CAST(transaction_id AS BIGINT) AS transaction_id,
    TRY_CAST(customer_id AS BIGINT) AS customer_id,
    TRY_STRPTIME(ts, '%Y-%m-%d %H:%M:%S') AS ts,
    TRY_CAST(amount AS DOUBLE) AS amount,
    country, currency, channel, is_fraud = 'True' AS is_fraud
FROM raw_transactions
WHERE TRY_CAST(customer_id AS BIGINT) IS NOT NULL
  AND TRY_STRPTIME(ts, '%Y-%m-%d %H:%M:%S') IS NOT NULL
  AND TRY_CAST(amount AS DOUBLE) > 0
  AND currency IN ({currencies})
""")
elt_daily = warehouse.sql("""
    SELECT country, CAST(ts AS DATE) AS day, count(*) AS n, sum(amount) AS revenue
    FROM transactions GROUP BY ALL ORDER BY country, day
""").df()
print(f"{len(elt_daily):,} country-days")

# %% [markdown]
# Both routes give the same answer:

# %%
etl_sorted = etl_daily.sort_values(["country", "day"]).reset_index(drop=True)
etl_sorted["day"] = pd.to_datetime(etl_sorted["day"])
elt_daily["day"] = pd.to_datetime(elt_daily["day"])
pd.testing.assert_frame_equal(etl_sorted, elt_daily, check_dtype=False, rtol=1e-9)
print("ETL and ELT agree on", len(elt_daily), "rows")

# %% [markdown]
# The difference shows when a **new question** arrives, say revenue per sales channel. ELT kept
# the raw data, so it is one more query; the ETL warehouse only holds daily totals per country
# and cannot answer without re-running extraction.

# %%
warehouse.sql("SELECT channel, count(*) AS n, round(sum(amount), 2) AS revenue FROM transactions "
              "GROUP BY channel ORDER BY revenue DESC").df()

# %% [markdown]
# The price of ELT is the swamp: the raw table keeps every bad row, and every consumer has to
# filter them again, the same way, forever.

# %%
kept_bad = scalar("SELECT count(*) FROM raw_transactions") - scalar("SELECT count(*) FROM transactions")
print(f"{kept_bad:,} of {len(raw):,} raw rows are unusable and stay in the raw table")
assert kept_bad == planted.total

# %% [markdown]
# **Hybrid** is the common ML pattern and what the lab builds: light validation at extract
# time (quarantine the garbage, as above), load into the lake or warehouse, and do the heavy,
# changing feature engineering later with SQL or a scikit-learn pipeline fitted on training
# data only.
#
# On Google Cloud:
#
# | Role | Service |
# | --- | --- |
# | Lake: cheap storage for raw files of any kind | **Cloud Storage** |
# | Warehouse: SQL analytics, ELT transforms | **BigQuery** |
# | Streaming ingestion | **Pub/Sub** |
# | Batch and streaming transforms (ETL) | **Dataflow** (Apache Beam); **Dataproc** for Spark |
# | Features shared by training and serving | **Vertex AI Feature Store** (chapter 05) |

# %%
warehouse.close()
ask("02-elt-for-exploratory-team", "02-etl-mask-pii-before-warehouse", "02-hybrid-etl-elt-pattern",
    "02-elt-stage-save-before-transform")

# %% [markdown]
# ## Data lakes and data warehouses
#
# * A **data lake** stores raw data of any shape (files, images, logs, JSON) at low cost, and
#   applies a schema when it is read. It is not built for transactions or fast queries.
#   On Google Cloud: Cloud Storage.
# * A **data warehouse** stores structured, typed tables optimised for analytical SQL over
#   large volumes (column-major, as measured above). On Google Cloud: BigQuery.
#
# Data arrives in either by **batch** ingestion (periodic dumps or daily jobs, e.g. files to
# Cloud Storage) or **streaming** ingestion (events as they happen, e.g. Pub/Sub feeding
# Dataflow into BigQuery; chapter 06 runs such a pipeline with Apache Beam).

# %%
ask("02-warehouse-for-analytics", "02-data-lake-advantage", "02-lake-vs-warehouse-choose-two",
    "02-streaming-iot-to-bigquery")

# %% [markdown]
# ## Where the source's code would fail
#
# The source sketches the hybrid pipeline in a few functions. As printed it does not run:
#
# * `validate_sales` returns `cleaned_df`, a name it never defines (`NameError`);
# * the ELT stage uses `numeric_cols`, `categorical_cols` and `X_train` without creating them, and
#   never makes the train/validation split it fits on;
# * `df_copy = df.copy()` before saving copies nothing worth copying: the "load" of ELT is simply
#   writing the fetched data before transforming it.
#
# The lab builds the complete, runnable version. Its scikit-learn calls use the current API
# (`OneHotEncoder(sparse_output=False)`; the old `sparse=` argument was removed in scikit-learn 1.4).

# %% [markdown]
# ## Summary
#
# * Every source needs validation of its own kind; validate at extract time and quarantine bad
#   records with a reason, never drop them silently.
# * Text formats are for people, binary columnar formats for machines: our Parquet file is
#   several times smaller than the CSV and reads faster, with types preserved.
# * Column-major layouts make per-feature analytics fast and cheap (pandas, Parquet, BigQuery);
#   row-major suits appending and whole-record lookups.
# * ETL stores results, ELT stores raw data and transforms on demand; the hybrid cleans lightly
#   first and transforms late. Lake = Cloud Storage, warehouse = BigQuery.

# %%
ask("02-pandas-contiguous-columns-true-false", "02-data-lake-transactions-true-false", "02-ingestion-tools-select-all",
    "02-elt-definition-true-false", "02-data-swamp-diagnosis", "02-transform-step-operations",
    "02-raw-multimodal-landing-zone", "02-churn-windows-leakage-safe", "02-fit-preprocessor-train-only",
    "02-run-metadata-reproducibility", title="Check yourself: chapter 02")

# %% [markdown]
# ## Exercises
#
# Build the hybrid ETL/ELT churn pipeline yourself in **[Lab 02](../labs/02_data_pipelines.ipynb)**:
# extract from SQLite, CSV and JSON, validate, engineer leakage-safe features from an
# observation window, save CSV/Parquet/JSON with a data dictionary and QA report, then fit the
# preprocessing on the training split only. The worked solution is in
# [solutions/02_data_pipelines.ipynb](../solutions/02_data_pipelines.ipynb).

# %% [markdown]
# <!-- NAV START -->
# ← [01 · Foundations: MLOps and the ML system lifecycle](01_foundations.ipynb) · [Contents](00_start_here.ipynb) · [03 · Sampling and class imbalance](03_sampling_imbalance.ipynb) → · Practice: [Lab](../labs/02_data_pipelines.ipynb) · [Solution](../solutions/02_data_pipelines.ipynb)
# <!-- NAV END -->
