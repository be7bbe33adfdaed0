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
# ← [Chapter 05](../chapters/05_feature_stores.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Lab](../labs/05_feature_stores.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 05 · A feature repository for the shop's products
#
# Chapter 05 built a Feast repository for customers. Here you build one for a second entity, the
# products of the operator's online shop (phones, routers, accessories, SIM cards), and use it the
# way a stock-out model would: a point-in-time-correct training set, a split by time, an online
# store filled with explicit dates, and online features that must equal the latest offline values.
#
# Each step below asks you to write one function; the check under it tells you, with numbers,
# whether it does what the step asks. Checks build their own small repositories in temporary
# folders, so you can do the steps in any order.

# %% [markdown] tags=["solution-only"]
# This is the worked solution. The exercise is `labs/05_feature_stores.ipynb`, generated from this
# file: every region between the solution markers becomes a `...  # TODO` placeholder there.

# %% tags=["parameters"]
N_PRODUCTS = 150  # products in the shop; the full-size run uses 1_000
SEED = 0  # seeds the generated products

# %% [markdown]
# ## Setup
#
# Feast takes a few seconds to import. Then the workbook: seeds, versions, a scratch folder
# (emptied on every run) and the generated products in it.

# %%
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
from feast import Entity, FeatureService, FeatureStore, FeatureView, Field, FileSource, ValueType
from feast.types import Float64, Int64, String
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# %%
import workbook
import workbook.checks
from workbook.checks.lab05 import (
    check_definitions, check_materialize, check_online, check_repo_config, check_split, check_training_data,
)
from workbook.datasets.products import FEATURES, LABEL_DAYS, START, products
from workbook.featurestore import online_entity_counts, quiet_feast

workbook.setup_notebook("feast", "pandas", "scikit-learn", seed=SEED)
OUT = workbook.scratch_dir("05_feature_stores_lab")
shop = products(N_PRODUCTS, seed=SEED)
KEYS = ["product_id", "event_timestamp"]

# %% [markdown]
# ## The data
#
# A nightly job writes one snapshot per product per day, timestamped at the midnight that ends the
# day (`event_timestamp`) and written 15 minutes later (`created_at`). Every 7 days at 08:00 a
# model scores each product, and the label says whether it ran out of stock within the next 7 days.
# The data is synthetic (`workbook.datasets.products`).

# %%
print(f"{shop.snapshots['product_id'].nunique()} products, {len(shop.snapshots):,} snapshots from "
      f"{shop.snapshots['event_timestamp'].min().date()} to {shop.snapshots['event_timestamp'].max().date()}")
shop.snapshots.head(3)

# %%
print(f"{len(shop.labels):,} labels, {shop.labels['stockout'].mean():.1%} of them stock-outs within {LABEL_DAYS} days")
shop.labels.head(3)

# %% [markdown]
# ## Step 1 · The repository's configuration
#
# A Feast repository is a folder with a `feature_store.yaml`. Write
# `write_feature_store_yaml(repo)`: write `repo / "feature_store.yaml"` (yourself, as YAML text)
# for a repository that runs entirely on this machine, and return its path:
#
# * `project: shop`, `provider: local`;
# * the registry in a local file `data/registry.db`;
# * a `file` offline store (Parquet files) and a `sqlite` online store at `data/online.db`;
# * `entity_key_serialization_version: 3`.
#
# Keep the paths relative: Feast reads them relative to the repository, so the folder keeps working
# when it is copied or moved, and nothing in it names your machine.

# %%
def write_feature_store_yaml(repo: Path) -> Path:
    """Write repo/feature_store.yaml for a local repository (file offline, SQLite online); return its path."""
    # BEGIN SOLUTION
    path = Path(repo) / "feature_store.yaml"
    path.write_text(
        "project: shop\n"
        "registry: data/registry.db\n"
        "provider: local\n"
        "offline_store:\n"
        "  type: file\n"
        "online_store:\n"
        "  type: sqlite\n"
        "  path: data/online.db\n"
        "entity_key_serialization_version: 3\n",
        encoding="utf-8",
    )
    return path
    # END SOLUTION


check_repo_config(write_feature_store_yaml)

# %% [markdown]
# ## Step 2 · Entity, source, feature view, feature service
#
# Write `define_features(source_path)` returning `[product, product_daily, stockout_model_v1]`:
#
# * the **entity** `product`, join key `product_id`, `value_type=ValueType.INT64` (Feast 0.67
#   warns without it, and the key's type is part of what training and serving share);
# * a **FileSource** reading `source_path`, with `timestamp_field="event_timestamp"` and
#   `created_timestamp_column="created_at"`;
# * the **feature view** `product_daily` of `product`, with a **ttl** that suits daily snapshots
#   (the default, 0, means "no limit"), and the features `price` (`Float64`), `stock_units`
#   (`Int64`), `units_sold_7d` (`Int64`), `rating` (`Float64`), `category` (`String`);
# * the **feature service** `stockout_model_v1` holding the view.
#
# Remember that these classes take keyword arguments only.

