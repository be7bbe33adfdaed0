"""Reproducibility and experiment tracking: seeded training, fingerprints, run records, a local MLflow store.

Introduced in chapter 08 (experiments and reproducibility) and used by the checks of lab 08.
Everything runs offline: MLflow writes to a SQLite file and a local artifact folder, W&B runs in
offline mode, DVC collects no analytics (:func:`quiet_tools`).

    >>> X, y = toy_data(200, seed=0)
    >>> fingerprint(train_mlp(X, y, seed=0, epochs=2)) == fingerprint(train_mlp(X, y, seed=0, epochs=2))
    True
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import inspect
import logging
import os
import random
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np

__all__ = ["QUIET_ENV", "fingerprint", "file_md5", "local_mlflow", "make_mlp", "pip_requirements", "quiet_tools",
           "record_diff", "run_record", "seed_everything", "toy_data", "train_mlp"]

QUIET_ENV = {
    "MLFLOW_DISABLE_TELEMETRY": "true",  # no usage data sent by MLflow
    "WANDB_MODE": "offline",  # W&B writes runs to a local folder; `wandb sync` would upload them
    "WANDB_SILENT": "true",  # no banner or progress lines from W&B
    "DVC_NO_ANALYTICS": "1",  # no usage data sent by DVC
    "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",  # no download progress bars (they write to stderr)
}
"""Environment variables that keep the three tools offline and quiet (set unless already set)."""


def quiet_tools() -> None:
    """Set :data:`QUIET_ENV` (keeping values the user chose) and keep MLflow's and DVC's loggers to errors."""
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    for logger in ("mlflow", "alembic", "dvc"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module="sqlalchemy")
    warnings.filterwarnings("ignore", message=".*noload.*")


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and PyTorch's global generator."""
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def toy_data(n_rows: int, *, seed: int = 0, n_features: int = 8):
    """A standardised binary classification problem as float32 tensors ``(X, y)``: the fraud data of chapter 03.

    ``y`` has shape ``(n_rows, 1)``; about 10 % of the rows are positive.
    """
    import torch

    from workbook.datasets.fraud import FEATURES, LABEL, fraud_transactions

    table = fraud_transactions(n_rows, fraud_rate=0.1, seed=seed)
    X = table[list(FEATURES)[:n_features]].to_numpy(dtype="float64")
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return (torch.tensor(X, dtype=torch.float32),
            torch.tensor(table[LABEL].to_numpy(), dtype=torch.float32).reshape(-1, 1))


def make_mlp(n_features: int, hidden: int = 16):
    """A small network: Linear → ReLU → Linear, one logit out. Its initial weights come from torch's global RNG."""
    from torch import nn

    return nn.Sequential(nn.Linear(n_features, hidden), nn.ReLU(), nn.Linear(hidden, 1))


def train_mlp(X, y, *, seed: int | None, epochs: int = 5, lr: float = 0.05, batch_size: int = 64,
              hidden: int = 16, shuffle_seed: int | None = None, watch: Callable | None = None):
    """Train :func:`make_mlp` with Adam on mini-batches; with a ``seed`` the result is bit-for-bit repeatable.

    Args:
        X, y: float tensors, ``y`` of shape ``(n, 1)`` with 0/1 labels.
        seed: seeds torch's global generator (initial weights) and the DataLoader's own generator
            (shuffling order); ``None`` seeds nothing, so every call differs.
        shuffle_seed: a different seed for the shuffling order only (default: ``seed``).
        watch: called once with the model before training (for example ``run.watch``).
    """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    if seed is not None:
        torch.manual_seed(seed)
    model = make_mlp(X.shape[1], hidden)
    order_seed = seed if shuffle_seed is None else shuffle_seed
    generator = torch.Generator().manual_seed(order_seed) if order_seed is not None else None
    loader = DataLoader(TensorDataset(X, y), batch_size=batch_size, shuffle=True, generator=generator, num_workers=0)
    optimiser = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    if watch is not None:
        watch(model)
    for _ in range(epochs):
        for xb, yb in loader:
            optimiser.zero_grad()
            loss_fn(model(xb), yb).backward()
            optimiser.step()
    return model.eval()


