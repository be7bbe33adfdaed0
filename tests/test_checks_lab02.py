"""Tests for workbook.checks.lab02: correct answers pass, planted mistakes fail with a teaching
message, placeholders report "not done yet", and no check ever raises."""
from __future__ import annotations

import functools
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

from workbook.checks import FAIL
from workbook.checks import lab02
from lab_contract import LabCheckContract
from workbook.checks.testing import messages, run_check, with_options
from workbook.checks.lab02 import FEATURE_COLUMNS

# ----------------------------------------------------------------------------- reference answers


def extract_customers(path):
    with contextlib.closing(sqlite3.connect(path)) as con:
        return pd.read_sql("SELECT * FROM customers", con)


def extract_sales(path):
    return pd.read_csv(path)


def extract_events(path):
    return pd.DataFrame(json.loads(Path(path).read_text(encoding="utf-8")))


def _split_bad(raw, keys, ts_col, fmt):
    ids = {k: pd.to_numeric(raw[k], errors="coerce") for k in keys}
    ts = pd.to_datetime(raw[ts_col], format=fmt, errors="coerce")
    bad = ts.isna()
    for values in ids.values():
        bad |= values.isna()
    return ids, ts, bad


def validate_sales(raw, *, dedupe=True, keep="last", drop_bad_amounts=False, cap=True):
    ids, ts, bad = _split_bad(raw, ("sale_id", "customer_id"), "sale_ts", "%Y-%m-%d %H:%M:%S")
    quarantine = raw[bad].assign(reason="missing key or bad timestamp")
    clean = pd.DataFrame({"sale_id": ids["sale_id"][~bad].astype("int64"),
                          "customer_id": ids["customer_id"][~bad].astype("int64"),
                          "sale_ts": ts[~bad], "amount": pd.to_numeric(raw.loc[~bad, "amount"], errors="coerce")})
    clean = clean.sort_values(["sale_ts", "sale_id"], kind="stable")
    if dedupe:
        clean = clean.drop_duplicates("sale_id", keep=keep)
    if drop_bad_amounts:
        clean = clean[clean["amount"] > 0]
    clean["amount"] = clean["amount"].where(clean["amount"] > 0)
    if cap:
        clean["amount"] = clean["amount"].clip(upper=clean["amount"].quantile(0.995))
    return clean.reset_index(drop=True), quarantine


def validate_customers(raw, *, normalise=True):
    ids = pd.to_numeric(raw["customer_id"], errors="coerce")
    country = raw["country"].str.strip().str.upper() if normalise else raw["country"]
    clean = pd.DataFrame({"customer_id": ids, "signup_date": pd.to_datetime(raw["signup_date"]),
                          "country": country, "city": raw["city"]})[ids.notna()]
    clean = clean.astype({"customer_id": "int64"}).drop_duplicates("customer_id")
    return clean, raw[ids.isna()].assign(reason="missing customer_id")


def validate_events(raw, *, dedupe=True):
    ids, ts, bad = _split_bad(raw, ("event_id", "customer_id"), "event_ts", "%Y-%m-%dT%H:%M:%S")
    clean = pd.DataFrame({"event_id": ids["event_id"][~bad].astype("int64"),
                          "customer_id": ids["customer_id"][~bad].astype("int64"),
                          "event_ts": ts[~bad], "event_type": raw.loc[~bad, "event_type"]})
    if dedupe:
        clean = clean.drop_duplicates("event_id")
    return clean, raw[bad].assign(reason="missing key or bad timestamp")


def build_features(sales, customers, cutoff, obs_days, label_days, *, leak_future=False):
    start, end = cutoff - pd.Timedelta(days=obs_days), cutoff + pd.Timedelta(days=label_days)
    seen = sales[(sales["sale_ts"] > start) & ((sales["sale_ts"] <= cutoff) | leak_future)]
    future = sales[(sales["sale_ts"] > cutoff) & (sales["sale_ts"] <= end)]
    agg = seen.groupby("customer_id").agg(first=("sale_ts", "min"), last=("sale_ts", "max"),
                                          frequency=("sale_ts", "size"), monetary_sum=("amount", "sum"),
                                          monetary_mean=("amount", "mean"), monetary_max=("amount", "max"))
    day = pd.Timedelta(days=1)
    agg["recency_days"] = (cutoff - agg["last"]) / day
    agg["mean_gap_days"] = ((agg["last"] - agg["first"]) / day / (agg["frequency"] - 1)).where(agg["frequency"] > 1)
    feats = customers[customers["signup_date"] <= cutoff].merge(agg, left_on="customer_id", right_index=True, how="left")
    feats["frequency"] = feats["frequency"].fillna(0).astype("int64")
    feats["monetary_sum"] = feats["monetary_sum"].fillna(0.0)
    feats["tenure_days"] = (cutoff - feats["signup_date"]).dt.days
    feats["churn"] = (~feats["customer_id"].isin(future["customer_id"])).astype("int64")
    return feats[list(FEATURE_COLUMNS)].reset_index(drop=True)


