"""Tests for workbook.checks.lab06: correct answers pass, planted mistakes fail with a teaching
message, placeholders report "not done yet", and no check ever raises."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyspark.sql import functions as F
from pyspark.sql import types as T

from workbook.checks import FAIL, NOT_DONE, PASS, RESULTS
from workbook.checks import lab06
from workbook.checks.lab06 import CHECK_NAMES, EVENT_COLUMNS, FEATURE_COLUMNS, reference_features
from workbook.spark import spark_session, stop_session

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def spark():
    """One local Spark session for every check of this module."""
    session = spark_session("test-checks-lab06")
    yield session
    stop_session(session)


def verdict(check: str):
    return RESULTS[CHECK_NAMES[check]]


def messages(check: str) -> str:
    return " | ".join(f"{f.message} (hint: {f.hint})" for f in verdict(check).failures)


# ----------------------------------------------------------------------------- reference answers

def pandas_features(events, *, days_from="day"):
    df = events.assign(is_purchase=events["event_type"].eq("purchase"), day=events["ts"].dt.normalize())
    out = df.groupby("user_id").agg(
        n_events=("event_id", "size"), n_purchases=("is_purchase", "sum"), revenue=("amount", "sum"),
        avg_purchase=("amount", "mean"), first_seen=("ts", "min"), last_seen=("ts", "max"),
        active_days=(days_from, "nunique")).reset_index()
    out["purchase_rate"] = out["n_purchases"] / out["n_events"]
    return out[list(FEATURE_COLUMNS)]


def spark_features(events, *, coalesce=True, collect=False):
    purchase = F.col("event_type") == "purchase"
    amount = F.when(purchase, F.col("amount"))
    revenue = F.sum(amount)
    out = (events.groupBy("user_id")
           .agg(F.count("*").alias("n_events"), F.sum(purchase.cast("long")).alias("n_purchases"),
                (F.coalesce(revenue, F.lit(0.0)) if coalesce else revenue).alias("revenue"),
                F.avg(amount).alias("avg_purchase"), F.min("ts").alias("first_seen"), F.max("ts").alias("last_seen"),
                F.countDistinct(F.to_date("ts")).alias("active_days"))
           .withColumn("purchase_rate", F.col("n_purchases") / F.col("n_events")))
    return out.toPandas() if collect else out


def count_differences(spark_features_df, reference, *, by_position=False, exact=False, nan_is_zero=False):
    got = spark_features_df.toPandas()
    if by_position:
        return {col: int((got[col].to_numpy() != reference[col].to_numpy()).sum()) for col in reference.columns}
    merged = reference.merge(got, on="user_id", how="outer", suffixes=("_r", "_g"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    out = {"user_id": int((merged["_merge"] != "both").sum())}
    for col in reference.columns.drop("user_id"):
        a, b = both[f"{col}_r"], both[f"{col}_g"]
        if nan_is_zero and pd.api.types.is_float_dtype(a):
            a, b = a.fillna(0), b.fillna(0)
        if exact or not pd.api.types.is_numeric_dtype(a):
            same = ((a == b) | (a.isna() & b.isna())).to_numpy()
        else:
            same = np.isclose(a.astype(float), b.astype(float), rtol=1e-9, equal_nan=True)
        out[col] = int((~same).sum())
    return out


def dedupe(delivered, *, subset=("event_id",)):
    return (delivered.dropDuplicates(list(subset)) if subset else delivered.dropDuplicates()).select(*EVENT_COLUMNS)


def run_job(spark, raw_path, out_path, *, mode="overwrite", deduplicate=True):
    raw = spark.read.parquet(raw_path)
    features = spark_features(dedupe(raw) if deduplicate else raw.select(*EVENT_COLUMNS))
    features.write.mode(mode).parquet(out_path)
    return spark.read.parquet(out_path)


# ----------------------------------------------------------------------------- the reference itself

def test_reference_features_match_a_hand_count():
    """reference_features counts a two-user log exactly as worked out by hand."""
    log = pd.DataFrame({"event_id": [1, 2, 3], "user_id": [1, 1, 2],
                        "ts": pd.to_datetime(["2025-03-01 23:00", "2025-03-02 01:00", "2025-03-01 12:00"]),
                        "event_type": ["purchase", "view", "view"], "amount": [5.0, np.nan, np.nan]})
    out = reference_features(log).set_index("user_id")
    assert out.loc[1, "active_days"] == 2 and out.loc[1, "revenue"] == 5.0 and out.loc[1, "purchase_rate"] == 0.5
    assert out.loc[2, "revenue"] == 0.0 and np.isnan(out.loc[2, "avg_purchase"])


# ----------------------------------------------------------------------------- passing answers

@pytest.mark.parametrize("check, answer", [
    ("check_pandas_features", pandas_features),
    ("check_spark_features", spark_features),
    ("check_count_differences", count_differences),
    ("check_dedupe", dedupe),
    ("check_idempotent_job", run_job),
])
def test_correct_answers_pass(check, answer):
    """A correct implementation of each step passes its check."""
    getattr(lab06, check)(answer)
    assert verdict(check).status == PASS, messages(check)


@pytest.mark.parametrize("check", list(CHECK_NAMES))
def test_placeholders_are_not_done(check):
    """A step that still returns `...` or None reports "not done yet", not a failure."""
    getattr(lab06, check)(lambda *args: ...)
    assert verdict(check).status == NOT_DONE
    getattr(lab06, check)(lambda *args: None)
    assert verdict(check).status == NOT_DONE


@pytest.mark.parametrize("check", list(CHECK_NAMES))
def test_learner_exceptions_are_reported_not_raised(check):
    """An exception inside the learner's function becomes a failure naming its type."""
    def broken(*args):
        raise KeyError("amount")

    getattr(lab06, check)(broken)
    assert verdict(check).status == FAIL and "KeyError" in messages(check)