def fingerprint(obj: object, length: int = 12) -> str:
    """A short SHA-256 of the exact bytes of a model's weights, a state dict, an array, a DataFrame or a file.

    Equal fingerprints mean bit-for-bit equal contents; one changed bit changes the fingerprint.
    """
    digest = hashlib.sha256()
    if hasattr(obj, "state_dict") and callable(obj.state_dict):
        obj = obj.state_dict()
    if isinstance(obj, Mapping):
        for name, value in obj.items():
            digest.update(str(name).encode())
            digest.update(_as_bytes(value))
    elif isinstance(obj, Path):
        digest.update(obj.read_bytes())
    else:
        digest.update(_as_bytes(obj))
    return digest.hexdigest()[:length]


def _as_bytes(value: object) -> bytes:
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().contiguous().numpy()
    if hasattr(value, "to_numpy") and hasattr(value, "columns"):  # a DataFrame
        import pandas as pd

        return pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes() + str(list(value.columns)).encode()
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value).tobytes() + str(value.dtype).encode()
    if isinstance(value, bytes):
        return value
    return repr(value).encode()


def file_md5(path: str | Path) -> str:
    """The MD5 of a file's bytes: the hash DVC writes into a ``.dvc`` pointer file for it."""
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_record(*, params: Mapping, data: str | Path, code: Callable,
               packages: Iterable[str] = ("torch", "numpy", "scikit-learn")) -> dict:
    """Everything needed to repeat a run, in one dictionary: data hash, code version, environment and parameters.

    ``code`` is the training function: its source is hashed (in a project, use the Git commit,
    ``git rev-parse HEAD``, and refuse to train from a dirty working tree).
    """
    source = inspect.getsource(code)
    return {
        "data": {"path": Path(data).name, "md5": file_md5(data), "bytes": Path(data).stat().st_size},
        "code": {"function": code.__name__, "sha256": hashlib.sha256(source.encode()).hexdigest()[:12]},
        "environment": {name: importlib.metadata.version(name) for name in packages},
        "params": dict(params),
    }


def record_diff(a: Mapping, b: Mapping, prefix: str = "") -> dict[str, tuple]:
    """The entries in which two (nested) run records differ: ``{"params.lr": (0.05, 0.1), ...}``."""
    out: dict[str, tuple] = {}
    for key in sorted(set(a) | set(b), key=str):
        left, right = a.get(key), b.get(key)
        name = f"{prefix}{key}"
        if isinstance(left, Mapping) and isinstance(right, Mapping):
            out.update(record_diff(left, right, prefix=f"{name}."))
        elif left != right:
            out[name] = (left, right)
    return out


def pip_requirements(*packages: str) -> list[str]:
    """Pinned requirements for ``mlflow.<flavor>.log_model(pip_requirements=...)``.

    Passing them skips MLflow's requirement inference, which imports the model in a subprocess to
    find the packages it needs: the slowest part of logging a model.
    """
    return [f"{name}=={importlib.metadata.version(name)}" for name in packages or ("scikit-learn",)]


def local_mlflow(folder: str | Path, experiment: str) -> tuple[str, str]:
    """Point MLflow at a SQLite tracking store and a local artifact folder inside ``folder``.

    Creates ``folder/mlflow.db`` (tracking and model registry) and ``folder/artifacts``, sets the
    tracking and registry URIs, and makes ``experiment`` the active experiment.

    Returns:
        ``(tracking_uri, experiment_id)``.
    """
    import mlflow

    quiet_tools()
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    uri = f"sqlite:///{folder / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    client = mlflow.MlflowClient(uri)
    found = client.get_experiment_by_name(experiment)
    experiment_id = (found.experiment_id if found else
                     client.create_experiment(experiment, artifact_location=(folder / "artifacts").as_uri()))
    mlflow.set_experiment(experiment_id=experiment_id)
    return uri, experiment_id
