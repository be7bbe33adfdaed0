"""Checks for Lab 05 · a Feast feature repository for the shop's products.

One check per step of the lab. Each check builds its own small inputs (products from
:func:`workbook.datasets.products.products`, a Feast repository in a temporary folder with the
reference definitions of the lab), so every step can be checked on its own, in any order. The
training-data check plants snapshots written one hour *after* each prediction, with values no real
product has, so a join that reads the future is caught; the online checks compare every value with
the latest offline row. A check shows ✅, ⏳ (the step is still a placeholder) or ❌ with what is
wrong, measured, and a hint; it never raises into the notebook. Check functions return ``None``;
the verdict is kept in ``workbook.checks.RESULTS[CHECK_NAMES["check_…"]]``.

    >>> from workbook.checks.lab05 import check_split
    >>> check_split(lambda df: ...)  # doctest: +SKIP
    ⏳ Step 4 · A temporal 70/15/15 split: not done yet
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.checks._report import (
    Check, checking, kind_of, plural, temporary_folder,
)
from workbook.datasets.products import START, products
from workbook.featurestore import latest_rows, online_entity_counts, point_in_time_join, quiet_feast, write_repo_config

__all__ = [
    "CHECK_NAMES", "ENTITY", "FEATURE_DTYPES", "FEATURE_SERVICE", "FEATURE_VIEW", "JOIN_KEY", "PROJECT",
    "check_definitions", "check_materialize", "check_online", "check_repo_config", "check_split",
    "check_training_data",
]

CHECK_NAMES = {
    "check_repo_config": "Step 1 · feature_store.yaml: file offline store, SQLite online store, local registry",
    "check_definitions": "Step 2 · Entity, source, feature view and feature service",
    "check_training_data": "Step 3 · A point-in-time-correct training set",
    "check_split": "Step 4 · A temporal 70/15/15 split",
    "check_materialize": "Step 5 · Materialize with explicit dates",
    "check_online": "Step 6 · Online features equal the latest offline values",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

PROJECT = "shop"
ENTITY, JOIN_KEY = "product", "product_id"
FEATURE_VIEW, FEATURE_SERVICE = "product_daily", "stockout_model_v1"
FEATURE_DTYPES = {"price": "Float64", "stock_units": "Int64", "units_sold_7d": "Int64", "rating": "Float64",
                  "category": "String"}
"""The Feast type of each feature of ``product_daily``."""
KEYS = [JOIN_KEY, "event_timestamp"]
_SENTINEL = {"price": -1.0, "stock_units": -999, "units_sold_7d": -999, "rating": -1.0, "category": "future"}
"""Values of the planted snapshots written after each prediction: no real product has them."""


def _quiet_call(c: Check, fn: Callable, *args) -> object:
    """``c.call`` with Feast's progress prints captured and warnings recorded as failures."""
    with warnings.catch_warnings(record=True) as caught, quiet_feast():
        warnings.simplefilter("always")
        out = c.call(fn, *args)
    for warning in caught:
        if "value_type" in str(warning.message):
            c.expect(False, f"Feast warned: {warning.message}",
                     "Pass value_type=ValueType.INT64 to the Entity: the key's type is part of the shared definition.")
    return out


# ----------------------------------------------------------------------------- the reference repository

def _reference_objects(source_path: str | Path) -> list:
    """The lab's definitions, written the way the steps ask (used to check later steps on their own)."""
    from feast import Entity, FeatureService, FeatureView, Field, FileSource, ValueType
    from feast.types import Float64, Int64, String

    types = {"Float64": Float64, "Int64": Int64, "String": String}
    product = Entity(name=ENTITY, join_keys=[JOIN_KEY], value_type=ValueType.INT64)
    source = FileSource(name="product_daily_source", path=str(source_path), timestamp_field="event_timestamp",
                        created_timestamp_column="created_at")
    view = FeatureView(name=FEATURE_VIEW, entities=[product], ttl=timedelta(days=3), source=source,
                       schema=[Field(name=name, dtype=types[dtype]) for name, dtype in FEATURE_DTYPES.items()])
    return [product, view, FeatureService(name=FEATURE_SERVICE, features=[view])]


