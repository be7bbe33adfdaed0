"""Checks for Lab 06 · per-user features with Spark, proven against pandas, idempotent under duplicates.

One check per step of the lab. Each check builds its own small event log with
:func:`workbook.datasets.clickstream.event_log` (and :func:`~workbook.datasets.clickstream.redeliver`
for the duplicated input), so every step can be checked on its own, in any order. Checks that
need Spark use the active session (or start one with :func:`workbook.spark.spark_session`).
A check shows ✅, ⏳ (the step is still a placeholder) or ❌ with what is wrong, measured, and a
hint; it never raises into the notebook. Check functions return ``None``; the verdict is
displayed and kept in ``workbook.checks.RESULTS[CHECK_NAMES["check_…"]]``.

    >>> from workbook.checks.lab06 import check_pandas_features
    >>> check_pandas_features(lambda events: ...)  # doctest: +SKIP
    ⏳ Step 1 · The pandas reference: not done yet
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from workbook.checks._report import (
    Check, checking, kind_of, plural, temporary_folder,
)
from workbook.datasets.clickstream import event_log, redeliver

__all__ = [
    "CHECK_NAMES", "EVENT_COLUMNS", "FEATURE_COLUMNS", "check_count_differences", "check_dedupe",
    "check_idempotent_job", "check_pandas_features", "check_spark_features", "reference_features",
]

CHECK_NAMES = {
    "check_pandas_features": "Step 1 · The pandas reference",
    "check_spark_features": "Step 2 · The same features with Spark",
    "check_count_differences": "Step 3 · Prove that they agree",
    "check_dedupe": "Step 4 · Remove redelivered events",
    "check_idempotent_job": "Step 5 · An idempotent feature job",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

EVENT_COLUMNS = ("event_id", "user_id", "ts", "event_type", "amount")
"""The columns of a clean event (a delivered one also has ``delivered_at``)."""

FEATURE_COLUMNS = (
    "user_id", "n_events", "n_purchases", "revenue", "avg_purchase", "first_seen", "last_seen", "active_days",
    "purchase_rate",
)
"""The per-user features of the lab, in order."""

_FEATURE_HINTS = {
    "n_events": "the number of events of the user",
    "n_purchases": "the number of events with event_type == 'purchase'",
    "revenue": "the sum of amount over the user's purchases; 0.0 for a user who bought nothing "
               "(in Spark the sum of no values is NULL: coalesce it to 0.0)",
    "avg_purchase": "the mean amount of the user's purchases; missing (NaN / NULL) without purchases",
    "first_seen": "the earliest ts of the user",
    "last_seen": "the latest ts of the user",
    "active_days": "the number of distinct calendar days (UTC) with at least one event "
                   "(pandas: ts.dt.normalize(); Spark: countDistinct(to_date('ts')))",
    "purchase_rate": "n_purchases / n_events",
}
_FLOAT_RTOL = 1e-9


def reference_features(events: pd.DataFrame) -> pd.DataFrame:
    """The lab's per-user features computed with pandas: one row per user, sorted by user_id.

    This is the answer the checks compare with; the lab asks you to write your own.
    """
    df = events.assign(is_purchase=events["event_type"].eq("purchase"), day=events["ts"].dt.normalize())
    features = df.groupby("user_id").agg(
        n_events=("event_id", "size"), n_purchases=("is_purchase", "sum"), revenue=("amount", "sum"),
        avg_purchase=("amount", "mean"), first_seen=("ts", "min"), last_seen=("ts", "max"),
        active_days=("day", "nunique"),
    ).reset_index()
    features["purchase_rate"] = features["n_purchases"] / features["n_events"]
    return features[list(FEATURE_COLUMNS)]


def _differences(got: pd.DataFrame, expected: pd.DataFrame) -> dict[str, int]:
    """{column: number of users whose value differs}; ``user_id`` counts users on one side only."""
    merged = expected.merge(got, on="user_id", how="outer", suffixes=("_expected", "_got"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    out = {"user_id": int((merged["_merge"] != "both").sum())}
    for col in expected.columns:
        if col == "user_id":
            continue
        if f"{col}_got" not in both:
            out[col] = len(both)
            continue
        a, b = both[f"{col}_expected"], both[f"{col}_got"]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            same = np.isclose(a.astype(float), b.astype(float), rtol=_FLOAT_RTOL, atol=0.0, equal_nan=True)
        else:
            same = ((a == b) | (a.isna() & b.isna())).to_numpy()
        out[col] = int((~same).sum())
    return out


def _spark():
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    from workbook.spark import spark_session

    return spark_session("lab06-checks")


def _is_spark_frame(obj: object) -> bool:
    try:
        from pyspark.sql import DataFrame
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, DataFrame)


def _spark_frame(c: Check, obj: object, function: str) -> None:
    hint = ("Return the Spark DataFrame itself; calling toPandas() or collect() inside the job pulls every row "
            "into the driver, which is what Spark is meant to avoid.")
    c.require(_is_spark_frame(obj), f"`{function}` should return a Spark DataFrame, got {kind_of(obj)}", hint)


def _columns(c: Check, columns: list[str], expected: tuple[str, ...], what: str) -> None:
    missing = [col for col in expected if col not in columns]
    c.require(not missing, f"{what} has no column {', '.join(missing)} (it has {', '.join(columns)})",
          f"Name the columns exactly: {', '.join(expected)}.")


def _report_differences(c: Check, diffs: dict[str, int], n_users: int, what: str) -> None:
    if diffs.get("user_id"):
        c.expect(False, f"{what}: {plural(diffs['user_id'], 'user')} appear on only one side (of {n_users:,})",
                 "Group by user_id only: one row per user who has at least one event.")
    for col, n_bad in diffs.items():
        if col != "user_id" and n_bad:
            c.expect(False, f"{what}: {col} differs for {n_bad:,} of {n_users:,} users",
                     f"{col} is {_FEATURE_HINTS.get(col, 'as the step describes')}.")


def _small_log(n_events: int, seed: int) -> pd.DataFrame:
    return event_log(n_events, n_users=max(10, n_events // 40), seed=seed, duration="6D")


# ----------------------------------------------------------------------------- Step 1 · pandas

def check_pandas_features(user_features_pandas: Callable) -> None:
    """``user_features_pandas(events)`` returns the lab's features, one row per user, with pandas.

    Verified on a hand-made log of 6 events (whose answers were worked out by hand: a user who
    never buys, two purchases on two days) and on a generated log of 2,000 events; the input
    must be left unchanged.
    """
    with checking(CHECK_NAMES["check_pandas_features"]) as c:
        tiny = pd.DataFrame({
            "event_id": [1, 2, 3, 4, 5, 6],
            "user_id": [7, 7, 7, 9, 9, 7],
            "ts": pd.to_datetime(["2025-03-01 09:00", "2025-03-01 23:59", "2025-03-02 00:01",
                                  "2025-03-01 10:00", "2025-03-03 10:00", "2025-03-04 08:00"]).as_unit("us"),
            "event_type": ["view", "purchase", "purchase", "view", "click", "view"],
            "amount": [np.nan, 10.0, 30.0, np.nan, np.nan, np.nan],
        })
        given = tiny.copy()
        out = c.call(user_features_pandas, given)
        c.require(isinstance(out, pd.DataFrame), f"`user_features_pandas` should return a DataFrame, got {kind_of(out)}")
        _columns(c, list(out.columns), FEATURE_COLUMNS, "the result")
        c.expect(given.equals(tiny), "`user_features_pandas` changed the events it was given",
                 "Work on a copy (events.assign(...) returns one).")
        c.require(len(out) == 2 and out["user_id"].is_unique,
              f"a log with 2 users gave {len(out)} rows", "One row per user: events.groupby('user_id').")
        expected = pd.DataFrame({
            "user_id": [7, 9], "n_events": [4, 2], "n_purchases": [2, 0], "revenue": [40.0, 0.0],
            "avg_purchase": [20.0, np.nan],
            "first_seen": pd.to_datetime(["2025-03-01 09:00", "2025-03-01 10:00"]),
            "last_seen": pd.to_datetime(["2025-03-04 08:00", "2025-03-03 10:00"]),
            "active_days": [3, 2], "purchase_rate": [0.5, 0.0],
        })
        got = out[list(FEATURE_COLUMNS)].sort_values("user_id").reset_index(drop=True)
        _report_differences(c, _differences(got, expected), 2, "hand-made log")
        log = _small_log(2_000, seed=21)
        got = out_big = c.call(user_features_pandas, log.copy())
        if isinstance(out_big, pd.DataFrame) and set(FEATURE_COLUMNS) <= set(out_big.columns):
            reference = reference_features(log)
            _report_differences(c, _differences(got[list(FEATURE_COLUMNS)], reference), len(reference),
                                "generated log of 2,000 events")
            c.note(f"{len(reference):,} users from 2,000 events; "
                   f"{int((reference['n_purchases'] == 0).sum())} of them never bought anything.")


# ----------------------------------------------------------------------------- Step 2 · Spark

def check_spark_features(user_features_spark: Callable) -> None:
    """``user_features_spark(events)`` takes and returns a Spark DataFrame with the same features.

    On a generated log of 3,000 events over 6 days (a time-zone slip would move events across
    midnight and change ``active_days``) it verifies: a Spark DataFrame comes back (nothing collected), one
    row per user, every feature equal to the pandas reference (floats to 1e-9 relative), and no
    Python UDF in the plan.
    """
    with checking(CHECK_NAMES["check_spark_features"]) as c:
        from workbook.spark import explain_text

        spark = _spark()
        log = _small_log(3_000, seed=22)
        out = c.call(user_features_spark, spark.createDataFrame(log))
        _spark_frame(c, out, "user_features_spark")
        _columns(c, out.columns, FEATURE_COLUMNS, "the result")
        plan = explain_text(out, "simple")
        c.expect("EvalPython" not in plan,
                 "the plan runs a Python UDF (BatchEvalPython / ArrowEvalPython): every row travels to a Python "
                 "worker and back", "Use Spark's built-in functions (F.count, F.sum, F.when, F.to_date, ...).")
        got = out.select(*FEATURE_COLUMNS).toPandas()
        reference = reference_features(log)
        repeated = int(got["user_id"].duplicated().sum())
        c.require(repeated == 0, f"{plural(repeated, 'user')} appear in more than one row",
              "Group by user_id only (not by user and event type), then aggregate.")
        _report_differences(c, _differences(got, reference), len(reference), "3,000 events")
        c.note(f"{len(reference):,} users; the Spark plan shuffles "
               f"{plan.count('Exchange')} time{'s' if plan.count('Exchange') != 1 else ''}.")


# ----------------------------------------------------------------------------- Step 3 · compare

def check_count_differences(count_differences: Callable) -> None:
    """``count_differences(spark_features, reference)`` returns ``{column: users that differ}``.

    It verifies, with Spark versions of a reference table: a copy with shuffled rows and
    floating-point noise of 1e-13 gives 0 everywhere; a copy with four planted differences (a
    revenue off by 0.01, a missing avg_purchase turned into 0.0, one user dropped and one user
    added) is reported as revenue 1, avg_purchase 1, user_id 2 and 0 for every other column.
    """
    with checking(CHECK_NAMES["check_count_differences"]) as c:
        spark = _spark()
        reference = reference_features(_small_log(800, seed=23))
        noisy = reference.sample(frac=1.0, random_state=0).reset_index(drop=True)
        noisy["revenue"] = noisy["revenue"] * (1 + 1e-13)
        noisy["purchase_rate"] = noisy["purchase_rate"] * (1 - 1e-13)
        out = c.call(count_differences, spark.createDataFrame(noisy), reference.copy())
        c.require(isinstance(out, dict), f"`count_differences` should return a dict, got {kind_of(out)}",
              "Return {column: number of users whose value differs}.")
        missing = [col for col in FEATURE_COLUMNS if col not in out]
        c.require(not missing, f"the result has no entry for {', '.join(missing)}",
              "Return one entry per column of the reference, user_id included.")
        noise = {col: n for col, n in out.items() if n}
        c.expect(not noise, f"equal tables with rows in another order and 1e-13 of float noise were reported as "
                 f"different: {noise}", "Match rows by user_id (not by position), and compare floats with a "
                 "relative tolerance (np.isclose(..., rtol=1e-9, equal_nan=True)): Spark adds in another order.")

        planted = reference.copy()
        with_purchase = planted.index[planted["n_purchases"] > 0]
        without = planted.index[planted["n_purchases"] == 0]
        planted.loc[with_purchase[0], "revenue"] += 0.01
        planted.loc[without[0], "avg_purchase"] = 0.0  # NULL in one engine, 0 in the other
        dropped = planted.index[-1]
        extra = planted.iloc[[0]].assign(user_id=planted["user_id"].max() + 100)
        planted = pd.concat([planted.drop(index=dropped), extra], ignore_index=True)
        out = c.call(count_differences, spark.createDataFrame(planted), reference.copy())
        c.require(isinstance(out, dict), f"`count_differences` should return a dict, got {kind_of(out)}")
        expected = {col: 0 for col in FEATURE_COLUMNS} | {"revenue": 1, "avg_purchase": 1, "user_id": 2}
        wrong = {col: (out.get(col), n) for col, n in expected.items() if out.get(col) != n}
        for col, (got, n) in wrong.items():
            hint = {"user_id": "Count users present on only one side: an outer merge on user_id with indicator=True.",
                    "avg_purchase": "A missing value and 0.0 are different: compare with equal_nan=True, "
                                    "which treats NaN == NaN but NaN != 0.",
                    "revenue": "A revenue off by 0.01 is a real difference, far above a 1e-9 relative tolerance."
                    }.get(col, "Only the planted differences should be counted.")
            c.expect(False, f"with 4 planted differences, {col} was reported as {got}, expected {n}", hint)
        c.note(f"compared {len(reference):,} users over {len(FEATURE_COLUMNS) - 1} feature columns.")


# ----------------------------------------------------------------------------- Step 4 · dedupe

def check_dedupe(dedupe_events: Callable) -> None:
    """``dedupe_events(delivered)`` keeps one row per event_id of an at-least-once delivery.

    On 2,000 events delivered with about 8 % redelivered copies (each with its own
    ``delivered_at``) it verifies: a Spark DataFrame with the event columns, exactly one row per
    event_id, and the same events as were published (none lost, none changed).
    """
    with checking(CHECK_NAMES["check_dedupe"]) as c:
        spark = _spark()
        published = _small_log(2_000, seed=24)
        delivered, n_extra = redeliver(published, rate=0.08, seed=24)
        out = c.call(dedupe_events, spark.createDataFrame(delivered))
        _spark_frame(c, out, "dedupe_events")
        _columns(c, out.columns, EVENT_COLUMNS, "the result")
        got = out.select(*EVENT_COLUMNS).toPandas()
        removed = len(delivered) - len(got)
        repeated = int(got["event_id"].duplicated().sum())
        if removed == 0:
            c.expect(False, f"nothing was removed: {len(got):,} rows for {len(published):,} events ({n_extra} copies)",
                     "Copies differ in delivered_at, so whole-row dropDuplicates() sees no duplicates. "
                     "De-duplicate on the event's identity: dropDuplicates(['event_id']).")
        else:
            c.expect(repeated == 0, f"{plural(repeated, 'event_id')} still appear more than once",
                     "Keep exactly one row per event_id.")
        lost = len(set(published["event_id"]) - set(got["event_id"]))
        c.expect(lost == 0, f"{plural(lost, 'published event')} are missing after de-duplication",
                 "Only copies of the same event_id are duplicates; two events of one user at the same time are not.")
        if removed and not repeated and not lost:
            merged = published.merge(got, on="event_id", suffixes=("", "_got"))
            changed = sum(int((~((merged[col] == merged[f"{col}_got"])
                                 | (merged[col].isna() & merged[f"{col}_got"].isna()))).sum())
                          for col in EVENT_COLUMNS if col != "event_id")
            c.expect(changed == 0, f"{plural(changed, 'value')} differ from the published events",
                     "Keep the event's own columns as they were delivered.")
        c.note(f"{len(delivered):,} deliveries of {len(published):,} events -> {len(got):,} rows.")


# ----------------------------------------------------------------------------- Step 5 · the job

def check_idempotent_job(run_feature_job: Callable) -> None:
    """``run_feature_job(spark, raw_path, out_path)`` reads raw deliveries, writes features, returns them.

    With 1,500 events delivered with redelivered copies, written as Parquet, it verifies: the
    features read back from ``out_path`` equal the pandas reference on the *published* events;
    running the job a second time leaves the same rows (not twice as many); and running it on a
    delivery of the same events with other duplicates leaves the result unchanged.
    """
    with checking(CHECK_NAMES["check_idempotent_job"]) as c, temporary_folder("lab06-") as tmp:
        spark = _spark()
        published = _small_log(1_500, seed=25)
        reference = reference_features(published)
        first, _ = redeliver(published, rate=0.1, seed=25)
        second, _ = redeliver(published, rate=0.3, seed=26)
        raw1, raw2, out_path = tmp / "raw1.parquet", tmp / "raw2.parquet", tmp / "features"
        first.to_parquet(raw1, index=False)
        second.to_parquet(raw2, index=False)

        def stored() -> pd.DataFrame:
            return spark.read.parquet(str(out_path)).select(*FEATURE_COLUMNS).toPandas()

        out = c.call(run_feature_job, spark, str(raw1), str(out_path))
        _spark_frame(c, out, "run_feature_job")
        c.require(out_path.exists(), "nothing was written at out_path",
              "Write the features with features.write.mode('overwrite').parquet(out_path).")
        _columns(c, spark.read.parquet(str(out_path)).columns, FEATURE_COLUMNS, "the written table")
        once = stored()
        repeated = int(once["user_id"].duplicated().sum())
        c.require(repeated == 0, f"after one run, {plural(repeated, 'user')} appear in more than one row of out_path",
              "Write one row per user, and overwrite what an earlier run left there.")
        diffs = {col: n for col, n in _differences(once, reference).items() if n}
        c.expect(not diffs, f"after one run, the features differ from the pandas reference on the published "
                 f"events ({plural(len(reference), 'user')}): {diffs}",
                 "Remove redelivered copies first (dedupe_events), then compute the features."
                 if "n_events" in diffs else "Compare your features with Step 1's definitions.")

        c.call(run_feature_job, spark, str(raw1), str(out_path))
        twice = stored()
        c.expect(len(twice) == len(once), f"after running twice, out_path holds {len(twice):,} rows instead of "
                 f"{len(once):,}", "Re-running a job must not append: write with mode('overwrite').")
        c.call(run_feature_job, spark, str(raw2), str(out_path))
        other = stored()
        moved = {col: n for col, n in _differences(other.drop_duplicates("user_id"), reference).items() if n}
        c.expect(len(other) == len(reference) and not moved,
                 f"a delivery of the same events with other duplicates changed the result: "
                 f"{len(other):,} rows for {len(reference):,} users, differences {moved}",
                 "The output may depend only on which events happened, not on how often they were delivered.")
        c.note(f"{len(first):,} and {len(second):,} deliveries of {len(published):,} events -> "
               f"{len(reference):,} users, the same table every run.")
