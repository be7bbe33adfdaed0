"""Feast helpers, introduced in Chapter 05 (feature stores with Feast) and used by Lab 05's checks.

Chapter 05 builds a Feast feature repository by hand; these are the parts it then reuses:

* :func:`repo_yaml` / :func:`write_repo_config`: the ``feature_store.yaml`` of a repository for a
  chosen offline store (``file`` or ``bigquery``) and online store (``sqlite`` or ``redis``). The
  paths in it are relative to the repository, so the same text works on every machine.
* :func:`quiet_feast`: Feast prints progress lines (with colour codes and wall-clock dates) while
  materializing; this keeps them out of a notebook's output and returns them as text.
* :func:`point_in_time_join` and :func:`latest_rows`: the pandas reference for what
  ``get_historical_features`` and the online store should return, to test a feature store against.
* :func:`online_entity_counts`: how many entities each feature view has in a SQLite online store.

Importing this module does not import Feast (which takes seconds): only the functions that need it do.

>>> print(repo_yaml("shop").splitlines()[0])
project: shop
"""
from __future__ import annotations

import contextlib
import io
import logging
import re
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd

__all__ = ["latest_rows", "online_entity_counts", "point_in_time_join", "quiet_feast", "repo_yaml",
           "write_repo_config"]

ONLINE_STORES = ("sqlite", "redis")
OFFLINE_STORES = ("file", "bigquery")


def repo_yaml(project: str, *, offline: str = "file", online: str = "sqlite", redis: str = "localhost:6379",
              gcp_project: str = "my-gcp-project", bucket: str = "my-feast-bucket", dataset: str = "feast_staging",
              location: str = "EU") -> str:
    """The text of a ``feature_store.yaml``.

    Args:
        project: the Feast project name (letters, digits and underscores).
        offline: ``"file"`` (Parquet files read with Dask; local) or ``"bigquery"`` (a warehouse:
            queries run in BigQuery, and the registry moves to Cloud Storage so every job shares it).
        online: ``"sqlite"`` (one local file) or ``"redis"`` (a shared low-latency key-value server).
        redis: the Redis ``host:port`` when ``online="redis"``.
        gcp_project, bucket, dataset, location: the Google Cloud names used with ``offline="bigquery"``.

    Returns:
        YAML text. Local paths are relative to the repository folder.

    >>> "type: redis" in repo_yaml("telecom", online="redis")
    True
    """
    if offline not in OFFLINE_STORES:
        raise ValueError(f"offline must be one of {OFFLINE_STORES}, not {offline!r}")
    if online not in ONLINE_STORES:
        raise ValueError(f"online must be one of {ONLINE_STORES}, not {online!r}")
    if offline == "bigquery":
        head = [f"project: {project}", f"registry: gs://{bucket}/feast/{project}/registry.db", "provider: gcp",
                "offline_store:", "  type: bigquery", f"  project_id: {gcp_project}", f"  dataset: {dataset}",
                f"  location: {location}"]
    else:
        head = [f"project: {project}", "registry: data/registry.db", "provider: local",
                "offline_store:", "  type: file"]
    if online == "redis":
        tail = ["online_store:", "  type: redis", f"  connection_string: \"{redis}\""]
    else:
        tail = ["online_store:", "  type: sqlite", "  path: data/online.db"]
    return "\n".join([*head, *tail, "entity_key_serialization_version: 3", ""])


def write_repo_config(repo: str | Path, project: str, **backends: str) -> Path:
    """Write ``repo/feature_store.yaml`` (see :func:`repo_yaml` for the options) and create ``repo/data``.

    Returns the path of the YAML file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_repo_config(tmp, "shop").name
    'feature_store.yaml'
    """
    repo = Path(repo)
    (repo / "data").mkdir(parents=True, exist_ok=True)
    path = repo / "feature_store.yaml"
    path.write_text(repo_yaml(project, **backends), encoding="utf-8")
    return path


class _Printed:
    """What Feast printed inside :func:`quiet_feast` (``.text``), available after the block."""

    def __init__(self) -> None:
        self.text = ""


