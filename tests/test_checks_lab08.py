"""Tests for workbook.checks.lab08: correct answers pass, planted mistakes fail with a teaching
message, placeholders report "not done yet", and no check ever raises or leaves MLflow elsewhere."""
from __future__ import annotations

import functools

import mlflow
import mlflow.sklearn
import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from torch.utils.data import DataLoader, TensorDataset

from workbook.checks import FAIL, PASS
from workbook.checks import lab08
from lab_contract import LabCheckContract
from workbook.checks.testing import messages, run_check, with_options
from workbook.tracking import make_mlp, pip_requirements

# ----------------------------------------------------------------------------- reference answers


def train_model(X, y, seed, *, seed_weights=True, seed_order=True, fixed_seed=None, epochs=3):
    seed = seed if fixed_seed is None else fixed_seed
    if seed_weights:
        torch.manual_seed(seed)
    model = make_mlp(X.shape[1])
    order = torch.Generator().manual_seed(seed) if seed_order else None
    if not seed_order:
        order = torch.Generator()
        order.seed()  # a random shuffling order on every call
    loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True, generator=order)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(epochs):
        for xb, yb in loader:
            optimiser.zero_grad()
            torch.nn.functional.binary_cross_entropy_with_logits(model(xb), yb).backward()
            optimiser.step()
    return model


def log_sweep(tracking_uri, experiment, split, grid, *, on_train=False, log_model=True, one_run=False,
              return_ids=True):
    X_train, X_valid, y_train, y_valid = split
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    ids = []
    runs = [grid] if one_run else [[p] for p in grid]
    for group in runs:
        with mlflow.start_run() as run:
            for params in group:
                model = LogisticRegression(**params, max_iter=1000).fit(X_train, y_train)
                if not one_run:
                    mlflow.log_params(params)
                Xs, ys = (X_train, y_train) if on_train else (X_valid, y_valid)
                mlflow.log_metric("valid_auc", roc_auc_score(ys, model.predict_proba(Xs)[:, 1]))
                if log_model:
                    mlflow.sklearn.log_model(model, name="model", pip_requirements=pip_requirements())
            ids.append(run.info.run_id)
    return ids if return_ids else "done"


def register_best(tracking_uri, experiment, model_name, *, order="DESC", alias="champion", return_version=True):
    mlflow.set_tracking_uri(tracking_uri)
    best = mlflow.search_runs(experiment_names=[experiment], order_by=[f"metrics.valid_auc {order}"], max_results=1)
    version = mlflow.register_model(f"runs:/{best.run_id.iloc[0]}/model", model_name)
    if alias:
        mlflow.MlflowClient().set_registered_model_alias(model_name, alias, version.version)
    return version if return_version else "ok"


def register_latest(tracking_uri, experiment, model_name):
    mlflow.set_tracking_uri(tracking_uri)
    latest = mlflow.search_runs(experiment_names=[experiment], order_by=["start_time DESC"], max_results=1)
    version = mlflow.register_model(f"runs:/{latest.run_id.iloc[0]}/model", model_name)
    mlflow.MlflowClient().set_registered_model_alias(model_name, "champion", version.version)
    return version.version


def champion_auc(tracking_uri, model_name, split, *, uri_suffix="@champion", rows="valid"):
    mlflow.set_tracking_uri(tracking_uri)
    model = mlflow.sklearn.load_model(f"models:/{model_name}{uri_suffix}")
    X_train, X_valid, y_train, y_valid = split
    X, y = (X_valid, y_valid) if rows == "valid" else (X_train, y_train)
    return float(roc_auc_score(y, model.predict_proba(X)[:, 1]))


# ----------------------------------------------------------------------------- helpers

run = functools.partial(run_check, lab08)

CORRECT = {
    "check_reproducible": (train_model,),
    "check_sweep": (log_sweep,),
    "check_champion": (register_best,),
    "check_reproduce_metric": (champion_auc,),
}


class TestContract(LabCheckContract):
    lab = lab08
    correct = CORRECT

    def test_correct_answers_pass(self, check_function):
        """A correct implementation passes, and the check says what it measured."""
        assert self.passing(check_function).detail