@pytest.mark.parametrize("check", list(CHECK_NAMES))
def test_results_of_the_wrong_shape_fail_without_raising(check):
    """A function returning something unexpected (a string) fails with an explanation."""
    getattr(lab06, check)(lambda *args: "features")
    assert verdict(check).status == FAIL and messages(check)


# ----------------------------------------------------------------------------- planted mistakes

def test_counting_timestamps_instead_of_days_is_caught():
    """active_days counted as distinct timestamps fails, naming the column and the definition."""
    lab06.check_pandas_features(lambda events: pandas_features(events, days_from="ts"))
    assert verdict("check_pandas_features").status == FAIL
    assert "active_days differs" in messages("check_pandas_features")


def test_grouping_by_user_and_type_is_caught():
    """One row per (user, event type) instead of per user fails with the row count."""
    def per_type(events):
        out = pandas_features(events)
        return pd.concat([out, out], ignore_index=True)

    lab06.check_pandas_features(per_type)
    assert verdict("check_pandas_features").status == FAIL and "2 users gave 4 rows" in messages("check_pandas_features")


def test_missing_coalesce_is_caught_with_the_null_sum_hint():
    """Spark's NULL sum for users without purchases is reported on revenue, with the coalesce hint."""
    lab06.check_spark_features(lambda events: spark_features(events, coalesce=False))
    text = messages("check_spark_features")
    assert verdict("check_spark_features").status == FAIL and "revenue differs" in text and "coalesce" in text


def test_collecting_inside_the_job_is_caught():
    """Returning a pandas DataFrame from the Spark step fails: the job must stay a plan."""
    lab06.check_spark_features(lambda events: spark_features(events, collect=True))
    text = messages("check_spark_features")
    assert verdict("check_spark_features").status == FAIL and "should return a Spark DataFrame" in text


def test_python_udfs_are_caught():
    """A Python UDF in the plan fails with the built-in functions hint."""
    @F.udf(T.LongType())
    def is_purchase(kind):
        return int(kind == "purchase")

    def with_udf(events):
        counted = events.groupBy("user_id").agg(F.sum(is_purchase("event_type")).alias("n_purchases"))
        return (spark_features(events).drop("n_purchases").join(counted, "user_id")
                .withColumn("purchase_rate", F.col("n_purchases") / F.col("n_events")).select(*FEATURE_COLUMNS))

    lab06.check_spark_features(with_udf)
    text = messages("check_spark_features")
    assert verdict("check_spark_features").status == FAIL and "Python UDF" in text


def test_positional_comparison_is_caught():
    """Comparing rows by position reports differences on reordered but equal tables."""
    lab06.check_count_differences(lambda s, r: count_differences(s, r, by_position=True))
    assert verdict("check_count_differences").status == FAIL
    assert "rows in another order" in messages("check_count_differences")


def test_exact_float_comparison_is_caught():
    """Comparing floats exactly reports 1e-13 noise as differences, with the tolerance hint."""
    lab06.check_count_differences(lambda s, r: count_differences(s, r, exact=True))
    text = messages("check_count_differences")
    assert verdict("check_count_differences").status == FAIL and "rtol" in text


def test_nan_equal_to_zero_is_caught():
    """Treating a missing average as 0 hides a planted difference, and the check says so."""
    lab06.check_count_differences(lambda s, r: count_differences(s, r, nan_is_zero=True))
    text = messages("check_count_differences")
    assert verdict("check_count_differences").status == FAIL and "avg_purchase was reported as 0, expected 1" in text


def test_whole_row_dedupe_is_caught():
    """dropDuplicates() on whole rows removes nothing, and the message explains delivered_at."""
    lab06.check_dedupe(lambda delivered: dedupe(delivered, subset=()))
    text = messages("check_dedupe")
    assert verdict("check_dedupe").status == FAIL and "nothing was removed" in text and "delivered_at" in text


def test_deduping_on_the_wrong_key_loses_events():
    """De-duplicating on user_id loses genuine events, and the loss is counted."""
    lab06.check_dedupe(lambda delivered: dedupe(delivered, subset=("user_id",)))
    text = messages("check_dedupe")
    assert verdict("check_dedupe").status == FAIL and "published events are missing" in text


def test_appending_job_is_caught():
    """A job that appends doubles its output on a second run; the check asks for overwrite."""
    lab06.check_idempotent_job(lambda spark, raw, out: run_job(spark, raw, out, mode="append"))
    text = messages("check_idempotent_job")
    assert verdict("check_idempotent_job").status == FAIL and "overwrite" in text


def test_job_without_dedupe_is_caught():
    """A job that counts deliveries instead of events differs from the reference and is told to de-duplicate."""
    lab06.check_idempotent_job(lambda spark, raw, out: run_job(spark, raw, out, deduplicate=False))
    text = messages("check_idempotent_job")
    assert verdict("check_idempotent_job").status == FAIL and "n_events" in text and "dedupe_events" in text
