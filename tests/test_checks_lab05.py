"""Tests for workbook.checks.lab05: correct answers pass, planted mistakes fail with a teaching
message, placeholders report "not done yet", and no check ever raises."""
from __future__ import annotations

import functools
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
from feast import Entity, FeatureService, FeatureView, Field, FileSource, ValueType
from feast.types import Float32, Float64, Int64, String

from workbook.checks import FAIL
from workbook.checks import lab05
from lab_contract import LabCheckContract
from workbook.checks.testing import messages as _messages, run_check, with_options

KEYS = ["product_id", "event_timestamp"]

# ----------------------------------------------------------------------------- reference answers


def write_feature_store_yaml(repo, *, online="sqlite", absolute=False, name="feature_store.yaml"):
    repo = Path(repo)
    data = f"{repo.resolve()}/data" if absolute else "data"
    online_block = f"  type: sqlite\n  path: {data}/online.db\n" if online == "sqlite" else \
        "  type: redis\n  connection_string: localhost:6379\n"
    path = repo / name
    path.write_text(f"project: shop\nregistry: {data}/registry.db\nprovider: local\noffline_store:\n  type: file\n"
                    f"online_store:\n{online_block}entity_key_serialization_version: 3\n")
    return path


def define_features(source_path, *, value_type=True, ttl=timedelta(days=3), price_type=Float64, path=None):
    product = Entity(name="product", join_keys=["product_id"],
                     **({"value_type": ValueType.INT64} if value_type else {}))
    source = FileSource(name="product_daily_source", path=path or source_path, timestamp_field="event_timestamp",
                        created_timestamp_column="created_at")
    options = {} if ttl is None else {"ttl": ttl}
    view = FeatureView(name="product_daily", entities=[product], source=source, **options,
                       schema=[Field(name="price", dtype=price_type), Field(name="stock_units", dtype=Int64),
                               Field(name="units_sold_7d", dtype=Int64), Field(name="rating", dtype=Float64),
                               Field(name="category", dtype=String)])
    return [product, view, FeatureService(name="stockout_model_v1", features=[view])]


def training_data(store, labels, *, how="feast", keep_feast_order=False):
    features = ["price", "stock_units", "units_sold_7d", "rating", "category"]
    service = store.get_feature_service("stockout_model_v1")
    entity_df = labels[[*KEYS, "stockout"]]
    if how == "feast":
        joined = store.get_historical_features(entity_df=entity_df, features=service).to_df()
        if keep_feast_order:
            return joined
        return entity_df.merge(joined.drop(columns="stockout"), on=KEYS, how="left")
    if how == "label_time":
        at_label = entity_df.assign(event_timestamp=labels["label_timestamp"])
        joined = store.get_historical_features(entity_df=at_label, features=service).to_df()
        return at_label.merge(joined.drop(columns="stockout"), on=KEYS, how="left").assign(
            event_timestamp=labels["event_timestamp"].to_numpy())
    snapshots = pd.read_parquet(Path(store.repo_path) / "data" / "product_daily.parquet")
    if how == "newest":
        newest = snapshots.sort_values("event_timestamp").groupby("product_id").tail(1)
        return entity_df.merge(newest[["product_id", *features]], on="product_id", how="left")
    if how == "forward":
        merged = pd.merge_asof(entity_df.sort_values("event_timestamp"),
                               snapshots.sort_values("event_timestamp")[["product_id", "event_timestamp", *features]],
                               on="event_timestamp", by="product_id", direction="forward")
        return entity_df[KEYS].merge(merged, on=KEYS, how="left")
    raise ValueError(how)


def temporal_split(df, *, how="quantile", shares=(0.70, 0.85)):
    if how == "random":
        shuffled = df.sample(frac=1.0, random_state=1)
        n = len(df)
        return shuffled.iloc[:int(0.7 * n)], shuffled.iloc[int(0.7 * n):int(0.85 * n)], shuffled.iloc[int(0.85 * n):]
    if how == "positions":
        ordered = df.sort_values("event_timestamp")
        n = len(df)
        return ordered.iloc[:int(0.7 * n)], ordered.iloc[int(0.7 * n):int(0.85 * n)], ordered.iloc[int(0.85 * n):]
    ts = df["event_timestamp"]
    a, b = ts.quantile(shares[0]), ts.quantile(shares[1])
    return df[ts <= a], df[(ts > a) & (ts <= b)], df[ts > b]


def fill_online_store(store, start, end, *, how="explicit"):
    if how == "incremental":
        store.materialize_incremental(end_date=end)
    elif how == "fixed_end":
        store.materialize(start_date=start, end_date=datetime(2024, 12, 31, tzinfo=timezone.utc))
    elif how == "one_day":
        store.materialize(start_date=end - timedelta(days=1), end_date=end)
    else:
        store.materialize(start_date=start, end_date=end)
    return store.get_feature_view("product_daily").most_recent_end_time


def online_features(store, product_ids, *, sort=False, fill=False):
    ids = sorted(product_ids) if sort else product_ids
    out = store.get_online_features(entity_rows=[{"product_id": int(i)} for i in ids],
                                    features=store.get_feature_service("stockout_model_v1")).to_df()
    return out.fillna(0) if fill else out


# ----------------------------------------------------------------------------- helpers


run = functools.partial(run_check, lab05)


def messages(result):
    return _messages(result, hints=True)


