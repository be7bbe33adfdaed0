"""Tests for workbook.tracking: seeded training repeats bit for bit, fingerprints and run records
see every change, and the local MLflow store lives where it is told."""
from __future__ import annotations

import hashlib
import os

import numpy as np
import pandas as pd
import pytest
import torch

from workbook.tracking import (
    QUIET_ENV, file_md5, fingerprint, local_mlflow, make_mlp, pip_requirements, quiet_tools, record_diff, run_record,
    seed_everything, toy_data, train_mlp,
)


@pytest.fixture(scope="module")
def data():
    return toy_data(300, seed=0)


def test_toy_data_is_standardised_and_seeded():
    """toy_data gives float32 tensors, standardised columns, 10 % positives, the same for the same seed."""
    X, y = toy_data(500, seed=1)
    assert X.dtype == torch.float32 and X.shape == (500, 8) and y.shape == (500, 1)
    assert np.allclose(X.mean(0).numpy(), 0, atol=1e-5) and int(y.sum()) == 50
    assert torch.equal(X, toy_data(500, seed=1)[0]) and not torch.equal(X, toy_data(500, seed=2)[0])


def test_same_seed_same_weights(data):
    """Two trainings with the same seed have bit-for-bit equal weights."""
    X, y = data
    assert fingerprint(train_mlp(X, y, seed=3, epochs=2)) == fingerprint(train_mlp(X, y, seed=3, epochs=2))


def test_unseeded_or_reshuffled_training_differs(data):
    """Without a seed, or with another shuffling order, the weights differ."""
    X, y = data
    base = fingerprint(train_mlp(X, y, seed=3, epochs=2))
    assert fingerprint(train_mlp(X, y, seed=None, epochs=2)) != fingerprint(train_mlp(X, y, seed=None, epochs=2))
    assert fingerprint(train_mlp(X, y, seed=3, shuffle_seed=4, epochs=2)) != base


def test_watch_is_called_with_the_model(data):
    """The watch callback receives the network before training."""
    X, y = data
    seen = []
    model = train_mlp(X, y, seed=0, epochs=1, watch=seen.append)
    assert seen == [model]


def test_fingerprint_sees_one_changed_value():
    """Changing one weight, one array entry or one DataFrame cell changes the fingerprint."""
    torch.manual_seed(0)
    net = make_mlp(4)
    before = fingerprint(net)
    with torch.no_grad():
        net[0].weight[0, 0] += 1e-6
    assert fingerprint(net) != before and len(before) == 12
    a = np.arange(6.0)
    assert fingerprint(a) == fingerprint(a.copy()) != fingerprint(a + [0, 0, 0, 0, 0, 1])
    df = pd.DataFrame({"x": [1, 2]})
    assert fingerprint(df) != fingerprint(df.assign(x=[1, 3]))


def test_file_md5_is_plain_md5(tmp_path):
    """file_md5 equals hashlib's MD5 of the bytes, the hash DVC writes into a pointer file."""
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n1,2\n")
    assert file_md5(path) == hashlib.md5(b"a,b\n1,2\n").hexdigest()
    assert fingerprint(path) == fingerprint(b"a,b\n1,2\n")


def test_run_records_differ_exactly_where_inputs_differ(tmp_path):
    """Two records with other params and other data differ in those entries only."""
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("x\n1\n")
    two.write_text("x\n2\n")
    a = run_record(params={"lr": 0.1, "seed": 0}, data=one, code=train_mlp)
    b = run_record(params={"lr": 0.2, "seed": 0}, data=two, code=train_mlp)
    assert a["environment"]["torch"] == torch.__version__ and a["code"]["function"] == "train_mlp"
    assert record_diff(a, b) == {"data.md5": (file_md5(one), file_md5(two)), "data.path": ("one.csv", "two.csv"),
                                 "params.lr": (0.1, 0.2)}
    assert record_diff(a, a) == {}


def test_pip_requirements_are_pinned():
    """pip_requirements pins the installed versions."""
    import sklearn

    assert pip_requirements() == [f"scikit-learn=={sklearn.__version__}"]
    assert pip_requirements("numpy") == [f"numpy=={np.__version__}"]


def test_quiet_tools_keeps_user_choices(monkeypatch):
    """quiet_tools sets the offline defaults but does not override a value already set."""
    for name in QUIET_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WANDB_MODE", "disabled")
    quiet_tools()
    assert os.environ["WANDB_MODE"] == "disabled" and os.environ["MLFLOW_DISABLE_TELEMETRY"] == "true"


def test_seed_everything_seeds_three_generators():
    """seed_everything makes random, NumPy and torch draws repeat."""
    import random

    seed_everything(5)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    seed_everything(5)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


def test_local_mlflow_keeps_everything_in_its_folder(tmp_path):
    """The store, the experiment's artifacts and a logged run all live under the given folder."""
    import mlflow

    previous = mlflow.get_tracking_uri()
    try:
        uri, experiment_id = local_mlflow(tmp_path / "store", "unit")
        with mlflow.start_run():
            mlflow.log_metric("m", 1.0)
            mlflow.log_text("hello", "note.txt")
        assert uri == f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
        assert local_mlflow(tmp_path / "store", "unit")[1] == experiment_id  # found, not created twice
        assert list((tmp_path / "store" / "artifacts").rglob("note.txt"))
        assert mlflow.search_runs([experiment_id])["metrics.m"].tolist() == [1.0]
    finally:
        mlflow.set_tracking_uri(previous)