def _reference_store(folder: Path, snapshots: pd.DataFrame):
    """A Feast repository in ``folder`` holding ``snapshots``, with the reference definitions applied."""
    from feast import FeatureStore

    write_repo_config(folder, PROJECT)
    snapshots.to_parquet(folder / "data" / "product_daily.parquet", index=False)
    store = FeatureStore(repo_path=str(folder))
    with quiet_feast():
        store.apply(_reference_objects("data/product_daily.parquet"))
    return store


# ----------------------------------------------------------------------------- Step 1 · configuration

def check_repo_config(write_feature_store_yaml: Callable) -> None:
    """``write_feature_store_yaml(repo)`` writes ``repo/feature_store.yaml`` and returns its path.

    In an empty temporary folder it verifies: the file exists where Feast looks for it; Feast opens
    the repository; the project is ``shop``; the offline store is ``file``, the online store
    ``sqlite`` and the registry a local file, both inside the repository (relative paths, so the
    repository can move); and ``entity_key_serialization_version`` is 3. Finally it applies the
    lab's definitions and reads them back, proving that the registry is usable.
    """
    with checking(CHECK_NAMES["check_repo_config"]) as c, temporary_folder("lab05-") as tmp:
        repo = tmp / "repo"
        repo.mkdir()
        out = c.call(write_feature_store_yaml, repo)
        path = repo / "feature_store.yaml"
        c.require(path.exists(), f"no feature_store.yaml in the repository folder (the function returned {out!r})",
              "Write the file as repo / 'feature_store.yaml': Feast looks for exactly that name.")
        c.expect(Path(str(out)).resolve() == path.resolve(), "the function should return the path of the file it wrote",
                 "End with `return path`.")
        from feast import FeatureStore

        try:
            store = FeatureStore(repo_path=str(repo))
            config = store.config
        except Exception as exc:  # the learner's YAML is not a valid Feast configuration
            c.require(False, f"Feast could not read the file: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}",
                  "Compare your YAML with the keys in the step: project, registry, provider, offline_store, "
                  "online_store, entity_key_serialization_version.")
        c.expect(config.project == PROJECT, f"the project is {config.project!r}, expected {PROJECT!r}")
        offline = getattr(config.offline_store, "type", None)
        online = getattr(config.online_store, "type", None)
        c.expect(offline == "file", f"the offline store is {offline!r}, expected 'file'",
                 "offline_store:\n  type: file  (Parquet files read with Dask, on this machine)")
        c.expect(online == "sqlite", f"the online store is {online!r}, expected 'sqlite'",
                 "online_store:\n  type: sqlite\n  path: data/online.db")
        registry = getattr(config.registry, "path", config.registry)
        for what, value in (("registry", registry), ("online store path", getattr(config.online_store, "path", ""))):
            value = str(value)
            c.expect(not Path(value).is_absolute() and "://" not in value,
                     f"the {what} is {value!r}: use a path relative to the repository",
                     "Relative paths (data/registry.db, data/online.db) are resolved against the repository folder, "
                     "so the repository works wherever it is copied.")
        c.expect(config.entity_key_serialization_version == 3,
                 f"entity_key_serialization_version is {config.entity_key_serialization_version}, expected 3",
                 "Version 3 is the current key format; Feast warns about older ones.")
        if c.result.failures:
            return
        (repo / "data").mkdir(exist_ok=True)
        products(20, seed=1).snapshots.to_parquet(repo / "data" / "product_daily.parquet", index=False)
        with quiet_feast():
            store.apply(_reference_objects("data/product_daily.parquet"))
        names = [view.name for view in FeatureStore(repo_path=str(repo)).list_feature_views()]
        c.expect(names == [FEATURE_VIEW], f"after apply the registry lists {names}, expected [{FEATURE_VIEW!r}]")
        c.note("Feast opened the repository and registered the lab's definitions in it.")


# ----------------------------------------------------------------------------- Step 2 · definitions

def _find(objects: list, kind: str) -> list:
    return [obj for obj in objects if type(obj).__name__ == kind]