CORRECT = {
    "check_repo_config": write_feature_store_yaml,
    "check_definitions": define_features,
    "check_training_data": training_data,
    "check_split": temporal_split,
    "check_materialize": fill_online_store,
    "check_online": online_features,
}

# ----------------------------------------------------------------------------- every check


class TestContract(LabCheckContract):
    lab = lab05
    correct = {name: (answer,) for name, answer in CORRECT.items()}


# ----------------------------------------------------------------------------- planted mistakes


def test_redis_instead_of_sqlite_fails():
    """A configuration with a Redis online store is told that the lab's online store is SQLite."""
    result = run("check_repo_config", with_options(write_feature_store_yaml, online="redis"))
    assert result.status == FAIL
    assert "the online store is 'redis', expected 'sqlite'" in messages(result)


def test_absolute_paths_fail():
    """Absolute registry and online-store paths are reported: they tie the repository to one machine."""
    result = run("check_repo_config", with_options(write_feature_store_yaml, absolute=True))
    assert "use a path relative to the repository" in messages(result)


def test_yaml_under_another_name_fails():
    """A file Feast does not look for is reported as missing."""
    result = run("check_repo_config", with_options(write_feature_store_yaml, name="feast.yaml"))
    assert "no feature_store.yaml in the repository folder" in messages(result)


def test_missing_value_type_fails_with_feasts_warning(capsys):
    """An entity without value_type fails, quoting Feast's deprecation warning, and nothing is printed to stderr."""
    result = run("check_definitions", with_options(define_features, value_type=False))
    assert capsys.readouterr().err == ""
    assert result.status == FAIL
    text = messages(result)
    assert "Feast warned: Entity value_type will be mandatory" in text and "expected INT64" in text


def test_default_ttl_fails():
    """A feature view without a ttl is told what a ttl of 0 means."""
    result = run("check_definitions", with_options(define_features, ttl=None))
    assert "the feature view's ttl is 0 (the default)" in messages(result)


def test_float32_price_fails():
    """Declaring the price Float32 is reported as a wrong feature type."""
    result = run("check_definitions", with_options(define_features, price_type=Float32))
    assert "wrong feature types: price is Float32, expected Float64" in messages(result)


def test_hard_coded_source_path_fails():
    """A FileSource that ignores source_path is reported."""
    result = run("check_definitions", with_options(define_features, path="/somewhere/else.parquet"))
    assert "not the source_path it was given" in messages(result)


def test_newest_snapshot_merge_fails():
    """Joining each label to its product's newest snapshot is caught as a leak, with a point-in-time hint."""
    result = run("check_training_data", with_options(training_data, how="newest"))
    assert result.status == FAIL
    assert "differ from a point-in-time join" in messages(result)
    assert "newest snapshot: a merge on the key alone reads the future" in messages(result)


def test_forward_join_reads_the_planted_future_values():
    """A join that looks forward in time picks up the planted snapshots written after each prediction."""
    result = run("check_training_data", with_options(training_data, how="forward"))
    assert "contain values from snapshots written after the prediction time" in messages(result)


def test_join_at_label_time_fails():
    """Using label_timestamp as the join time is recognised and named."""
    result = run("check_training_data", with_options(training_data, how="label_time"))
    assert "The values are those of the label time (label_timestamp)" in messages(result)


def test_feast_row_order_fails():
    """Returning Feast's result as it comes (sorted by time) is reported as out of the labels' order."""
    result = run("check_training_data", with_options(training_data, keep_feast_order=True))
    assert "the rows are not in the labels' order" in messages(result)


def test_random_split_fails():
    """A random split is reported as overlapping in time."""
    result = run("check_split", with_options(temporal_split, how="random"))
    assert "the parts overlap in time" in messages(result)


def test_split_by_row_position_separates_equal_timestamps():
    """Cutting a sorted table by row count puts rows of the same moment on both sides, which is reported."""
    result = run("check_split", with_options(temporal_split, how="positions"))
    assert "Rows with the same timestamp must land in the same part" in messages(result)


def test_wrong_proportions_fail():
    """An 80/10/10 split is reported with its shares."""
    result = run("check_split", with_options(temporal_split, shares=(0.80, 0.90)))
    assert "expected 70/15/15" in messages(result)


def test_first_materialize_incremental_leaves_the_store_empty():
    """materialize_incremental on a fresh repository copies nothing, and the check explains the trap."""
    result = run("check_materialize", with_options(fill_online_store, how="incremental"))
    assert result.status == FAIL
    assert "the online store is empty" in messages(result) and "wall-clock now minus the ttl" in messages(result)


def test_ignoring_end_fails():
    """Materializing up to a fixed date instead of `end` serves values newer than end."""
    result = run("check_materialize", with_options(fill_online_store, how="fixed_end"))
    assert "values other than their latest snapshot up to end" in messages(result)


def test_too_short_window_misses_products():
    """Materializing only the last day misses the products whose newest snapshot is older."""
    result = run("check_materialize", with_options(fill_online_store, how="one_day"))
    assert "products are not in the online store" in messages(result)


def test_online_rows_in_another_order_fail():
    """Rows returned in sorted rather than requested order are reported."""
    result = run("check_online", with_options(online_features, sort=True))
    assert "the rows are for products" in messages(result)


def test_filled_unknown_ids_fail():
    """Filling the unknown product's missing values is reported."""
    result = run("check_online", with_options(online_features, fill=True))
    assert "the unknown product 99999 has values" in messages(result)