# %%
def define_features(source_path: str) -> list:
    """Return [entity, feature view, feature service] for the products' daily snapshots at source_path."""
    # BEGIN SOLUTION
    product = Entity(name="product", join_keys=["product_id"], value_type=ValueType.INT64,
                     description="A product of the online shop.")
    source = FileSource(name="product_daily_source", path=source_path, timestamp_field="event_timestamp",
                        created_timestamp_column="created_at")
    product_daily = FeatureView(
        name="product_daily", entities=[product], ttl=timedelta(days=3), source=source,
        schema=[Field(name="price", dtype=Float64), Field(name="stock_units", dtype=Int64),
                Field(name="units_sold_7d", dtype=Int64), Field(name="rating", dtype=Float64),
                Field(name="category", dtype=String)],
    )
    stockout_model_v1 = FeatureService(name="stockout_model_v1", features=[product_daily])
    return [product, product_daily, stockout_model_v1]
    # END SOLUTION


check_definitions(define_features)

# %% [markdown]
# With both in place, here is the lab's repository: the configuration, the snapshots in its `data`
# folder, and the definitions applied (this cell waits until steps 1 and 2 return something).

# %%
REPO = OUT / "shop_repo"
(REPO / "data").mkdir(parents=True)
shop.snapshots.to_parquet(REPO / "data" / "product_daily.parquet", index=False)
yaml_path = write_feature_store_yaml(REPO)
definitions = define_features("data/product_daily.parquet")
store = None
if yaml_path is not None and definitions is not None:
    store = FeatureStore(repo_path=str(REPO))
    store.apply(definitions)
    print("registered:", sorted(v.name for v in store.list_feature_views()),
          sorted(s.name for s in store.list_feature_services()))
else:
    print("Finish steps 1 and 2, then run this cell again.")

# %% [markdown]
# ## Step 3 · A point-in-time-correct training set
#
# Write `training_data(store, labels)`: one row per label row, **in the labels' order**, with
# `product_id`, `event_timestamp`, `stockout` and the five features as they were known at the
# prediction time (`event_timestamp`), fetched through the feature service.
#
# Two details matter. The entity dataframe's timestamp is the prediction time, not the
# `label_timestamp` (7 days later: joining there reads the future). And Feast returns rows sorted
# by timestamp, not in the order you gave, so merge its result back onto the labels' keys.
#
# The check plants, for every label, a snapshot written one hour after the prediction with values
# no product has; a single one of them in your result means the join read the future.

# %%
def training_data(store: FeatureStore, labels: pd.DataFrame) -> pd.DataFrame:
    """Return the labels with the service's features as of each prediction time, in the labels' order."""
    # BEGIN SOLUTION
    entity_df = labels[["product_id", "event_timestamp", "stockout"]]
    service = store.get_feature_service("stockout_model_v1")
    joined = store.get_historical_features(entity_df=entity_df, features=service).to_df()
    return entity_df.merge(joined.drop(columns="stockout"), on=["product_id", "event_timestamp"], how="left")
    # END SOLUTION


check_training_data(training_data)

# %% [markdown]
# ## Step 4 · A temporal 70/15/15 split
#
# Write `temporal_split(df)` returning `(train, valid, test)`: the rows up to the 70 % quantile of
# `event_timestamp`, then up to the 85 % quantile, then the rest. Rows that share a timestamp
# must land in the same part (compare timestamps with the cut points; do not cut by row count).