def check_definitions(define_features: Callable) -> None:
    """``define_features(source_path)`` returns ``[entity, feature_view, feature_service]`` for the products.

    It verifies: the entity ``product`` has join key ``product_id`` and ``value_type`` INT64 (no
    deprecation warning); the ``FileSource`` reads ``source_path`` with ``event_timestamp`` and
    ``created_at``; the feature view ``product_daily`` belongs to ``product``, has a ttl between 1
    and 7 days and the five features with their types; the feature service ``stockout_model_v1``
    holds the view. Then it applies the objects in a temporary repository and runs a small
    point-in-time join through the service, so the definitions are shown to work.
    """
    from feast import FeatureStore, FileSource, ValueType

    with checking(CHECK_NAMES["check_definitions"]) as c, temporary_folder("lab05-") as tmp:
        write_repo_config(tmp, PROJECT)
        data = products(20, seed=2)
        source_path = tmp / "data" / "product_daily.parquet"
        data.snapshots.to_parquet(source_path, index=False)
        out = _quiet_call(c, define_features, str(source_path))
        c.require(isinstance(out, (list, tuple)), f"`define_features` should return a list of Feast objects, got {kind_of(out)}",
              "return [product, product_daily, stockout_model_v1]")
        objects = list(out)
        kinds = {kind: _find(objects, kind) for kind in ("Entity", "FeatureView", "FeatureService")}
        missing = [kind for kind, found in kinds.items() if len(found) != 1]
        c.require(not missing, f"expected exactly one Entity, one FeatureView and one FeatureService; "
              f"got {', '.join(f'{len(kinds[k])} {k}' for k in kinds)}", "return [product, product_daily, stockout_model_v1]")
        entity, view, service = kinds["Entity"][0], kinds["FeatureView"][0], kinds["FeatureService"][0]

        c.expect(entity.name == ENTITY, f"the entity is called {entity.name!r}, expected {ENTITY!r}")
        c.expect(entity.join_key == JOIN_KEY, f"the entity's join key is {entity.join_key!r}, expected {JOIN_KEY!r}",
                 "join_keys=['product_id']: the column that identifies a product in every table.")
        c.expect(entity.value_type == ValueType.INT64, f"the entity's value_type is {entity.value_type.name}, expected INT64",
                 "Entity(..., value_type=ValueType.INT64): product ids are integers, and 0.67 warns that the type "
                 "will become mandatory.")

        c.expect(view.name == FEATURE_VIEW, f"the feature view is called {view.name!r}, expected {FEATURE_VIEW!r}")
        c.expect(list(view.entities) == [ENTITY], f"the feature view's entities are {list(view.entities)}, "
                 f"expected [{ENTITY!r}]", "FeatureView(..., entities=[product], ...)")
        ttl = view.ttl or timedelta(0)
        if ttl == timedelta(0):
            c.expect(False, "the feature view's ttl is 0 (the default): point-in-time joins then accept values of any age, "
                     "and the first materialize_incremental starts one year before the wall clock",
                     "Snapshots are daily: ttl=timedelta(days=3) tolerates two missed nightly runs.")
        else:
            c.expect(timedelta(days=1) <= ttl <= timedelta(days=7),
                     f"the ttl is {ttl}: with daily snapshots choose between 1 and 7 days",
                     "Shorter than a day loses the nightly snapshot; much longer serves stale values as if fresh.")
        source = view.batch_source
        c.require(isinstance(source, FileSource), f"the feature view's source is {kind_of(source)}, expected a FileSource")
        c.expect(Path(source.path).resolve() == source_path.resolve(),
                 f"the FileSource reads {source.path!r}, not the source_path it was given",
                 "FileSource(path=source_path, ...): use the argument, not a hard-coded path.")
        c.expect(source.timestamp_field == "event_timestamp", f"the source's timestamp_field is "
                 f"{source.timestamp_field!r}, expected 'event_timestamp'", "It is when each value became true.")
        c.expect(source.created_timestamp_column == "created_at", f"the source's created_timestamp_column is "
                 f"{source.created_timestamp_column!r}, expected 'created_at'",
                 "It tells two versions of the same snapshot apart.")
        declared = {f.name: str(f.dtype) for f in view.features}
        missing_features = [name for name in FEATURE_DTYPES if name not in declared]
        extra = [name for name in declared if name not in FEATURE_DTYPES]
        c.expect(not missing_features, f"the feature view lacks {', '.join(missing_features)}",
                 f"Declare a Field for each of {', '.join(FEATURE_DTYPES)}.")
        c.expect(not extra, f"the feature view declares unexpected features {', '.join(extra)}",
                 "Keys and timestamps are not features: leave product_id, event_timestamp and created_at out of the schema.")
        wrong = [f"{name} is {declared[name]}, expected {dtype}" for name, dtype in FEATURE_DTYPES.items()
                 if name in declared and declared[name] != dtype]
        c.expect(not wrong, f"wrong feature types: {'; '.join(wrong)}",
                 "Float64 for prices and ratings (Float32 would round the online values), Int64 for counts, String for "
                 "the category.")
        c.expect(service.name == FEATURE_SERVICE, f"the feature service is called {service.name!r}, expected {FEATURE_SERVICE!r}")
        in_service = [p.name for p in service.feature_view_projections]
        c.expect(in_service == [FEATURE_VIEW], f"the feature service holds {in_service}, expected [{FEATURE_VIEW!r}]",
                 "FeatureService(name=..., features=[product_daily]).")
        if c.result.failures:
            return
        store = FeatureStore(repo_path=str(tmp))
        with quiet_feast():
            store.apply(objects)
        rows = data.labels.head(20)[KEYS]
        got = store.get_historical_features(entity_df=rows, features=store.get_feature_service(FEATURE_SERVICE)).to_df()
        c.expect(len(got) == len(rows) and set(FEATURE_DTYPES) <= set(got.columns),
                 f"a point-in-time join through the service returned {len(got)} rows and columns {list(got.columns)}")
        c.note("Applied in a temporary repository; a point-in-time join through the service works.")