@contextlib.contextmanager
def quiet_feast() -> Iterator[_Printed]:
    """Keep Feast's progress prints and info/warning log lines out of the notebook for one block.

    ``materialize`` and ``materialize_incremental`` print a line per feature view, with colour codes
    and wall-clock dates; a notebook whose output is compared between runs cannot show them. The
    text is captured (colour codes removed) and returned; log records below ERROR from the
    ``feast`` loggers are dropped for the block, so real errors still show.

    >>> with quiet_feast() as printed:
    ...     print("Materializing 1 feature views")
    >>> printed.text
    'Materializing 1 feature views\\n'
    """
    printed = _Printed()
    buffer = io.StringIO()
    feast_logger = logging.getLogger("feast")
    level = feast_logger.level
    feast_logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stdout(buffer):
            yield printed
    finally:
        feast_logger.setLevel(level)
        printed.text = _strip_colours(buffer.getvalue())


def _strip_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def latest_rows(table: pd.DataFrame, key: str, *, until: pd.Timestamp | None = None,
                timestamp: str = "event_timestamp", created: str | None = "created_at") -> pd.DataFrame:
    """The newest row per ``key`` with ``timestamp <= until``: what an online store should serve.

    Among rows with the same key and timestamp, the one with the latest ``created`` wins (a
    restatement replaces the first version). Returns one row per key, indexed by ``key``.

    >>> t = pd.DataFrame({"id": [1, 1, 2], "event_timestamp": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-02"]),
    ...                   "created_at": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-02"]), "x": [1, 2, 3]})
    >>> latest_rows(t, "id")["x"].tolist()
    [2, 3]
    """
    rows = table if until is None else table[table[timestamp] <= until]
    order = [timestamp] + ([created] if created else [])
    rows = rows.sort_values(order, kind="stable")
    return rows.groupby(key).tail(1).set_index(key).sort_index()


def point_in_time_join(entity_df: pd.DataFrame, table: pd.DataFrame, key: str, features: list[str] | tuple[str, ...],
                       *, ttl: timedelta | pd.Timedelta | None = None, timestamp: str = "event_timestamp",
                       created: str | None = "created_at") -> pd.DataFrame:
    """A pandas reference of Feast's point-in-time join: for each entity row, the newest feature row
    of the same key with ``timestamp <= the entity row's event_timestamp`` (and not older than
    ``ttl``, when given); restated rows resolve to the latest ``created``.

    ``entity_df`` needs ``key`` and ``event_timestamp``. The result keeps every entity row, in the
    given order and with the given index; feature values are NaN where nothing qualifies.

    >>> feats = pd.DataFrame({"id": [1, 1], "event_timestamp": pd.to_datetime(["2024-01-01", "2024-01-10"]),
    ...                       "created_at": pd.to_datetime(["2024-01-01", "2024-01-10"]), "x": [1.0, 2.0]})
    >>> rows = pd.DataFrame({"id": [1, 1], "event_timestamp": pd.to_datetime(["2024-01-05", "2024-01-12"])})
    >>> point_in_time_join(rows, feats, "id", ["x"])["x"].tolist()
    [1.0, 2.0]
    """
    features = list(features)
    order = [timestamp] + ([created] if created else [])
    right = table.sort_values(order, kind="stable").drop_duplicates([key, timestamp], keep="last")
    right = right[[key, timestamp, *features]].rename(columns={timestamp: "_feature_ts"}).sort_values("_feature_ts")
    left = entity_df.reset_index(drop=True).assign(_row=range(len(entity_df)))
    left = left.sort_values("event_timestamp", kind="stable")
    joined = pd.merge_asof(left, right, left_on="event_timestamp", right_on="_feature_ts", by=key,
                           direction="backward", tolerance=None if not ttl else pd.Timedelta(ttl))
    joined = joined.sort_values("_row").drop(columns=["_row", "_feature_ts"])
    joined.index = entity_df.index
    return joined


def online_entity_counts(store) -> dict[str, int]:
    """``{feature view: entities stored}`` in a Feast store whose online store is SQLite.

    Feast keeps one SQLite table per feature view, named ``<project>_<feature view>``, with one row
    per entity key; an empty or never-materialized view counts 0.
    """
    path = Path(store.config.online_store.path)
    if not path.is_absolute():
        path = Path(store.repo_path) / path
    views = [view.name for view in store.list_feature_views()]
    if not path.exists():
        return {name: 0 for name in views}
    with contextlib.closing(sqlite3.connect(path)) as con:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {}
        for name in views:
            table = f"{store.project}_{name}"
            counts[name] = (con.execute(f'SELECT COUNT(DISTINCT entity_key) FROM "{table}"').fetchone()[0]
                            if table in tables else 0)
    return counts
