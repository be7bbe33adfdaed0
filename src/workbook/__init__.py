"""Shared code of the MLOps workbook: notebook setup, the question bank and quiz engine,
data generators and lab checks.

Importing the package makes every kernel offline-safe: MLflow telemetry is off and
Weights & Biases runs in offline mode unless the learner set otherwise.
"""
import os

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("WANDB_MODE", "offline")

from workbook._paths import REPO_ROOT, scratch_dir, shown_path  # noqa: E402
from workbook._setup import setup_notebook  # noqa: E402
from workbook._timing import best_time  # noqa: E402

__all__ = ["REPO_ROOT", "best_time", "scratch_dir", "setup_notebook", "shown_path"]
__version__ = "0.1.0"
