"""Checks for Lab 08 · reproducible experiments.

The lab writes four small pieces of a tracked, reproducible workflow: a PyTorch training function
that gives bit-for-bit the same weights for the same seed, a sweep logged to MLflow, the best run
registered under the alias ``champion``, and the champion loaded by alias to reproduce its logged
metric. Each check builds its own inputs (data from :func:`workbook.tracking.toy_data`, a fresh
SQLite MLflow store in a temporary folder, removed afterwards), calls the learner's function,
and reads back what it did. Checks show ✅, ⏳ (a step is still a placeholder) or ❌ with the
numbers and a hint, never raise, return ``None``, leave MLflow pointing where it pointed before
and keep the notebook's random generators as they were. The verdict is kept in
``workbook.checks.RESULTS[CHECK_NAMES[...]]``.

    >>> from workbook.checks.lab08 import check_reproducible
    >>> check_reproducible(...)  # doctest: +SKIP
    ⏳ Step 1 · A training function that repeats itself: not done yet
"""
from __future__ import annotations

import contextlib
import functools
import io
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from workbook.checks._report import Check, checking, kind_of, plural, temporary_folder
from workbook.tracking import fingerprint, pip_requirements, quiet_tools, toy_data

__all__ = ["ALIAS", "ARTIFACT", "CHECK_NAMES", "GRID", "METRIC", "check_champion", "check_reproduce_metric",
           "check_reproducible", "check_sweep", "reference_log_sweep", "split_for_checks"]

CHECK_NAMES = {
    "check_reproducible": "Step 1 · A training function that repeats itself",
    "check_sweep": "Step 2 · A sweep logged to MLflow",
    "check_champion": "Step 3 · The best run registered as champion",
    "check_reproduce_metric": "Step 4 · The champion reproduces its metric",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

METRIC = "valid_auc"
"""The metric every run logs: ROC AUC on the validation rows."""
ARTIFACT = "model"
"""The name the model is logged under in each run (``runs:/<run_id>/model``)."""
ALIAS = "champion"
"""The registry alias of the chosen model version."""
GRID = ({"C": 1.0}, {"C": 0.001}, {"C": 100.0}, {"C": 0.01})
"""The check's sweep: four regularisation strengths of a logistic regression."""

_EXPERIMENT, _MODEL_NAME = "lab08-check", "lab08-check-model"
_MIN_AUC = 0.75
_TOL = 1e-9


def split_for_checks(n_rows: int = 1200, seed: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The check's data as ``(X_train, X_valid, y_train, y_valid)`` NumPy arrays (70/30, stratified)."""
    return _split(n_rows, seed)


@functools.lru_cache(maxsize=2)
def _split(n_rows: int, seed: int):
    from sklearn.model_selection import train_test_split

    X, y = toy_data(n_rows, seed=seed)
    parts = train_test_split(X.numpy(), y.ravel().numpy(), test_size=0.3, random_state=seed, stratify=y.ravel().numpy())
    for part in parts:
        part.flags.writeable = False  # a learner's function cannot change the check's data in place
    return tuple(parts)


def reference_log_sweep(tracking_uri: str, experiment: str, split, grid) -> list[str]:
    """The reference answer of step 2: one MLflow run per grid point, with params, ``valid_auc`` and the model."""
    import mlflow
    import mlflow.sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    X_train, X_valid, y_train, y_valid = split
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    ids = []
    for params in grid:
        with mlflow.start_run() as run:
            model = LogisticRegression(**params, max_iter=1000).fit(X_train, y_train)
            mlflow.log_params(params)
            mlflow.log_metric(METRIC, roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1]))
            mlflow.sklearn.log_model(model, name=ARTIFACT, pip_requirements=pip_requirements())
            ids.append(run.info.run_id)
    return ids


# ----------------------------------------------------------------------------- plumbing


@contextlib.contextmanager
def _step(check_function: str) -> Iterator[Check]:
    """``checking`` with the notebook's random generators and MLflow settings restored afterwards."""
    import torch

    quiet_tools()
    state = random.getstate(), np.random.get_state()
    with checking(CHECK_NAMES[check_function]) as c, torch.random.fork_rng(), _mlflow_restored():
        try:
            yield c
        finally:
            random.setstate(state[0])
            np.random.set_state(state[1])


@contextlib.contextmanager
def _mlflow_restored() -> Iterator[None]:
    """Put MLflow's tracking and registry URIs and active experiment back as they were."""
    if "mlflow" not in __import__("sys").modules:
        yield
        return
    import mlflow
    from mlflow.tracking import fluent

    saved = (mlflow.get_tracking_uri(), mlflow.get_registry_uri(), getattr(fluent, "_active_experiment_id", None),
             os.environ.get("MLFLOW_EXPERIMENT_ID"))
    try:
        yield
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        mlflow.set_tracking_uri(saved[0])
        mlflow.set_registry_uri(saved[1])
        fluent._active_experiment_id = saved[2]
        if saved[3] is None:
            os.environ.pop("MLFLOW_EXPERIMENT_ID", None)
        else:
            os.environ["MLFLOW_EXPERIMENT_ID"] = saved[3]