# ----------------------------------------------------------------------------- Step 3 · training data

def _planted_snapshots(data) -> pd.DataFrame:
    """The real snapshots plus one snapshot per label, written one hour after its prediction, with sentinel values."""
    future = data.labels[KEYS].copy()
    future["event_timestamp"] = future["event_timestamp"] + timedelta(hours=1)
    future["created_at"] = future["event_timestamp"] + timedelta(minutes=15)
    for name, value in _SENTINEL.items():
        future[name] = value
    columns = list(data.snapshots.columns)
    planted = pd.concat([data.snapshots, future[columns]], ignore_index=True)
    planted = planted.astype({"stock_units": "int64", "units_sold_7d": "int64"})
    return planted.sort_values(["event_timestamp", JOIN_KEY], kind="stable").reset_index(drop=True)


def _same_values(a: pd.DataFrame, b: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Per row: True where every column holds the same value (NaN equals NaN; numbers compared as numbers)."""
    same = pd.Series(True, index=a.index)
    for col in columns:
        x, y = a[col], b[col]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            equal = np.isclose(x.astype(float), y.astype(float), rtol=0, atol=1e-9) | (x.isna() & y.isna())
        else:
            equal = (x.astype(object) == y.astype(object)) | (x.isna() & y.isna())
        same &= np.asarray(equal)
    return same


def check_training_data(training_data: Callable) -> None:
    """``training_data(store, labels)`` returns the labels with the features as known at each prediction time.

    The check builds a repository for 40 products in which, for every label, a snapshot was
    written one hour *after* the prediction with values no product has (a price of -1, a category
    ``"future"``). It verifies: one row per label, in the labels' order, with the label unchanged;
    the five features present; no planted value anywhere (nothing read after the prediction); and
    every value equal to a point-in-time join computed independently in pandas (newest snapshot at
    or before the prediction time, within the 3-day ttl).
    """
    with checking(CHECK_NAMES["check_training_data"]) as c, temporary_folder("lab05-") as tmp:
        data = products(40, seed=5)
        planted = _planted_snapshots(data)
        store = _reference_store(tmp, planted)
        labels = data.labels.copy()
        with quiet_feast():
            out = c.call(training_data, store, labels.copy())
        c.require(isinstance(out, pd.DataFrame), f"`training_data` should return a DataFrame, got {kind_of(out)}")
        missing = [col for col in [*KEYS, "stockout", *FEATURE_DTYPES] if col not in out.columns]
        c.require(not missing, f"the training set has no column {', '.join(missing)}",
              "Keep the keys and the label, and request every feature of the service.")
        c.require(len(out) == len(labels), f"the training set has {len(out):,} rows, the labels {len(labels):,}",
              "One row per label: pass labels[['product_id', 'event_timestamp', 'stockout']] as the entity dataframe "
              "and do not merge on the key alone (that pairs each label with every snapshot).")
        got_keys = out[KEYS].reset_index(drop=True)
        same_order = bool((got_keys[JOIN_KEY].to_numpy() == labels[JOIN_KEY].to_numpy()).all()
                          and (pd.to_datetime(got_keys["event_timestamp"], utc=True).to_numpy()
                               == labels["event_timestamp"].to_numpy()).all())
        aligned = out.reset_index(drop=True)
        if not same_order:
            c.expect(False, "the rows are not in the labels' order",
                     "Feast returns rows sorted by timestamp. Merge its result back onto the labels: "
                     "labels[keys].merge(result, on=['product_id', 'event_timestamp'], how='left').")
            aligned = labels[KEYS].merge(out.assign(event_timestamp=pd.to_datetime(out["event_timestamp"], utc=True)),
                                         on=KEYS, how="left")
        c.expect(aligned["stockout"].to_numpy().tolist() == labels["stockout"].tolist(),
                 "the stockout labels differ from the ones given", "Carry the label column through unchanged.")
        features = list(FEATURE_DTYPES)
        sentinel_rows = pd.Series(False, index=aligned.index)
        for name, value in _SENTINEL.items():
            sentinel_rows |= aligned[name].astype(object).eq(value).to_numpy()
        c.expect(not sentinel_rows.any(),
                 f"{plural(int(sentinel_rows.sum()), 'row')} contain values from snapshots written after the prediction "
                 f"time (for example product {aligned.loc[sentinel_rows.idxmax(), JOIN_KEY] if sentinel_rows.any() else ''})",
                 "Join at the prediction time with store.get_historical_features(entity_df=..., features=service): "
                 "it only uses snapshots with event_timestamp <= the row's timestamp.")
        expected = point_in_time_join(labels[[*KEYS, "stockout"]], planted, JOIN_KEY, features, ttl=timedelta(days=3))
        matches = _same_values(aligned, expected.reset_index(drop=True), features)
        if not matches.all() and not sentinel_rows.any():
            at_label_time = point_in_time_join(labels[KEYS].assign(event_timestamp=labels["label_timestamp"]), planted,
                                               JOIN_KEY, features, ttl=timedelta(days=3)).reset_index(drop=True)
            newest = labels[[JOIN_KEY]].join(latest_rows(planted, JOIN_KEY)[features], on=JOIN_KEY).reset_index(drop=True)
            if _same_values(aligned, at_label_time, features).mean() > 0.9:
                hint = ("The values are those of the label time (label_timestamp), 7 days after the prediction. Use "
                        "event_timestamp, the prediction time, in the entity dataframe.")
            elif _same_values(aligned, newest, features).mean() > 0.9:
                hint = ("The values are each product's newest snapshot: a merge on the key alone reads the future. "
                        "Use store.get_historical_features for a point-in-time join.")
            else:
                hint = "Use store.get_historical_features(entity_df=..., features=store.get_feature_service(...))."
            c.expect(False, f"{plural(int((~matches).sum()), 'row')} of {len(matches):,} differ from a point-in-time join "
                     "(newest snapshot at or before the prediction time)", hint)
        if not c.result.failures:
            c.note(f"{len(out):,} rows; no value written after a prediction time; every value matches the reference join.")


# ----------------------------------------------------------------------------- Step 4 · split

def _split_frame() -> pd.DataFrame:
    data = products(60, seed=7)
    frame = data.labels[[*KEYS, "stockout"]].copy()
    frame["price"] = np.arange(len(frame), dtype=float)
    return frame.sample(frac=1.0, random_state=0).reset_index(drop=True)  # shuffled: order must come from time


def check_split(temporal_split: Callable) -> None:
    """``temporal_split(df)`` returns ``(train, valid, test)``: 70/15/15 of the rows by ``event_timestamp``.

    On a shuffled table of labelled rows it verifies: every row lands in exactly one part; the parts
    hold about 70 %, 15 % and 15 % (within 3 points: rows that share a timestamp stay together);
    and every training row comes before every validation row, which come before every test row.
    """
    with checking(CHECK_NAMES["check_split"]) as c:
        frame = _split_frame()
        out = c.call(temporal_split, frame.copy())
        c.require(isinstance(out, (tuple, list)) and len(out) == 3,
              f"`temporal_split` should return a tuple (train, valid, test), got {kind_of(out)}",
              "End the function with `return train, valid, test`.")
        parts = dict(zip(("train", "valid", "test"), out))
        for name, part in parts.items():
            c.require(isinstance(part, pd.DataFrame) and "event_timestamp" in part.columns,
                  f"{name} should be a DataFrame with event_timestamp, got {kind_of(part)}")
        ids = pd.concat([part["price"] for part in parts.values()])
        c.expect(len(ids) == len(frame) and ids.is_unique and set(ids) == set(frame["price"]),
                 f"the three parts hold {len(ids):,} rows ({ids.duplicated().sum()} twice) for {len(frame):,} input rows",
                 "Each row goes to exactly one part.")
        shares = {name: len(part) / len(frame) for name, part in parts.items()}
        target = {"train": 0.70, "valid": 0.15, "test": 0.15}
        off = [f"{name} {shares[name]:.1%}" for name in target if abs(shares[name] - target[name]) > 0.03]
        c.expect(not off, f"the parts are {', '.join(f'{n} {s:.1%}' for n, s in shares.items())}, expected 70/15/15",
                 "Cut at the 70 % and 85 % quantiles of event_timestamp.")
        bounds = {name: (part["event_timestamp"].min(), part["event_timestamp"].max()) for name, part in parts.items()
                  if len(part)}
        order_ok = all(name in bounds for name in parts) and bounds["train"][1] < bounds["valid"][0] \
            and bounds["valid"][1] < bounds["test"][0]
        c.expect(order_ok, "the parts overlap in time: "
                 + ", ".join(f"{n} {lo.date()}..{hi.date()}" for n, (lo, hi) in bounds.items()),
                 "Split by time, not at random: train <= 70 % quantile < valid <= 85 % quantile < test. Rows with the "
                 "same timestamp must land in the same part.")
        if not c.result.failures:
            c.note(", ".join(f"{n} {s:.1%}" for n, s in shares.items()) + "; each part starts after the previous ends.")


# ----------------------------------------------------------------------------- Steps 5-6 · online

def _to_datetime(value: pd.Timestamp) -> datetime:
    return value.to_pydatetime()


def _online_mismatches(store, snapshots: pd.DataFrame, ids: list[int], until: pd.Timestamp) -> tuple[int, int, list]:
    """(missing entities, entities with a wrong value, examples) of the online store against the latest offline rows."""
    features = list(FEATURE_DTYPES)
    online = store.get_online_features(entity_rows=[{JOIN_KEY: i} for i in ids],
                                       features=[f"{FEATURE_VIEW}:{name}" for name in features]).to_df()
    online = online.set_index(JOIN_KEY).loc[ids]
    expected = latest_rows(snapshots, JOIN_KEY, until=until)[features].reindex(ids)
    missing = online[features].isna().all(axis=1)
    same = _same_values(online[features], expected, features)
    wrong = ~same & ~missing
    examples = [f"product {i}: online {online.loc[i, 'stock_units']!r}, latest offline {expected.loc[i, 'stock_units']!r}"
                for i in online.index[wrong][:1]]
    return int(missing.sum()), int(wrong.sum()), examples


def check_materialize(fill_online_store: Callable) -> None:
    """``fill_online_store(store, start, end)`` materializes the window [start, end] into the online store
    and returns the end time the registry then records for ``product_daily``.

    On a repository of 40 products it calls the function twice, once with the end of the data and
    once with an ``end`` 30 days earlier (on fresh repositories), and verifies that every product
    with a snapshot in the window is in the online store with the values of its latest snapshot up
    to ``end``: not fewer (an empty store is the ``materialize_incremental`` trap), and not newer
    (``end`` must be respected); and that the returned time is ``end``, where the next
    ``materialize_incremental`` would start.
    """
    with checking(CHECK_NAMES["check_materialize"]) as c, temporary_folder("lab05-") as tmp:
        data = products(40, seed=6)
        start = START - timedelta(days=1)
        for n, end in enumerate((data.now, data.now - timedelta(days=30))):
            store = _reference_store(tmp / f"repo{n}", data.snapshots)
            recorded = _quiet_call(c, fill_online_store, store, _to_datetime(start), _to_datetime(end))
            in_window = data.snapshots[data.snapshots["event_timestamp"].between(start, end)]
            ids = sorted(int(i) for i in in_window[JOIN_KEY].unique())
            stored = online_entity_counts(store).get(FEATURE_VIEW, 0)
            if stored == 0:
                c.require(False, f"the online store is empty after fill_online_store(store, {start.date()}, {end.date()})",
                      "materialize_incremental's first run starts at wall-clock now minus the ttl, after this data, and "
                      "silently copies nothing. Use store.materialize(start_date=start, end_date=end).")
            missing, wrong, examples = _online_mismatches(store, data.snapshots, ids, end)
            c.expect(missing == 0, f"with end={end.date()}: {missing} of {len(ids)} products are not in the online store",
                     "Materialize the whole window you were given: start_date=start, end_date=end.")
            c.expect(wrong == 0, f"with end={end.date()}: {wrong} products have values other than their latest snapshot "
                     f"up to end ({'; '.join(examples)})", "Pass end_date=end, not the current time or a fixed date.")
            try:
                same_end = pd.Timestamp(recorded) == end
            except (TypeError, ValueError):
                same_end = False
            c.expect(same_end, f"the function returned {recorded!r}, expected the end time the registry recorded "
                     f"({end})", "return store.get_feature_view('product_daily').most_recent_end_time")
            if c.result.failures:
                return
        c.note(f"{len(ids)} products online with their latest values, for both windows.")


def check_online(online_features: Callable) -> None:
    """``online_features(store, product_ids)`` returns one row per id with the online values, in the given order.

    The check materializes a repository of 40 products itself, then asks for a few ids (one of
    them unknown) and verifies: one row per id, in order, with ``product_id`` and the five features;
    the unknown id has missing values; every other value equals the product's latest offline snapshot.
    """
    with checking(CHECK_NAMES["check_online"]) as c, temporary_folder("lab05-") as tmp:
        data = products(40, seed=8)
        store = _reference_store(tmp, data.snapshots)
        with quiet_feast():
            store.materialize(start_date=_to_datetime(START - timedelta(days=1)), end_date=_to_datetime(data.now))
        known = sorted(int(i) for i in data.snapshots[JOIN_KEY].unique())
        ids = [known[5], known[0], 99_999, known[-1]]
        with quiet_feast():
            out = c.call(online_features, store, list(ids))
        c.require(isinstance(out, pd.DataFrame), f"`online_features` should return a DataFrame, got {kind_of(out)}",
              "store.get_online_features(...).to_df()")
        missing = [col for col in [JOIN_KEY, *FEATURE_DTYPES] if col not in out.columns]
        c.require(not missing, f"the result has no column {', '.join(missing)}",
              "Ask for the feature service: features=store.get_feature_service('stockout_model_v1').")
        c.require(out[JOIN_KEY].tolist() == ids, f"the rows are for products {out[JOIN_KEY].tolist()}, expected {ids}",
              "entity_rows=[{'product_id': i} for i in product_ids] keeps the order of the ids.")
        unknown = out.set_index(JOIN_KEY).loc[99_999, list(FEATURE_DTYPES)]
        c.expect(unknown.isna().all(), "the unknown product 99999 has values", "Do not fill missing values for unknown ids.")
        features = list(FEATURE_DTYPES)
        got = out.set_index(JOIN_KEY).loc[[i for i in ids if i != 99_999], features]
        expected = latest_rows(data.snapshots, JOIN_KEY)[features].loc[got.index]
        same = _same_values(got, expected, features)
        c.expect(same.all(), f"{plural(int((~same).sum()), 'product')} differ from their latest offline snapshot",
                 "Read from the online store with get_online_features; do not recompute the features.")
        if not c.result.failures:
            c.note("Online values equal the latest offline snapshot for every known product; the unknown id is empty.")