def test_checks_restore_mlflow_and_random_state(tmp_path):
    """After a check, MLflow points where it did and the notebook's torch generator is untouched."""
    uri = f"sqlite:///{tmp_path / 'mine.db'}"
    mlflow.set_tracking_uri(uri)
    torch.manual_seed(0)
    expected = torch.rand(1)
    torch.manual_seed(0)
    run("check_sweep", log_sweep)
    run("check_reproducible", train_model)
    assert mlflow.get_tracking_uri() == uri and torch.equal(torch.rand(1), expected)


# ----------------------------------------------------------------------------- step 1


def test_global_seed_only_fails():
    """A function that relies on a seed set outside it gives other weights after the generators move."""
    result = run("check_reproducible", with_options(train_model, seed_weights=False))
    assert result.status == FAIL
    assert "two calls with seed=0 gave different weights" in messages(result)


def test_unseeded_shuffling_fails():
    """Seeding the weights but not the shuffling order is not enough."""
    result = run("check_reproducible", with_options(train_model, seed_order=False))
    assert "two calls with seed=0 gave different weights" in messages(result)


def test_hard_coded_seed_fails():
    """A hard-coded seed ignores the argument."""
    result = run("check_reproducible", with_options(train_model, fixed_seed=42))
    assert "seed=0 and seed=1 gave identical weights" in messages(result)


def test_untrained_model_fails():
    """A network returned without training is reported as not learning."""
    result = run("check_reproducible", with_options(train_model, epochs=0))
    assert "has it been trained?" in messages(result)


# ----------------------------------------------------------------------------- step 2


def test_metric_on_training_rows_is_named():
    """Logging the AUC of the training rows is caught by rescoring the logged model."""
    result = run("check_sweep", with_options(log_sweep, on_train=True))
    assert result.status == FAIL and "(that is its AUC on the training rows)" in messages(result)


def test_missing_model_is_reported():
    """Runs without a logged model are named."""
    result = run("check_sweep", with_options(log_sweep, log_model=False))
    assert "has no model logged under the name `model`" in messages(result)


def test_one_run_for_the_whole_grid_fails():
    """Logging the whole sweep in one run is one run instead of four."""
    result = run("check_sweep", with_options(log_sweep, one_run=True))
    assert "expected one run per grid point (4), found 1" in messages(result)


def test_sweep_must_return_run_ids():
    """The function returns the run ids."""
    result = run("check_sweep", with_options(log_sweep, return_ids=False))
    assert "should return the ids of its runs" in messages(result)


# ----------------------------------------------------------------------------- step 3


def test_lowest_metric_is_named():
    """Ordering ascending registers the worst run, and the check says so."""
    result = run("check_champion", with_options(register_best, order="ASC"))
    assert result.status == FAIL and "that is the lowest, not the highest" in messages(result)


def test_latest_run_is_not_the_best():
    """Registering the most recent run is explained."""
    result = run("check_champion", register_latest)
    assert "that is the most recent run, not the best" in messages(result)


def test_missing_alias_fails():
    """A version without the alias champion is reported with the call that sets it."""
    result = run("check_champion", with_options(register_best, alias=None))
    assert "has no alias 'champion'" in messages(result)


def test_register_best_must_return_the_version():
    """Returning something other than the version is reported."""
    result = run("check_champion", with_options(register_best, return_version=False))
    assert "but the champion is version" in messages(result)


# ----------------------------------------------------------------------------- step 4


@pytest.mark.parametrize("suffix, named", [("/latest", "the newest"), ("/1", "the oldest")])
def test_loading_by_version_instead_of_alias_is_named(suffix, named):
    """Loading the newest or the oldest version instead of the alias is explained."""
    result = run("check_reproduce_metric", with_options(champion_auc, uri_suffix=suffix))
    assert result.status == FAIL
    assert named in messages(result) and "not of the version the alias points to" in messages(result)


def test_training_rows_are_named():
    """Scoring the training rows gives another number, and the check names it."""
    result = run("check_reproduce_metric", with_options(champion_auc, rows="train"))
    assert "(the champion's AUC on the training rows)" in messages(result)


def test_check_data_cannot_be_changed_in_place():
    """The check's split is read-only, so a learner cannot spoil the next check's data."""
    def vandal(tracking_uri, model_name, split):
        split[1][:] = 0
    result = run("check_reproduce_metric", vandal)
    assert result.status == FAIL and "raised ValueError" in messages(result)
    assert run("check_reproduce_metric", champion_auc).status == PASS
    assert np.isfinite(lab08.split_for_checks()[1]).all()