def save_outputs(features, folder, metadata, *, skip_column=None, csv_index=False):
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    features.to_csv(folder / "features.csv", index=csv_index)
    features.to_parquet(folder / "features.parquet", index=False)
    features.to_json(folder / "features.json", orient="records")
    cutoff = pd.Timestamp(metadata["cutoff"])
    docs = {
        "data_dictionary.json": {col: f"about {col}" for col in features.columns if col != skip_column},
        "run_metadata.json": {**metadata, "n_rows": len(features), "created_at": datetime.now(timezone.utc).isoformat()},
        "qa_report.json": {
            "n_customers": int(features["customer_id"].nunique()), "churn_rate": float(features["churn"].mean()),
            "obs_window": [str((cutoff - pd.Timedelta(days=metadata["obs_days"])).date()), str(cutoff.date())],
            "label_window": [str(cutoff.date()), str((cutoff + pd.Timedelta(days=metadata["label_days"])).date())],
            "missing_values": {col: int(n) for col, n in features.isna().sum().items()},
        },
    }
    for name, doc in docs.items():
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")
    return {name: folder / name for name in docs}


def load_raw_features(parquet_path, warehouse_path, *, append=False, impute=False):
    df = pd.read_parquet(parquet_path)
    if impute:
        df = df.fillna(df.mean(numeric_only=True))
    with duckdb.connect(str(warehouse_path)) as con:
        if append:
            con.execute("CREATE TABLE IF NOT EXISTS raw_features AS SELECT * FROM df LIMIT 0")
            con.execute("INSERT INTO raw_features SELECT * FROM df")
        else:
            con.execute("CREATE OR REPLACE TABLE raw_features AS SELECT * FROM df")
        return con.table("raw_features").df()


def split_train_valid(df, seed, *, stratify=True, fixed_seed=None):
    return train_test_split(df, test_size=0.2, stratify=df["churn"] if stratify else None,
                            random_state=seed if fixed_seed is None else fixed_seed)


def transform_for_training(df, seed, *, fit_on_all=False, fix_none=True, keep_label=False):
    X = df.drop(columns=["customer_id"] + ([] if keep_label else ["churn"]))
    numeric = X.select_dtypes("number").columns.tolist()
    categorical = X.columns.difference(numeric, sort=False).tolist()
    if fix_none:
        X[categorical] = X[categorical].fillna(np.nan)
    train, valid = split_train_valid(df, seed)
    pre = ColumnTransformer([
        ("numeric", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]), numeric),
        ("categorical", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                                  ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]), categorical),
    ]).set_output(transform="pandas")
    pre.fit(X if fit_on_all else X.loc[train.index])
    return (pre.transform(X.loc[train.index]).assign(churn=train["churn"]),
            pre.transform(X.loc[valid.index]).assign(churn=valid["churn"]), pre)


# ----------------------------------------------------------------------------- helpers


run = functools.partial(run_check, lab02)


CORRECT = {
    "check_extract": (extract_customers, extract_sales, extract_events),
    "check_validate_sales": (validate_sales,),
    "check_validate_customers": (validate_customers,),
    "check_validate_events": (validate_events,),
    "check_features": (build_features,),
    "check_outputs": (save_outputs,),
    "check_load_raw": (load_raw_features,),
    "check_split": (split_train_valid,),
    "check_preprocessing": (transform_for_training,),
}

# ----------------------------------------------------------------------------- every check


class TestContract(LabCheckContract):
    lab = lab02
    correct = CORRECT


# ----------------------------------------------------------------------------- planted mistakes


def test_extract_that_drops_rows_fails():
    """An extractor that drops duplicates while reading is told how many rows are missing."""
    result = run("check_extract", extract_customers, lambda p: pd.read_csv(p).drop_duplicates(), extract_events)
    assert result.status == FAIL
    assert "rows are missing" not in messages(result)  # counts are stated, not vaguely
    assert "but sales.csv holds" in messages(result) and "missing)" in messages(result)


def test_duplicates_left_in_fail():
    """Sales validated without deduplication report the remaining duplicate sale_ids."""
    result = run("check_validate_sales", with_options(validate_sales, dedupe=False))
    assert result.status == FAIL
    assert "duplicate sale_ids remain" in messages(result)


def test_keeping_the_older_resend_fails():
    """Keeping the first copy of a re-sent sale is reported as keeping an older timestamp."""
    result = run("check_validate_sales", with_options(validate_sales, keep="first"))
    assert result.status == FAIL
    assert "re-sent sales kept an older sale_ts" in messages(result)


def test_dropping_sales_with_bad_amounts_fails():
    """Dropping sales with a bad amount (instead of setting NaN) loses rows, and the check counts them."""
    result = run("check_validate_sales", with_options(validate_sales, drop_bad_amounts=True))
    assert result.status == FAIL
    assert "too few" in messages(result)