# %%
def temporal_split(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Split df by event_timestamp into 70 % train, 15 % validation and 15 % test, in time order."""
    # BEGIN SOLUTION
    ts = df["event_timestamp"]
    valid_from, test_from = ts.quantile(0.70), ts.quantile(0.85)
    return df[ts <= valid_from], df[(ts > valid_from) & (ts <= test_from)], df[ts > test_from]
    # END SOLUTION


check_split(temporal_split)

# %% [markdown]
# ## Step 5 · Materialize with explicit dates
#
# Write `fill_online_store(store, start, end)`: copy the newest values of the window `[start, end]`
# into the online store, then return the end time the registry recorded for `product_daily`
# (`store.get_feature_view("product_daily").most_recent_end_time`): that is where the next
# `materialize_incremental` would start.
#
# Do not use `materialize_incremental` for this first fill: its first run starts at *wall-clock
# now* minus the ttl, long after this data, and silently copies nothing.

# %%
def fill_online_store(store: FeatureStore, start: datetime, end: datetime) -> datetime:
    """Materialize [start, end] into the online store; return the end time recorded for product_daily."""
    # BEGIN SOLUTION
    store.materialize(start_date=start, end_date=end)
    return store.get_feature_view("product_daily").most_recent_end_time
    # END SOLUTION


check_materialize(fill_online_store)

# %% [markdown]
# ## Step 6 · Serve online features
#
# Write `online_features(store, product_ids)`: one row per id, in the given order, with
# `product_id` and the five features, read from the online store through the feature service.
# An unknown id gets missing values; do not fill them.

# %%
def online_features(store: FeatureStore, product_ids: list[int]) -> pd.DataFrame:
    """Return the online features of the given products through the feature service, one row per id."""
    # BEGIN SOLUTION
    service = store.get_feature_service("stockout_model_v1")
    return store.get_online_features(entity_rows=[{"product_id": int(i)} for i in product_ids],
                                     features=service).to_df()
    # END SOLUTION


check_online(online_features)

# %% [markdown]
# ## Run it on the shop
#
# The same functions on the lab's repository: training set, split, a small model, the online store
# and the consistency check. The function stops at the first step that is not done yet, so this
# cell runs at any stage of the lab.

# %%
NUMERIC = ["price", "stock_units", "units_sold_7d", "rating"]


def run_lab(store: FeatureStore | None) -> dict | None:
    """Every step on the shop's data; None while a step still returns nothing."""
    if store is None:
        return None
    with quiet_feast():
        training = training_data(store, shop.labels)
    parts = None if training is None else temporal_split(training)
    if parts is None:
        return None
    train, valid, test = parts
    model = Pipeline([
        ("prepare", ColumnTransformer([("numeric", StandardScaler(), NUMERIC),
                                       ("category", OneHotEncoder(handle_unknown="ignore"), ["category"])])),
        ("model", LogisticRegression(class_weight="balanced", max_iter=1000)),
    ]).fit(train[NUMERIC + ["category"]], train["stockout"])
    scores = {name: roc_auc_score(part["stockout"], model.predict_proba(part[NUMERIC + ["category"]])[:, 1])
              for name, part in (("valid", valid), ("test", test))}
    with quiet_feast():
        recorded = fill_online_store(store, (START - timedelta(days=1)).to_pydatetime(), shop.now.to_pydatetime())
    if recorded is None:
        return None
    active = sorted(int(i) for i in shop.snapshots.loc[shop.snapshots["event_timestamp"] == shop.now, "product_id"])
    online = online_features(store, active)
    if online is None:
        return None
    with quiet_feast():
        offline = store.get_historical_features(
            entity_df=pd.DataFrame({"product_id": active, "event_timestamp": shop.now}),
            features=store.get_feature_service("stockout_model_v1")).to_df()
    return {"training": training, "parts": parts, "scores": scores, "recorded": recorded, "active": active,
            "online": online.set_index("product_id").loc[active, list(FEATURES)],
            "offline": offline.set_index("product_id").loc[active, list(FEATURES)]}


result = run_lab(store)
print("Finish the steps above, then run this cell again." if result is None else "lab ran")

# %% [markdown]
# The training set has one row per label, split in time:

# %%
if result is not None:
    print(f"{len(result['training']):,} training rows; " + ", ".join(
        f"{name} {len(part):,} ({part['event_timestamp'].min().date()} .. {part['event_timestamp'].max().date()})"
        for name, part in zip(("train", "valid", "test"), result["parts"])))
    print("ROC AUC: " + ", ".join(f"{name} {score:.3f}" for name, score in result["scores"].items()))

# %% [markdown]
# The online store holds every product that still had a snapshot at the end, and for each of
# them the online values equal what the offline store returns for *now*: training and serving
# read the same numbers.

# %%
if result is not None:
    print(f"online store: {online_entity_counts(store)}; next incremental run starts at {result['recorded']}")
    pd.testing.assert_frame_equal(result["online"], result["offline"], check_dtype=False)
    print(f"online equals offline for all {len(result['active'])} active products")
    display(result["online"].head(3))

# %% [markdown]
# ## Summary
#
# You built a second Feast repository end to end:
#
# * a `feature_store.yaml` with relative paths: file offline store, SQLite online store, local registry;
# * an entity with its `value_type`, a `FileSource` with both timestamps, a feature view with a ttl
#   chosen for daily snapshots, and a feature service that names the model's features;
# * a training set joined at the **prediction time**, merged back into the labels' order, with no
#   value written after a prediction (the planted snapshots proved it);
# * a split by time, with rows of the same moment kept together;
# * an online store filled with **explicit dates** (not the first `materialize_incremental`, which
#   would have copied nothing), serving values equal to the latest offline ones.
#
# Moving it to production would change the `feature_store.yaml` (Redis online, BigQuery offline)
# and the source (`BigQuerySource`), not the functions you wrote.

# %%
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 05](../chapters/05_feature_stores.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Lab](../labs/05_feature_stores.ipynb) →
# <!-- NAV END -->
