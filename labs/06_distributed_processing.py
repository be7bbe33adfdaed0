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
# ← [Chapter 06](../chapters/06_distributed_processing.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/06_distributed_processing.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 06 · Per-user features with Spark, proven and idempotent
#
# An app's event log arrives through Pub/Sub, at least once. Turn it into one row of features
# per user with Spark, prove that Spark computes exactly what a pandas reference computes, then
# make the job give the same table however often events were delivered and however often the
# job runs.
#
# Each step below asks you to write one function; the check under it tells you, with numbers,
# whether it does what the step asks. Checks build their own small inputs, so you can do the
# steps in any order.

# %% tags=["parameters"]
N_EVENTS = 50_000  # events in the lab's log; the full-size run uses 2_000_000
SEED = 0  # seeds the log and its redeliveries

# %% [markdown]
# ## Setup
#
# The tools of this lab, then the workbook: seeds, versions, a scratch folder (emptied on every
# run), and a Spark session on this machine (`workbook.spark.spark_session`, from chapter 06:
# it finds a Java, and takes the master URL from `WORKBOOK_SPARK_MASTER` if you set one).

# %%
import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

# %%
import workbook
import workbook.checks
from workbook.checks.lab06 import (
    EVENT_COLUMNS, FEATURE_COLUMNS, check_count_differences, check_dedupe, check_idempotent_job,
    check_pandas_features, check_spark_features,
)
from workbook.datasets.clickstream import event_log, redeliver
from workbook.spark import explain_text, spark_session, stop_session

workbook.setup_notebook("pyspark", "pandas", "pyarrow", seed=SEED)
OUT = workbook.scratch_dir("06_distributed_processing_lab")
spark = spark_session("lab-06")

# %% [markdown]
# ## The data
#
# `event_log` plays the app: `N_EVENTS` events (views, clicks, add-to-carts and purchases with
# an amount) from a few thousand users over 30 days. `redeliver` plays Pub/Sub: every event
# arrives at least once, about 5 % twice or more, each copy with its own `delivered_at`. The
# delivered copies land in the lake as Parquet, which is what your job will read.

# %%
published = event_log(N_EVENTS, seed=SEED)
delivered, n_extra = redeliver(published, rate=0.05, seed=SEED)
raw_path = OUT / "raw_events.parquet"
delivered.to_parquet(raw_path, index=False)
print(f"{len(published):,} events published by {published['user_id'].nunique():,} users; "
      f"{len(delivered):,} deliveries ({n_extra:,} redelivered copies)")
delivered.head()

# %% [markdown]
# The features, one row per user who has at least one event:
#
# | Column | Definition |
# | --- | --- |
# | `user_id` | the user |
# | `n_events` | number of events |
# | `n_purchases` | number of events with `event_type == "purchase"` |
# | `revenue` | sum of `amount` over purchases; **0.0** for a user who bought nothing |
# | `avg_purchase` | mean purchase `amount`; **missing** (NaN in pandas, NULL in Spark) without purchases |
# | `first_seen`, `last_seen` | earliest and latest `ts` |
# | `active_days` | number of distinct calendar days (UTC) with at least one event |
# | `purchase_rate` | `n_purchases / n_events` |

# %%
FEATURE_COLUMNS

# %% [markdown]
# ## Step 1 · The pandas reference
#
# Before you trust a distributed job, write the same computation where you can check it by eye:
# pandas on a sample that fits in memory. This reference is what the Spark job will be proven
# against. Write `user_features_pandas(events)`, returning the columns of `FEATURE_COLUMNS`,
# one row per user, sorted by `user_id`. `amount` is NaN for non-purchases, and pandas' `sum`
# of only NaN is 0, its `mean` NaN: exactly the definitions above.

# %%
def user_features_pandas(events: pd.DataFrame) -> pd.DataFrame:
    """Per-user features of a clean event log, with pandas: one row per user, sorted by user_id."""
    ...  # TODO: your code here


check_pandas_features(user_features_pandas)

# %% [markdown]
# ## Step 2 · The same features with Spark
#
# Now the job that scales: `user_features_spark(events)` takes a Spark DataFrame of clean
# events and returns a Spark DataFrame with the same columns. Keep it a *plan*: no
# `toPandas()` or `collect()` inside (that would pull every row into the driver), and no Python
# UDFs (they ship every row to a Python worker and back); Spark's built-in functions do all of
# it: `F.count`, `F.sum`, `F.when`, `F.avg`, `F.min`, `F.max`, `F.countDistinct`, `F.to_date`.
#
# Two semantic traps, where equal-looking code means different things in the two engines:
#
# * in SQL (and Spark) the `sum` of no values is **NULL**, while pandas returns 0:
#   `F.coalesce(..., F.lit(0.0))`;
# * `F.to_date` uses the session's time zone; `spark_session` sets it to UTC, as the data is.

# %%
def user_features_spark(events: DataFrame) -> DataFrame:
    """Per-user features of a clean event log, as a Spark plan (nothing is collected)."""
    ...  # TODO: your code here