def test_uncapped_outliers_fail():
    """Extreme amounts that were not capped are counted against the 99.5th percentile."""
    result = run("check_validate_sales", with_options(validate_sales, cap=False))
    assert result.status == FAIL
    assert "above the 99.5th percentile" in messages(result)


def test_validate_sales_that_modifies_its_input_fails():
    """Changing the raw DataFrame in place is reported."""
    def in_place(raw):
        clean, quarantine = validate_sales(raw)
        raw.drop(index=raw.index[:3], inplace=True)
        return clean, quarantine
    result = run("check_validate_sales", in_place)
    assert "changed the DataFrame it was given" in messages(result)


def test_unnormalised_countries_fail():
    """Country codes left as ' de' or 'Fr ' are reported with examples."""
    result = run("check_validate_customers", with_options(validate_customers, normalise=False))
    assert result.status == FAIL
    assert "country values not one of" in messages(result)


def test_duplicate_events_fail():
    """Events validated without deduplication report the remaining duplicate event_ids."""
    result = run("check_validate_events", with_options(validate_events, dedupe=False))
    assert result.status == FAIL
    assert "duplicate event_ids remain" in messages(result)


def test_features_using_sales_after_the_cutoff_fail():
    """Features computed with post-cutoff sales are caught by the perturbation probe, naming the columns."""
    result = run("check_features", with_options(build_features, leak_future=True))
    assert result.status == FAIL
    text = messages(result)
    assert "a feature uses sales after the cutoff:" in text
    assert "frequency" in text and "changed when we added a sale 5 days after the cutoff" in text


def test_features_for_customers_who_did_not_exist_fail():
    """A row for a customer who signed up after the cutoff is reported."""
    def everyone(sales, customers, cutoff, obs_days, label_days):
        late = customers["signup_date"] > cutoff
        shifted = customers.assign(signup_date=customers["signup_date"].where(~late, cutoff))
        return build_features(sales, shifted, cutoff, obs_days, label_days)
    result = run("check_features", everyone)
    assert "customer 5 has a row but signed up on 2024-07-15, after the cutoff" in messages(result)


def test_features_with_a_wrong_definition_fail_with_values():
    """A wrongly defined feature is reported with the customer, the value found and the value expected."""
    def gaps_wrong(*args):
        feats = build_features(*args)
        return feats.assign(mean_gap_days=feats["mean_gap_days"].fillna(0.0))
    result = run("check_features", gaps_wrong)
    assert "mean_gap_days is wrong for 2 customers: customer 2 has 0, expected NaN" in messages(result)


def test_dictionary_missing_a_column_fails():
    """A data dictionary that skips a column names that column."""
    result = run("check_outputs", with_options(save_outputs, skip_column="churn"))
    assert result.status == FAIL
    assert "the data dictionary does not describe: churn" in messages(result)


def test_csv_with_index_fails():
    """A CSV written with the index is reported as having an extra unnamed column."""
    result = run("check_outputs", with_options(save_outputs, csv_index=True))
    assert "extra unnamed column" in messages(result)


def test_appending_loads_fail():
    """A load that appends instead of replacing doubles the rows on a re-run, and the check says so."""
    result = run("check_load_raw", with_options(load_raw_features, append=True))
    assert result.status == FAIL
    assert "after loading twice raw_features has 600 rows, expected 300" in messages(result)


def test_imputing_while_loading_fails():
    """Filling gaps during the ELT load is reported as changed missing values."""
    result = run("check_load_raw", with_options(load_raw_features, impute=True))
    assert "missing values changed on loading" in messages(result)


def test_ignoring_the_seed_fails():
    """A split with a hard-coded random_state gives the same split for different seeds."""
    result = run("check_split", with_options(split_train_valid, fixed_seed=42))
    assert "seed=0 and seed=1 gave the same split" in messages(result)


def test_unstratified_split_fails():
    """An unstratified split whose churn rates drift apart is reported with both rates."""
    result = run("check_split", with_options(split_train_valid, stratify=False))
    assert result.status == FAIL
    assert "points apart" in messages(result)


def test_preprocessor_fitted_on_all_rows_fails():
    """Fitting on train+valid is detected from the scaler's and the imputer's statistics."""
    result = run("check_preprocessing", with_options(transform_for_training, fit_on_all=True))
    assert result.status == FAIL
    text = messages(result)
    assert "the scaler was fitted on all rows: its mean of recency_days" in text
    assert "equals the mean over train+valid, not the training mean" in text
    assert "the imputer was fitted on all rows" in text


def test_none_categories_fail():
    """Leaving None in text columns makes the encoder learn a missing-value category, which is reported."""
    result = run("check_preprocessing", with_options(transform_for_training, fix_none=False))
    assert "learned a category for missing values: categorical__city_None" in messages(result)


def test_label_as_a_feature_fails():
    """Feeding churn into the preprocessor is reported as label leakage."""
    result = run("check_preprocessing", with_options(transform_for_training, keep_label=True))
    assert "the label leaks into the features" in messages(result)