@functools.lru_cache(maxsize=1)
def _template_db() -> Path:
    """An empty, migrated MLflow SQLite database, made once per process (creating one takes seconds)."""
    import atexit

    import mlflow

    folder = Path(tempfile.mkdtemp(prefix="lab08-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "mlflow.db"
    mlflow.MlflowClient(f"sqlite:///{path}").search_experiments()
    return path


@contextlib.contextmanager
def _store() -> Iterator[tuple[str, object]]:
    """A fresh tracking store in a temporary folder, with the check's experiment: ``(tracking_uri, client)``."""
    import mlflow

    with temporary_folder("lab08-") as folder:
        shutil.copy(_template_db(), folder / "mlflow.db")
        uri = f"sqlite:///{folder / 'mlflow.db'}"
        client = mlflow.MlflowClient(uri, registry_uri=uri)
        client.create_experiment(_EXPERIMENT, artifact_location=(folder / "artifacts").as_uri())
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
        try:
            yield uri, client
        finally:
            import gc

            gc.collect()  # let SQLAlchemy release the file before the folder goes


def _silently(c: Check, fn: Callable, *args) -> object:
    """``c.call`` with MLflow's console messages ("Successfully registered model ...") kept out of the check."""
    with contextlib.redirect_stderr(io.StringIO()):
        return c.call(fn, *args)


def _runs(client, experiment_id: str) -> list:
    return client.search_runs([experiment_id], max_results=1000)


def _sweep_with_versions(client, uri: str) -> dict:
    """Log the reference sweep, register the worst run (v1), the best (v2, alias champion) and a third (v3)."""
    import mlflow

    split = split_for_checks()
    grid = _ordered_grid()
    ids = reference_log_sweep(uri, _EXPERIMENT, split, grid)
    auc = {run_id: client.get_run(run_id).data.metrics[METRIC] for run_id in ids}
    ranked = sorted(ids, key=auc.get, reverse=True)
    versions = {}
    with contextlib.redirect_stderr(io.StringIO()):
        for label, run_id in (("oldest", ranked[-1]), ("champion", ranked[0]), ("newest", ranked[1])):
            versions[label] = mlflow.register_model(f"runs:/{run_id}/{ARTIFACT}", _MODEL_NAME).version
    client.set_registered_model_alias(_MODEL_NAME, ALIAS, versions["champion"])
    return {"split": split, "ids": ids, "auc": auc, "ranked": ranked, "versions": versions}


@functools.lru_cache(maxsize=1)
def _ordered_grid() -> tuple[dict, ...]:
    """GRID reordered as (second best, best, worst, third best), logged in that order.

    Then "the first run", "the latest run" and "the lowest metric" are three different wrong answers.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    X_train, X_valid, y_train, y_valid = split_for_checks()
    score = {i: roc_auc_score(y_valid, LogisticRegression(**p, max_iter=1000).fit(X_train, y_train)
                              .predict_proba(X_valid)[:, 1]) for i, p in enumerate(GRID)}
    ranked = sorted(score, key=score.get, reverse=True)  # best first
    return tuple(GRID[i] for i in (ranked[1], ranked[0], ranked[3], ranked[2]))


def _version_of(out: object) -> int | None:
    value = getattr(out, "version", out)
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ----------------------------------------------------------------------------- Step 1


def check_reproducible(train_model: Callable) -> None:
    """``train_model(X, y, seed)`` returns a trained torch module, bit-for-bit the same for the same seed.

    On the check data (600 rows, 8 features) it trains three models: seed 0, seed 0 again after
    scrambling every global generator (``random``, NumPy, torch), and seed 1. The first two must have
    identical weights (the function seeds itself), the third other weights (the seed is used), and
    the model must have learned: ROC AUC above 0.75 on its training rows.
    """
    with _step("check_reproducible") as c:
        import torch

        X, y = toy_data(600, seed=7)
        first = c.call(train_model, X.clone(), y.clone(), 0)
        c.require(isinstance(first, torch.nn.Module),
                  f"`train_model` should return a torch.nn.Module (the trained network), got {kind_of(first)}",
                  "End with `return model`.")
        torch.manual_seed(12345)
        np.random.seed(12345)
        random.seed(12345)
        again = c.call(train_model, X.clone(), y.clone(), 0)
        other = c.call(train_model, X.clone(), y.clone(), 1)
        prints = [fingerprint(m) for m in (first, again, other)]
        c.note(f"weights fingerprints: seed 0 → {prints[0]}, seed 0 again → {prints[1]}, seed 1 → {prints[2]}.")
        c.expect(prints[0] == prints[1],
                 "two calls with seed=0 gave different weights: the function depends on a global random state "
                 "that was different at the second call",
                 "Seed inside the function: torch.manual_seed(seed) before building the model, and "
                 "DataLoader(..., generator=torch.Generator().manual_seed(seed)) for the shuffling order.")
        c.expect(prints[0] != prints[2], "seed=0 and seed=1 gave identical weights: the `seed` argument is not used",
                 "Pass `seed` to torch.manual_seed and to the DataLoader's generator (do not hard-code a number).")
        from sklearn.metrics import roc_auc_score

        with torch.no_grad():
            scores = first(X).detach().reshape(-1).numpy()
        c.require(len(scores) == len(X), f"the model returned {len(scores)} scores for {len(X)} rows",
                  "The network should output one number per row.")
        auc = roc_auc_score(y.reshape(-1).numpy(), scores)
        c.note(f"training AUC {auc:.3f}.")
        c.expect(auc > _MIN_AUC, f"the model scores AUC {auc:.3f} on its own training rows: has it been trained?",
                 "Loop over epochs and batches: zero_grad, loss.backward(), optimiser.step().")


# ----------------------------------------------------------------------------- Step 2


def check_sweep(log_sweep: Callable) -> None:
    """``log_sweep(tracking_uri, experiment, split, grid)`` logs one MLflow run per grid point and returns the run ids.

    It gives your function a fresh SQLite store, the check's split and :data:`GRID`, then reads the
    store back: one run per grid point; each run's parameters equal its grid point; each run has a
    ``valid_auc`` metric and a model logged under ``model``; reloading that model and scoring the
    validation rows gives the logged ``valid_auc``; the returned ids are the runs.
    """
    with _step("check_sweep") as c, _store() as (uri, client):
        split = split_for_checks()
        experiment = client.get_experiment_by_name(_EXPERIMENT)
        out = _silently(c, log_sweep, uri, _EXPERIMENT, split, [dict(p) for p in GRID])
        runs = _runs(client, experiment.experiment_id)
        c.require(runs, "the tracking store we gave you has no run in the experiment after your sweep",
                  "Call mlflow.set_tracking_uri(tracking_uri) and mlflow.set_experiment(experiment) first.")
        c.expect(len(runs) == len(GRID), f"expected one run per grid point ({len(GRID)}), found {len(runs)}",
                 "Open one `with mlflow.start_run():` block per setting, inside the loop over the grid.")
        wanted = sorted(str(p["C"]) for p in GRID)
        logged = sorted(str(r.data.params.get("C")) for r in runs)
        c.expect(logged == wanted, f"the runs' parameter C is {', '.join(logged)}; expected {', '.join(wanted)}",
                 "mlflow.log_params(params) inside each run.")
        from sklearn.metrics import roc_auc_score

        X_train, X_valid, y_train, y_valid = split
        import mlflow.sklearn

        for run in runs:
            name = f"the run with C={run.data.params.get('C')}"
            if not c.expect(METRIC in run.data.metrics, f"{name} has no metric `{METRIC}`",
                            f"mlflow.log_metric('{METRIC}', roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1]))."):
                continue
            try:
                model = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/{ARTIFACT}")
            except Exception:
                c.expect(False, f"{name} has no model logged under the name `{ARTIFACT}`",
                         f"mlflow.sklearn.log_model(model, name='{ARTIFACT}') inside the run.")
                continue
            recomputed = roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1])
            logged_auc = run.data.metrics[METRIC]
            on_train = roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])
            if abs(logged_auc - recomputed) > _TOL:
                where = " (that is its AUC on the training rows)" if abs(logged_auc - on_train) <= _TOL else ""
                c.expect(False, f"{name} logged {METRIC}={logged_auc:.4f}{where}, but its model scores "
                         f"{recomputed:.4f} on the validation rows",
                         "Score the fitted model on X_valid, y_valid (the second and fourth items of `split`).")
        ids = out if isinstance(out, (list, tuple)) else None
        c.expect(ids is not None and set(map(str, ids)) == {r.info.run_id for r in runs},
                 f"`log_sweep` should return the ids of its runs, got {kind_of(out)}",
                 "Collect run.info.run_id from each `with mlflow.start_run() as run:` and return the list.")
        if not c.result.failures:
            best = max(runs, key=lambda r: r.data.metrics[METRIC])
            c.note(f"{plural(len(runs), 'run')} logged; best {METRIC} {best.data.metrics[METRIC]:.4f} "
                   f"(C={best.data.params['C']}).")


# ----------------------------------------------------------------------------- Step 3


def check_champion(register_best: Callable) -> None:
    """``register_best(tracking_uri, experiment, model_name)`` registers the best run's model as ``champion``.

    In a fresh store with the reference sweep (four runs, the best one neither the first nor the
    last), it calls your function and verifies: a registered model of that name exists; its alias
    ``champion`` points at a version made from the run with the highest ``valid_auc``; your function
    returns that version.
    """
    with _step("check_champion") as c, _store() as (uri, client):
        ids = reference_log_sweep(uri, _EXPERIMENT, split_for_checks(), _ordered_grid())
        auc = {run_id: client.get_run(run_id).data.metrics[METRIC] for run_id in ids}
        best = max(ids, key=auc.get)
        out = _silently(c, register_best, uri, _EXPERIMENT, _MODEL_NAME)
        names = [m.name for m in client.search_registered_models()]
        c.require(_MODEL_NAME in names,
                  f"no registered model named {_MODEL_NAME!r} (found: {', '.join(names) or 'none'})",
                  "mlflow.register_model(f'runs:/{run_id}/model', model_name).")
        try:
            champion = client.get_model_version_by_alias(_MODEL_NAME, ALIAS)
        except Exception:
            c.require(False, f"the model has no alias {ALIAS!r}",
                      "MlflowClient().set_registered_model_alias(model_name, 'champion', version.version).")
        chosen = champion.run_id
        c.note(f"champion is version {champion.version}, from a run with {METRIC} {auc.get(chosen, float('nan')):.4f} "
               f"(best in the experiment: {auc[best]:.4f}).")
        if chosen != best:
            why = ""
            if chosen == min(ids, key=auc.get):
                why = ": that is the lowest, not the highest"
            elif chosen == ids[-1]:
                why = ": that is the most recent run, not the best"
            elif chosen == ids[0]:
                why = ": that is the first run, not the best"
            c.expect(False, f"the champion's run has {METRIC} {auc.get(chosen, float('nan')):.4f}, the best run "
                     f"{auc[best]:.4f}{why}",
                     f"mlflow.search_runs(experiment_names=[experiment], order_by=['metrics.{METRIC} DESC']) "
                     "and take the first row.")
        version = _version_of(out)
        c.expect(version == int(champion.version),
                 f"`register_best` returned {out!r:.60}, but the champion is version {champion.version}",
                 "Return the version number (mlflow.register_model(...).version).")


# ----------------------------------------------------------------------------- Step 4


def check_reproduce_metric(champion_auc: Callable) -> None:
    """``champion_auc(tracking_uri, model_name, split)`` loads ``models:/<name>@champion`` and returns its validation AUC.

    The check's registry holds three versions: v1 (the worst run), v2 (the best, alias ``champion``)
    and v3 (registered last, so "latest"). Your number must equal the ``valid_auc`` logged by the
    champion's run; numbers of the other versions, or of the training rows, are named.
    """
    with _step("check_reproduce_metric") as c, _store() as (uri, client):
        setup = _sweep_with_versions(client, uri)
        split = setup["split"]
        out = _silently(c, champion_auc, uri, _MODEL_NAME, split)
        c.require(isinstance(out, (int, float, np.floating)) and not isinstance(out, bool),
                  f"`champion_auc` should return a number (the AUC), got {kind_of(out)}",
                  "Return roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1]).")
        value = float(out)
        versions = setup["versions"]
        ranked = setup["ranked"]
        expected = setup["auc"][ranked[0]]
        c.note(f"you returned {value:.6f}; the champion (version {versions['champion']}) logged {expected:.6f}.")
        if abs(value - expected) <= _TOL:
            return
        others = {f"version {versions['oldest']} (the oldest)": setup["auc"][ranked[-1]],
                  f"version {versions['newest']} (the newest, what `latest` loads)": setup["auc"][ranked[1]]}
        named = [name for name, v in others.items() if abs(value - v) <= _TOL]
        if named:
            c.expect(False, f"{value:.4f} is the AUC of {named[0]}, not of the version the alias points to",
                     f"Load by alias: mlflow.sklearn.load_model(f'models:/{{model_name}}@{ALIAS}').")
            return
        import mlflow.sklearn
        from sklearn.metrics import roc_auc_score

        X_train, X_valid, y_train, y_valid = split
        model = mlflow.sklearn.load_model(f"models:/{_MODEL_NAME}@{ALIAS}")
        on_train = roc_auc_score(y_train, model.predict_proba(X_train)[:, 1])
        where = " (the champion's AUC on the training rows)" if abs(value - on_train) <= _TOL else ""
        c.expect(False, f"you returned {value:.4f}{where}; the champion logged {expected:.4f}",
                 "Score X_valid, y_valid with predict_proba(...)[:, 1] and roc_auc_score.")
