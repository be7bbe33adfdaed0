"""Tests for workbook.featurestore: repository YAML, quiet Feast, and the pandas references for Feast's joins."""
from __future__ import annotations

import logging
import sys
from datetime import timedelta

import pandas as pd
import pytest
import yaml

from workbook.featurestore import (
    latest_rows, online_entity_counts, point_in_time_join, quiet_feast, repo_yaml, write_repo_config,
)

TS = pd.to_datetime


def test_importing_the_module_does_not_import_feast():
    """The helpers load without Feast, whose import takes seconds."""
    import subprocess

    code = "import sys, workbook.featurestore; print('feast' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_local_yaml_has_relative_paths():
    """The default repository is local: file offline store, SQLite online store, paths inside the repository."""
    config = yaml.safe_load(repo_yaml("telecom"))
    assert config == {
        "project": "telecom", "registry": "data/registry.db", "provider": "local",
        "offline_store": {"type": "file"}, "online_store": {"type": "sqlite", "path": "data/online.db"},
        "entity_key_serialization_version": 3,
    }


def test_redis_changes_only_the_online_store():
    """Switching to Redis changes the online_store block and nothing else."""
    local, redis = yaml.safe_load(repo_yaml("t")), yaml.safe_load(repo_yaml("t", online="redis", redis="cache:6379"))
    assert redis["online_store"] == {"type": "redis", "connection_string": "cache:6379"}
    assert {k: v for k, v in redis.items() if k != "online_store"} == {k: v for k, v in local.items() if k != "online_store"}


def test_bigquery_moves_registry_and_offline_store_to_google_cloud():
    """A BigQuery offline store uses the gcp provider and a registry in Cloud Storage."""
    config = yaml.safe_load(repo_yaml("t", offline="bigquery", gcp_project="p", bucket="b", dataset="d"))
    assert config["provider"] == "gcp" and config["registry"] == "gs://b/feast/t/registry.db"
    assert config["offline_store"] == {"type": "bigquery", "project_id": "p", "dataset": "d", "location": "EU"}


def test_unknown_backends_are_refused():
    """An unknown store type raises a ValueError listing the choices."""
    with pytest.raises(ValueError, match="online must be one of"):
        repo_yaml("t", online="dynamodb")
    with pytest.raises(ValueError, match="offline must be one of"):
        repo_yaml("t", offline="snowflake")


def test_write_repo_config_creates_the_data_folder(tmp_path):
    """write_repo_config writes feature_store.yaml and creates data/ beside it."""
    path = write_repo_config(tmp_path / "repo", "shop")
    assert path == tmp_path / "repo" / "feature_store.yaml" and (tmp_path / "repo" / "data").is_dir()
    assert yaml.safe_load(path.read_text())["project"] == "shop"


def test_quiet_feast_captures_prints_without_colours_and_restores_logging():
    """Prints inside the block are captured without ANSI colours; the feast logger's level is restored."""
    logger = logging.getLogger("feast")
    before = logger.level
    with quiet_feast() as printed:
        print("\x1b[1m\x1b[32mproduct_daily\x1b[0m:")
        assert logger.level == logging.ERROR
    assert printed.text == "product_daily:\n"
    assert logger.level == before


def _snapshots() -> pd.DataFrame:
    return pd.DataFrame({
        "id": [1, 1, 1, 1, 2],
        "event_timestamp": TS(["2024-01-01", "2024-01-08", "2024-01-08", "2024-01-15", "2024-01-02"], utc=True),
        "created_at": TS(["2024-01-01", "2024-01-08", "2024-01-11", "2024-01-15", "2024-01-02"], utc=True),
        "x": [1.0, 2.0, 2.5, 3.0, 9.0],
    })


def test_latest_rows_prefers_the_newest_version():
    """latest_rows returns the newest snapshot per key, and among equal timestamps the latest created."""
    latest = latest_rows(_snapshots(), "id", until=TS("2024-01-10", utc=True))
    assert latest["x"].to_dict() == {1: 2.5, 2: 9.0}


def test_point_in_time_join_never_looks_ahead_and_respects_the_ttl():
    """Each row gets the newest value at or before its time, restatements resolved, nothing older than the ttl."""
    rows = pd.DataFrame({"id": [1, 1, 2, 1, 3],
                         "event_timestamp": TS(["2024-01-09", "2024-01-15", "2024-01-20", "2023-12-31", "2024-01-09"],
                                               utc=True)},
                        index=[10, 11, 12, 13, 14])
    joined = point_in_time_join(rows, _snapshots(), "id", ["x"], ttl=timedelta(days=7))
    assert joined.index.tolist() == [10, 11, 12, 13, 14]
    assert joined["x"].tolist()[:2] == [2.5, 3.0]
    assert joined["x"].iloc[2:].isna().all()  # 18 days old, before any snapshot, unknown id
    without_ttl = point_in_time_join(rows, _snapshots(), "id", ["x"])
    assert without_ttl.loc[12, "x"] == 9.0


def test_online_entity_counts_reads_the_sqlite_store(tmp_path):
    """Counts are 0 before materializing and the number of entities afterwards."""
    from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
    from feast.types import Float64

    write_repo_config(tmp_path, "t")
    _snapshots().to_parquet(tmp_path / "data" / "x.parquet", index=False)
    entity = Entity(name="thing", join_keys=["id"], value_type=ValueType.INT64)
    view = FeatureView(name="things", entities=[entity], ttl=timedelta(days=7), schema=[Field(name="x", dtype=Float64)],
                       source=FileSource(path="data/x.parquet", timestamp_field="event_timestamp",
                                         created_timestamp_column="created_at"))
    store = FeatureStore(repo_path=str(tmp_path))
    store.apply([entity, view])
    assert online_entity_counts(store) == {"things": 0}
    with quiet_feast():
        store.materialize(start_date=TS("2023-12-01", utc=True).to_pydatetime(),
                          end_date=TS("2024-02-01", utc=True).to_pydatetime())
    assert online_entity_counts(store) == {"things": 2}