check_spark_features(user_features_spark)

# %% [markdown]
# ## Step 3 · Prove that they agree
#
# "It looks the same" is not a proof. Write `count_differences(spark_features, reference)`:
# bring the Spark result to pandas (it is one row per user, small enough), match rows **by
# `user_id`** (Spark returns rows in no particular order), and return
# `{column: number of users whose value differs}` for every column of the reference, where
# `user_id` counts the users present on only one side. Compare floats with a relative tolerance
# of 1e-9 (`np.isclose(..., rtol=1e-9, equal_nan=True)`): Spark adds partial sums in another
# order than pandas, so the last bits may differ, while a missing value must still differ from 0.

# %%
def count_differences(spark_features: DataFrame, reference: pd.DataFrame) -> dict[str, int]:
    """{column: users whose value differs between the Spark result and the pandas reference}."""
    ...  # TODO: your code here


check_count_differences(count_differences)

# %% [markdown]
# ## Step 4 · Remove redelivered events
#
# The raw table holds every delivery, and a copy differs from the original in `delivered_at`.
# Counting deliveries instead of events inflates `n_events`, `revenue` and everything else for
# the users whose events were redelivered. Write `dedupe_events(delivered)`: one row per
# `event_id`, with the event's columns. (Whole-row `dropDuplicates()` removes nothing here:
# no two deliveries are identical. The event's identity is its id.)

# %%
def dedupe_events(delivered: DataFrame) -> DataFrame:
    """One row per event_id of an at-least-once delivery, with the event's own columns."""
    ...  # TODO: your code here


check_dedupe(dedupe_events)

# %% [markdown]
# ## Step 5 · An idempotent feature job
#
# A scheduled job gets re-run: after a failure, a backfill, a retry by the orchestrator
# (chapter 07). It is **idempotent** when running it again, or on a delivery of the same events
# with other duplicates, leaves exactly the same output. Write `run_feature_job(spark, raw_path,
# out_path)`: read the raw deliveries (Parquet), remove the copies, compute the features, write
# them to `out_path` as Parquet, **replacing** whatever an earlier run left there, and return the
# table read back from `out_path`. (On Google Cloud the same job would read and write `gs://`
# paths or BigQuery tables, and run on Dataproc.)

# %%
def run_feature_job(spark: SparkSession, raw_path: str, out_path: str) -> DataFrame:
    """Read raw deliveries, de-duplicate, compute per-user features, overwrite out_path; return what is stored."""
    ...  # TODO: your code here


check_idempotent_job(run_feature_job)

# %% [markdown]
# ## Run the whole job
#
# Your functions, on the lab's log: the job reads the deliveries, and its output is proven
# against the pandas reference computed from the *published* events. The cells stop quietly
# while a step is not done yet.

# %%
out_path = OUT / "user_features"
features = run_feature_job(spark, str(raw_path), str(out_path))
reference = user_features_pandas(published)
if features is None or reference is None:
    print("Finish the steps above, then run this cell again.")
else:
    differences = count_differences(features, reference)
    print(f"{features.count():,} users written; differences from the pandas reference: {differences}")

# %% [markdown]
# Where the job moves data: the scan of the raw Parquet file and every shuffle (`Exchange`) of
# its plan, from the bottom up: by `event_id` to remove copies, by user and day for the count of
# distinct days, and by `user_id` for the features.

# %%
if features is not None:
    plan = explain_text(user_features_spark(dedupe_events(spark.read.parquet(str(raw_path)))), "simple")
    print("\n".join(line.strip(" +-") for line in plan.splitlines() if "Exchange" in line or "Scan" in line))

# %% [markdown]
# And what de-duplication buys: the same features computed on the raw deliveries are wrong for
# every user who had an event redelivered.

# %%
if features is not None:
    naive = count_differences(user_features_spark(spark.read.parquet(str(raw_path))), reference)
    print(f"without de-duplication, n_events is wrong for {naive['n_events']:,} of {len(reference):,} users "
          f"and revenue for {naive['revenue']:,}")

# %% [markdown]
# ## Summary
#
# * A distributed job is only as trustworthy as its proof: the same features computed with
#   pandas on data that fits in memory, compared **by key** and with a float tolerance, caught
#   the engines' different semantics (a NULL sum, time zones) before they reached a model.
# * Spark code stays a plan (built-in functions, no `toPandas()` inside the job), so it scales
#   from this laptop to a Dataproc cluster unchanged.
# * At-least-once delivery means duplicates in the raw data; de-duplicate on the event's
#   identity, not on whole rows.
# * An idempotent job (de-duplicate, then **overwrite** the output) can be retried and
#   backfilled safely: the orchestrator's retries of chapter 07 depend on it.

# %%
stop_session(spark)  # stop the session and let its JVM exit (chapter 06)
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 06](../chapters/06_distributed_processing.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/06_distributed_processing.ipynb) →
# <!-- NAV END -->
