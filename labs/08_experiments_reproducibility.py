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
# ← [Chapter 08](../chapters/08_experiments_reproducibility.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/08_experiments_reproducibility.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 08 · Reproducible experiments
#
# The fraud team of chapter 08 wants every model it ships to be traceable: trained by code that
# gives the same weights for the same seed, compared with its alternatives in an experiment
# tracker, chosen by a metric, registered, and deployable by an alias. You build the four pieces.
# Each check runs your function on its own data and in its own throw-away MLflow store, then reads
# back what your code did.

# %% tags=["parameters"]
N_ROWS = 2000  # rows of the fraud data; the full-size run uses 20_000
SEED = 0  # seeds the data and the split

# %% [markdown]
# ## Setup

# %%
import contextlib
import io

import mlflow
import mlflow.sklearn
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

import workbook
import workbook.checks
from workbook.checks.lab08 import ALIAS, GRID, check_champion, check_reproduce_metric, check_reproducible, check_sweep
from workbook.tracking import fingerprint, local_mlflow, make_mlp, pip_requirements, quiet_tools, toy_data

quiet_tools()  # MLflow and W&B offline and quiet
torch.set_num_threads(1)
VERSIONS = workbook.setup_notebook("torch", "mlflow", "scikit-learn", seed=SEED)
SCRATCH = workbook.scratch_dir("08_experiments_reproducibility_lab")

X, y = toy_data(N_ROWS, seed=SEED)
SPLIT = train_test_split(X.numpy(), y.ravel().numpy(), test_size=0.3, random_state=SEED, stratify=y.ravel().numpy())
print(f"{len(X):,} transactions, {int(y.sum()):,} frauds; split into {len(SPLIT[0]):,} training and "
      f"{len(SPLIT[1]):,} validation rows")

# %% [markdown]
# ## Step 1 · A training function that repeats itself
#
# Write `train_model(X, y, seed)`: build `make_mlp(X.shape[1])`, train it for 3 epochs with Adam
# (`lr=0.05`) and `BCEWithLogitsLoss` on shuffled mini-batches of 64 rows, and return it. Two calls
# with the same seed must give **bit-for-bit** the same weights, whatever happened to the random
# generators in between; another seed must give other weights. (Which two random draws does a
# training run make? Seed both, from `seed`.)

# %%
def train_model(X: torch.Tensor, y: torch.Tensor, seed: int) -> torch.nn.Module:
    """Train make_mlp on (X, y) for 3 epochs; the same seed always gives the same weights."""
    ...  # TODO: your code here


check_reproducible(train_model)

# %% [markdown]
# The fingerprint of your weights on this notebook's data, twice:

# %%
model = train_model(X, y, SEED)
if model is not None:
    print(fingerprint(model), fingerprint(train_model(X, y, SEED)))

# %% [markdown]
# ## Step 2 · Log a sweep to MLflow
#
# Write `log_sweep(tracking_uri, experiment, split, grid)`. `split` is
# `(X_train, X_valid, y_train, y_valid)` and `grid` a list of parameter dictionaries such as
# `{"C": 0.01}`. Point MLflow at `tracking_uri`, use the experiment named `experiment`, and for
# each dictionary open **one run** that fits `LogisticRegression(**params, max_iter=1000)` on the
# training rows and logs:
#
# * the parameters (`mlflow.log_params`);
# * the metric `valid_auc`, the ROC AUC on the validation rows;
# * the model, with `mlflow.sklearn.log_model(model, name="model", pip_requirements=pip_requirements())`
#   (the requirements spare MLflow a slow inference).
#
# Return the list of run ids.

# %%
def log_sweep(tracking_uri: str, experiment: str, split, grid: list[dict]) -> list[str]:
    """One MLflow run per parameter dictionary: params, valid_auc and the model; returns the run ids."""
    ...  # TODO: your code here


check_sweep(log_sweep)

# %% [markdown]
# Now on this notebook's data, in a store under the scratch folder (`local_mlflow` creates the
# experiment with its artifact folder next to the database):

# %%
TRACKING_URI, _ = local_mlflow(SCRATCH / "mlflow", "lab08-fraud")
run_ids = log_sweep(TRACKING_URI, "lab08-fraud", SPLIT, [dict(p) for p in GRID])
if run_ids:
    runs = mlflow.search_runs(experiment_names=["lab08-fraud"], order_by=["metrics.valid_auc DESC"])
    display(runs[["params.C", "metrics.valid_auc"]].round(4))

# %% [markdown]
# ## Step 3 · Register the best run as champion
#
# Write `register_best(tracking_uri, experiment, model_name)`: find the run of `experiment` with the
# highest `valid_auc`, register its model (`runs:/<run_id>/model`) under `model_name`, point the
# alias `champion` at the new version, and return the version number.

# %%
def register_best(tracking_uri: str, experiment: str, model_name: str) -> int:
    """Register the best run's model and give it the alias champion; return the version number."""
    ...  # TODO: your code here


check_champion(register_best)

# %% [markdown]
# ## Step 4 · Reproduce the champion's metric from the registry
#
# Write `champion_auc(tracking_uri, model_name, split)`: load the model the alias `champion`
# points to (`models:/<model_name>@champion`) and return its ROC AUC on the validation rows of
# `split`. It must equal, to the last digit, the `valid_auc` its run logged.

# %%
def champion_auc(tracking_uri: str, model_name: str, split) -> float:
    """The validation AUC of the model registered as champion, loaded from the registry by alias."""
    ...  # TODO: your code here


check_reproduce_metric(champion_auc)

# %% [markdown]
# The whole chain on this notebook's store: the champion, and its metric reproduced.

# %%
with contextlib.redirect_stderr(io.StringIO()):  # MLflow's "Successfully registered model" lines
    version = register_best(TRACKING_URI, "lab08-fraud", "lab08-fraud-classifier") if run_ids else None
if version is not None:
    logged = mlflow.MlflowClient().get_run(
        mlflow.MlflowClient().get_model_version_by_alias("lab08-fraud-classifier", ALIAS).run_id).data.metrics
    again = champion_auc(TRACKING_URI, "lab08-fraud-classifier", SPLIT)
    print(f"champion: version {version}; logged valid_auc {logged['valid_auc']:.6f}, reproduced {again:.6f}")

# %% [markdown]
# ## Summary
#
# * A training function is reproducible when it seeds *every* random draw itself: torch's
#   generator for the initial weights, and the data loader's generator for the order of batches.
# * An experiment tracker turns "which run gave 0.90?" into a query: `search_runs` with an order.
# * The registry keeps the chosen model with its lineage (the run, hence its parameters and data);
#   deployment code loads it by alias, so promoting or rolling back is moving `champion`.

# %%
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 08](../chapters/08_experiments_reproducibility.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/08_experiments_reproducibility.ipynb) →
# <!-- NAV END -->
