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
# ← [06 · Distributed processing with Spark and Beam](06_distributed_processing.ipynb) · [Contents](00_start_here.ipynb) · Practice: [Lab](../labs/08_experiments_reproducibility.ipynb) · [Solution](../solutions/08_experiments_reproducibility.ipynb)
# <!-- NAV END -->

# %% [markdown]
# # 08 · Experiments and reproducibility
#
# How to get the same model twice (seeds, versioned data, pinned environments), and how to keep a
# record of every experiment so that the model in production can be traced back to its code, data
# and parameters: measured on PyTorch, DVC, MLflow and Weights & Biases, all running offline.

# %% tags=["parameters"]
N_ROWS = 2000  # rows of the training data; the full-size run uses 20_000
N_EPOCHS = 5  # training epochs of the small network; the full-size run uses 20
SEED = 0  # seeds the data, the networks and the splits

# %% [markdown]
# ## Setup

# %%
import contextlib
import io
import json
import os
import subprocess
import sys
import time
import warnings

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
import torch
import wandb
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

import workbook
from workbook.quiz import ask
from workbook.tracking import (
    file_md5, fingerprint, local_mlflow, make_mlp, pip_requirements, quiet_tools, record_diff, run_record, toy_data,
    train_mlp,
)

quiet_tools()  # MLflow and W&B offline, no telemetry, no progress bars (the project's kernels set this too)
torch.set_num_threads(1)  # small networks: one thread is as fast, and the sums are always added in the same order
VERSIONS = workbook.setup_notebook("torch", "mlflow", "wandb", "dvc", "scikit-learn", seed=SEED)
SCRATCH = workbook.scratch_dir("08_experiments_reproducibility")

# %% [markdown]
# ## Why reproducibility
#
# A run is **reproducible** when someone else (or you, next year) can repeat it and get the same
# model, or at least the same quality. It is what lets you debug a drop in production ("was it
# the code, the data, a library upgrade, or chance?"), hand work to a colleague, show an auditor
# how a credit model was built, and roll back to an earlier model knowing exactly what it is.
# Four things change the outcome of a training run, and each has its remedy:
#
# | Source of variation | Remedy | Section |
# | --- | --- | --- |
# | Randomness: initial weights, shuffling, splits, sampling | fix every seed; deterministic kernels | 1 |
# | Data: a table that changes, a file overwritten | version data (DVC, W&B Artifacts, snapshots) | 2 |
# | Code: an edit in a notebook, an uncommitted fix | Git; record the commit with every run | 3 |
# | Environment: library versions, hardware | lock files, containers; record the versions | 3 |
#
# An **experiment tracker** (MLflow, W&B, Vertex AI Experiments) writes all of it down for every
# run, and a **model registry** keeps the chosen models with their lineage (sections 4 and 5).
#
# ## 1 · Randomness under control
#
# The chapter's network is small (8 inputs, 16 hidden units, one output) and learns to flag fraud
# in the card transactions of chapter 03. `train_mlp` (in `workbook.tracking`) seeds torch's global
# generator, which draws the **initial weights**, and gives the `DataLoader` its own
# `torch.Generator`, which draws the **shuffling order**. Train twice with the same seed and
# compare a hash of all the weights:

# %%
X, y = toy_data(N_ROWS, seed=SEED)
X_valid, y_valid = toy_data(N_ROWS, seed=SEED + 1)
first = train_mlp(X, y, seed=SEED, epochs=N_EPOCHS)
second = train_mlp(X, y, seed=SEED, epochs=N_EPOCHS)
print(f"same seed:  {fingerprint(first)} and {fingerprint(second)}")
assert fingerprint(first) == fingerprint(second)

# %% [markdown]
# Bit-for-bit identical: every one of the weights. Without a seed, every run starts from other
# weights and sees the batches in another order:

# %%
unseeded = [fingerprint(train_mlp(X, y, seed=None, epochs=N_EPOCHS)) for _ in range(2)]
reshuffled = train_mlp(X, y, seed=SEED, shuffle_seed=SEED + 1, epochs=N_EPOCHS)
print(f"no seed:    {unseeded[0]} and {unseeded[1]}")
print(f"same initial weights, another shuffling order: {fingerprint(reshuffled)}")
assert unseeded[0] != unseeded[1] and fingerprint(reshuffled) != fingerprint(first)

# %% [markdown]
# Seeding the weights is not enough: the shuffling order alone gives another model. What seeds what:
#
# | Call | Seeds |
# | --- | --- |
# | `random.seed(s)` | Python's `random` (augmentations, `random.shuffle`) |
# | `np.random.seed(s)` | NumPy's *global* generator; `np.random.default_rng(s)` makes an independent one (better) |
# | `torch.manual_seed(s)` | torch's global CPU generator (and every GPU's): weight initialisation, dropout |
# | `DataLoader(..., generator=torch.Generator().manual_seed(s))` | the shuffling order, and the base seed of the workers |
# | `worker_init_fn` | the NumPy / `random` state inside each `num_workers > 0` worker process |
# | `random_state=s` | a scikit-learn estimator or split (an int: the same result on every call) |
#
# `torch.use_deterministic_algorithms(True)` goes further: it makes torch raise an error whenever
# an operation has no deterministic implementation, instead of silently giving slightly different
# sums from run to run. Such operations are mostly on GPUs (atomic additions in scatter and
# index operations, some cuDNN convolutions); there, also set `CUBLAS_WORKSPACE_CONFIG=:4096:8` and
# `torch.backends.cudnn.benchmark = False`, and expect training to be slower. On this CPU
# network, the deterministic mode gives the very same weights:

# %%
torch.use_deterministic_algorithms(True)
try:
    strict = train_mlp(X, y, seed=SEED, epochs=N_EPOCHS)
finally:
    torch.use_deterministic_algorithms(False)
print(f"deterministic algorithms: {fingerprint(strict)}")
assert fingerprint(strict) == fingerprint(first)

# %% [markdown]
# scikit-learn works the same way through `random_state`:

# %%
def forest(random_state):
    return RandomForestClassifier(n_estimators=20, max_depth=6, random_state=random_state, n_jobs=1).fit(X, y.ravel())


seeded = [forest(SEED).predict_proba(X_valid)[:, 1] for _ in range(2)]
free = [forest(None).predict_proba(X_valid)[:, 1] for _ in range(2)]
print(f"random_state={SEED}: identical probabilities {np.array_equal(*seeded)}; "
      f"random_state=None: identical {np.array_equal(*free)}")
assert np.array_equal(*seeded) and not np.array_equal(*free)

# %% [markdown]
# **Bit-for-bit or within tolerance?** Identical weights make debugging easy, but what a business
# needs is a *stable quality*. Train with five different seeds and look at the spread of the
# validation AUC: a rerun inside that spread is "the same model"; one far outside it is a bug or an
# unstable training procedure.

# %%
def valid_auc(model) -> float:
    with torch.no_grad():
        return roc_auc_score(y_valid.ravel().numpy(), model(X_valid).ravel().numpy())


seed_aucs = pd.Series({s: valid_auc(train_mlp(X, y, seed=s, epochs=N_EPOCHS)) for s in range(5)}, name="valid AUC")
print(f"validation AUC over 5 seeds: mean {seed_aucs.mean():.3f}, from {seed_aucs.min():.3f} to {seed_aucs.max():.3f} "
      f"(spread {seed_aucs.max() - seed_aucs.min():.3f})")
assert seed_aucs.max() - seed_aucs.min() < 0.05

# %% [markdown]
# ### Saving and loading a model
#
# Save the **`state_dict`** (a dictionary of tensors) and keep the code that builds the network
# in Git; the pair is more robust to library upgrades than a pickled model object. Loading with
# `weights_only=True` (the default since torch 2.6) only unpickles tensors and plain containers,
# so a tampered file cannot run code:

# %%
path = SCRATCH / "model_weights.pt"
torch.save(first.state_dict(), path)
restored = make_mlp(X.shape[1])
restored.load_state_dict(torch.load(path, weights_only=True))
restored.eval()
with torch.no_grad():
    same = torch.equal(restored(X_valid), first(X_valid))
print(f"{path.stat().st_size:,} bytes; predictions after the round trip identical: {same}")
assert same and fingerprint(restored) == fingerprint(first)

# %% [markdown]
# A **checkpoint** for resuming training adds the optimiser state and the epoch. Older tutorials
# also put Python objects in it (a fitted scaler, the `wandb.config`): with torch ≥ 2.6 such a file
# no longer loads, because `weights_only=True` refuses arbitrary objects:

# %%
from sklearn.preprocessing import StandardScaler

checkpoint = {"epoch": N_EPOCHS, "model": first.state_dict(), "scaler": StandardScaler().fit(X.numpy())}
torch.save(checkpoint, SCRATCH / "checkpoint.pt")
try:
    torch.load(SCRATCH / "checkpoint.pt")
    outcome = "loaded"
except Exception as exc:  # an UnpicklingError naming the class it refused
    outcome = f"{type(exc).__name__}; the message names the refused class StandardScaler: {'StandardScaler' in str(exc)}"
print(outcome)
assert outcome != "loaded"

# %% [markdown]
# Store such state as tensors or numbers (`{"mean": scaler.mean_.tolist(), ...}`), or pass
# `weights_only=False` only for files you produced yourself.

# %%
ask("08-seed-sources-select-all", "08-tolerance-vs-bitwise", "08-gpu-nondeterminism", "08-weights-only-load")

# %% [markdown]
# ## 2 · Versioning data with DVC
#
# Data does not fit in Git, and a training table changes under your feet. **DVC** keeps the data
# out of Git and puts a small **pointer file** in Git instead: `data.csv.dvc` holds the file's MD5
# and size, the bytes go to a cache (`.dvc/cache`, and with `dvc push` to a remote such as a Cloud
# Storage bucket). Checking out an old commit and running `dvc checkout` brings the old bytes back.
# Everything below runs in a throw-away repository under the scratch folder, with a local cache and
# no remote; DVC's Python API (`dvc.repo.Repo`) is used rather than the `dvc` command because each
# command starts a new Python process that imports DVC again (timed below).

# %%
from dvc.repo import Repo
from IPython.utils.capture import capture_output

quiet_tools()  # again: importing DVC set up its logger, which prints command-line hints
project = SCRATCH / "dvc-project"
project.mkdir()


def git(*args: str) -> str:
    """Run git in the scratch project, with a local identity (nothing global is touched)."""
    return subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, text=True).stdout


def quietly(fn, *args, **kwargs):
    """Call a DVC function without its console output (hints, and empty progress displays in Jupyter)."""
    with capture_output(display=True):
        return fn(*args, **kwargs)


started = time.perf_counter()
git("init", "-q", "-b", "main")
git("config", "user.name", "Workbook")
git("config", "user.email", "workbook@example.com")
os.environ["DVC_SITE_CACHE_DIR"] = str(SCRATCH / "dvc-site")  # DVC's own index: here, not in /var/tmp
repo = quietly(Repo.init, str(project))
git("add", "-A")
git("commit", "-qm", "Initialise DVC")
setup_seconds = time.perf_counter() - started
sorted(p.name for p in (project / ".dvc").iterdir())

# %% [markdown]
# Version 1 of the dataset: the first rows of the transactions, written as CSV and added with
# `dvc add`, the equivalent of `dvc add data.csv` on the command line. DVC writes the pointer file,
# adds `data.csv` to `.gitignore`, and we commit the pointer:

# %%
data_file = project / "data.csv"
table = pd.DataFrame(X.numpy(), columns=[f"x{i}" for i in range(X.shape[1])]).round(4).assign(label=y.ravel().int())
table.iloc[: N_ROWS // 2].to_csv(data_file, index=False)
started = time.perf_counter()
quietly(repo.add, str(data_file))
git("add", "data.csv.dvc", ".gitignore")
git("commit", "-qm", "Data v1")
v1_md5 = file_md5(data_file)
print((project / "data.csv.dvc").read_text())
print(".gitignore:", (project / ".gitignore").read_text().strip())
assert v1_md5 in (project / "data.csv.dvc").read_text()

# %% [markdown]
# The `md5` in the pointer is the MD5 of the file's bytes (`file_md5` computes the same). Version 2
# appends the other rows; `dvc add` again and the pointer changes, and only the pointer goes to Git:

# %%
table.to_csv(data_file, index=False)
quietly(repo.add, str(data_file))
git("commit", "-qam", "Data v2")
v2_md5 = file_md5(data_file)
print(f"v1 md5 {v1_md5}  ->  v2 md5 {v2_md5}; the data now has {len(table):,} rows")
print(git("log", "--format=%s", "--", "data.csv.dvc").split("\n")[:2], "changed the pointer")
assert v1_md5 != v2_md5

# %% [markdown]
# Back to version 1: check out the old pointer from Git, then `dvc checkout` restores the bytes it
# names from the cache (on another machine `dvc pull` would first fetch them from the remote):

# %%
git("checkout", "HEAD~1", "--", "data.csv.dvc")
quietly(repo.checkout, force=True)
restored_rows = len(pd.read_csv(data_file))
dvc_seconds = time.perf_counter() - started
print(f"after checkout: md5 {file_md5(data_file)}, {restored_rows:,} rows")
assert file_md5(data_file) == v1_md5 and restored_rows == N_ROWS // 2
git("checkout", "HEAD", "--", "data.csv.dvc")
_ = quietly(repo.checkout, force=True)

# %% tags=["nbval-ignore-output"]
started = time.perf_counter()
subprocess.run([sys.executable, "-m", "dvc", "status", "-q"], cwd=project, capture_output=True)
cli_seconds = time.perf_counter() - started
print(f"git init + DVC init: {setup_seconds:.2f} s; add v1, add v2, checkout v1 (API, in process): {dvc_seconds:.2f} s; "
      f"one `dvc status` command: {cli_seconds:.2f} s")

# %% [markdown]
# On a team, the cache is shared through a remote, configured once and committed
# (`.dvc/config`), for example a Cloud Storage bucket (needs the `dvc-gs` plugin):
#
# ```bash
# dvc remote add -d storage gs://my-bucket/dvc-store
# dvc push          # upload the cached versions
# dvc pull          # on another machine: download what the checked-out pointers name
# ```
#
# W&B **Artifacts** (section 5) do the same job the other way round: versioned folders stored by
# W&B, with the lineage graph drawn from which runs used and produced them. On Google Cloud, the
# managed options are a dated snapshot of a BigQuery table or a Vertex AI Dataset version.

# %%
ask("08-dvc-pointer-in-git", "08-dvc-restore-old-version", "08-wandb-artifacts-vs-dvc")

# %% [markdown]
# ## 3 · Lineage: one record per run
#
# A run is reproducible when four things are written down together: the **data** version (a hash),
# the **code** version (in a project, the Git commit, and training refuses a dirty working tree),
# the **environment** (package versions, or the container image digest), and the **parameters**.
# `run_record` assembles them; here the code version is a hash of the training function's source:

# %%
record_a = run_record(params={"seed": SEED, "lr": 0.05, "epochs": N_EPOCHS}, data=data_file, code=train_mlp)
print(json.dumps(record_a, indent=1))

# %% [markdown]
# A second run with another learning rate, trained on data version 1: comparing the two records
# points at exactly what differs, which is the first question when two runs disagree.

# %%
git("checkout", "HEAD~1", "--", "data.csv.dvc")
quietly(repo.checkout, force=True)
record_b = run_record(params={"seed": SEED, "lr": 0.1, "epochs": N_EPOCHS}, data=data_file, code=train_mlp)
diff = record_diff(record_a, record_b)
pd.DataFrame(diff, index=["run A", "run B"]).T

# %%
assert set(diff) == {"params.lr", "data.md5", "data.bytes"}
_ = (SCRATCH / "run_record.json").write_text(json.dumps(record_a, indent=1))

# %% [markdown]
# The environment half comes from the project's lock file (`requirements-lock.txt`, from
# `environment.yml`): pin exact versions, never a bare `pandas`. A Docker image with a tag (better,
# its digest) freezes the operating system and system libraries as well; Vertex AI custom training
# runs exactly such an image.

# %%
ask("08-run-record-contents", "08-environment-pin-true-false")

# %% [markdown]
# ## 4 · Tracking experiments with MLflow
#
# MLflow groups **runs** into **experiments**; a run holds parameters, metrics (with their history),
# tags and artifacts, including logged models. Here the tracking store is a SQLite file in the
# scratch folder, and artifacts go to a local folder: `local_mlflow` sets both.

# %%
started = time.perf_counter()
TRACKING_URI, EXPERIMENT_ID = local_mlflow(SCRATCH / "mlflow", "08-fraud-classifier")
store_seconds = time.perf_counter() - started
print(TRACKING_URI.replace(str(SCRATCH), "<scratch>"))

# %% [markdown]
# A small sweep: logistic regressions with four regularisation strengths, each logged as a run with
# its parameters, its validation AUC, the data hash as a tag, and the fitted model. Passing
# `pip_requirements` skips MLflow's requirement inference, which imports the model in a subprocess to
# find the packages it needs, the slowest part of logging a model. `name="model"` is MLflow 3's
# spelling; the positional `artifact_path` of older tutorials still works but logs a deprecation
# warning.

# %%
X_train_np, y_train_np = X.numpy(), y.ravel().numpy()
X_valid_np, y_valid_np = X_valid.numpy(), y_valid.ravel().numpy()
GRID = [{"C": c} for c in (0.001, 0.01, 1.0, 100.0)]

started = time.perf_counter()
for params in GRID:
    with mlflow.start_run(run_name=f"logreg C={params['C']}"):
        model = LogisticRegression(**params, max_iter=1000).fit(X_train_np, y_train_np)
        mlflow.log_params(params)
        mlflow.log_metric("valid_auc", roc_auc_score(y_valid_np, model.predict_proba(X_valid_np)[:, 1]))
        mlflow.set_tags({"data_md5": v1_md5, "code_sha256": record_a["code"]["sha256"]})
        mlflow.sklearn.log_model(model, name="model", pip_requirements=pip_requirements())
sweep_seconds = time.perf_counter() - started

# %% tags=["nbval-ignore-output"]
print(f"SQLite store created in {store_seconds:.1f} s (schema migrations); "
      f"{len(GRID)} runs with models logged in {sweep_seconds:.1f} s")

# %% [markdown]
# `mlflow.search_runs` returns the runs as a DataFrame, with a filter and an order, like the
# comparison table of the MLflow UI:

# %%
runs = mlflow.search_runs(experiment_ids=[EXPERIMENT_ID], order_by=["metrics.valid_auc DESC"])
runs[["tags.mlflow.runName", "params.C", "metrics.valid_auc"]].round(4)

# %% [markdown]
# ### The Model Registry: versions and aliases
#
# Register the best run's model: the registry gives it a **version** number under a model name and
# remembers the run it came from (its lineage). An **alias** is a movable pointer such as
# `champion`: deployment code loads `models:/name@champion`, and promoting or rolling back a model
# is moving the alias, without touching the code.

# %%
best = runs.iloc[0]
with contextlib.redirect_stderr(io.StringIO()):  # "Successfully registered model ..." lines
    version = mlflow.register_model(f"runs:/{best.run_id}/model", "fraud-classifier")
client = mlflow.MlflowClient()
client.set_registered_model_alias("fraud-classifier", "champion", version.version)
champion = client.get_model_version_by_alias("fraud-classifier", "champion")
print(f"version {champion.version} is the champion; it came from the run with C={best['params.C']}: "
      f"{champion.run_id == best.run_id}")

# %% [markdown]
# Load it by alias and reproduce the metric logged in its run:

# %%
served = mlflow.sklearn.load_model("models:/fraud-classifier@champion")
again = roc_auc_score(y_valid_np, served.predict_proba(X_valid_np)[:, 1])
print(f"logged valid AUC {best['metrics.valid_auc']:.6f}; recomputed from the registry {again:.6f}")
assert again == best["metrics.valid_auc"]

# %% [markdown]
# Older material (and older exam questions) describes registry **stages**: *None, Staging,
# Production, Archived*, moved with `transition_model_version_stage`. Stages are deprecated since
# MLflow 2.9 in favour of aliases (and tags such as `validation_status`); the call still works in
# MLflow 3 but warns:

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    client.transition_model_version_stage("fraud-classifier", champion.version, "Production")
print(f"{type(caught[0].message).__name__}: deprecated since 2.9.0 -> {'deprecated since 2.9.0' in str(caught[0].message)}")

# %% [markdown]
# **From a laptop to a team.** The same code logs to a shared server when `MLFLOW_TRACKING_URI`
# points at one; the server keeps runs in a database (Cloud SQL) and artifacts in a bucket:
#
# ```bash
# mlflow server --backend-store-uri postgresql://mlflow@10.0.0.5/mlflow \
#               --artifacts-destination gs://my-bucket/mlflow --host 0.0.0.0 --port 5000
# export MLFLOW_TRACKING_URI=http://mlflow.internal:5000   # every training job, notebook and CI run
# ```
#
# On Google Cloud the managed equivalents are **Vertex AI Experiments** (runs, parameters,
# metrics, time series in a managed TensorBoard), **Vertex ML Metadata** (the lineage graph of
# artifacts, executions and contexts that Vertex AI Pipelines write automatically) and the
# **Vertex AI Model Registry** (model versions with aliases, `default` being the one served):
#
# ```python
# from google.cloud import aiplatform
# aiplatform.init(project="my-project", location="europe-west1", experiment="fraud-classifier")
# aiplatform.start_run("logreg-c-1")
# aiplatform.log_params({"C": 1.0})
# aiplatform.log_metrics({"valid_auc": 0.90})
# aiplatform.end_run()
# ```

# %%
ask("08-mlflow-experiment-run", "08-search-runs-best", "08-registry-aliases", "08-registry-stages-true-false",
    "08-vertex-experiments-equivalent")

# %% [markdown]
# ## 5 · Weights & Biases, offline
#
# W&B is a hosted tracker: a **project** groups **runs** (like an MLflow experiment), and
# **Artifacts** version datasets and models. In offline mode a run is written to a local folder
# and nothing leaves the machine until `wandb sync` uploads it. `wandb.watch(model)` hooks into the
# network and logs histograms of its **gradients** and parameters, the quickest way to see
# vanishing or exploding gradients. It logs every `log_freq` *batches* (default 100). The source of
# this chapter trains 5 full-batch steps with `log_freq=100`, so it never logs a gradient:

# %%
for name, folder in {"WANDB_DATA_DIR": "data", "WANDB_CACHE_DIR": "cache", "WANDB_CONFIG_DIR": "config"}.items():
    os.environ[name] = str(SCRATCH / "wandb-home" / folder)  # W&B's staging copies, logs and settings stay here


def watched_run(log_freq: int, steps: int = 5) -> set[str]:
    """Train `steps` full-batch steps under wandb.watch; return the gradient keys the run recorded."""
    run = wandb.init(project="08-reproducibility", dir=SCRATCH, mode="offline", config={"lr": 0.05, "steps": steps},
                     settings=wandb.Settings(silent=True, console="off", x_disable_stats=True))
    torch.manual_seed(SEED)
    model = make_mlp(X.shape[1])
    run.watch(model, log="all", log_freq=log_freq)
    optimiser = torch.optim.Adam(model.parameters(), lr=run.config["lr"])
    for step in range(steps):
        optimiser.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(X), y)
        loss.backward()
        optimiser.step()
        run.log({"loss": loss.item()})
    keys = {k for k in run.summary.keys() if k.startswith("gradients/")}
    run.finish()
    return keys


started = time.perf_counter()
rare, every_step = watched_run(100), watched_run(1)
print(f"log_freq=100: {len(rare)} gradient histograms; log_freq=1: {len(every_step)} "
      f"(weight and bias of both layers: {sorted(k.rsplit('.', 1)[-1] for k in every_step)})")
assert not rare and len(every_step) == 4
wandb_seconds = time.perf_counter() - started

# %% tags=["nbval-ignore-output"]
print(f"two offline W&B runs (init, 5 steps, finish): {wandb_seconds:.1f} s")

# %% [markdown]
# An Artifact versions a dataset: W&B hashes each file (MD5, like DVC) and a new version is made
# only when the contents change. `run.use_artifact("fraud-data:latest")` in a training run would
# record that the run consumed it, which draws the lineage graph:

# %%
run = wandb.init(project="08-reproducibility", dir=SCRATCH, mode="offline", job_type="upload-data",
                 settings=wandb.Settings(silent=True, console="off", x_disable_stats=True))
artifact = wandb.Artifact("fraud-data", type="dataset", description="Training table, data v1")
artifact.add_file(str(data_file))
run.log_artifact(artifact)
run.finish()
entry = artifact.manifest.entries["data.csv"]
print(f"artifact fraud-data: {entry.size:,} bytes, digest {entry.digest} (base64 of the file's MD5)")

# %% [markdown]
# Nothing was sent: the three runs are folders under `wandb/` in the scratch folder, each with a
# `.wandb` file that `wandb sync <folder>` would upload later.

# %%
offline = sorted((SCRATCH / "wandb").glob("offline-run-*"))
print(f"{len(offline)} offline run folders, each with a .wandb file: {all(list(f.glob('*.wandb')) for f in offline)}")
assert len(offline) == 3

# %% [markdown]
# **MLflow or W&B?** Both track parameters, metrics and artifacts and have a registry.
#
# | | MLflow | Weights & Biases | Vertex AI |
# | --- | --- | --- | --- |
# | Runs where | self-hosted: a file, a database, your server | hosted service (offline mode, or a paid self-hosted server) | managed, in your project |
# | Strengths | open source, no vendor, model format and registry | rich interactive charts, reports, team collaboration, sweeps | integrated with Pipelines, Training, Endpoints, IAM |
# | Data versioning | artifacts per run | Artifacts with lineage graph | Datasets, ML Metadata |
# | Registry | Model Registry: versions, aliases | Registry: linked artifacts, aliases | Model Registry: versions, aliases |

# %%
ask("08-wandb-watch-gradients", "08-wandb-watch-log-freq-numeric", "08-mlflow-vs-wandb")

# %% [markdown]
# ## Summary
#
# * Reproducibility rests on four records: seeds, data version, code version, environment.
#   Measured here:

# %%
pd.Series({
    "same seed, twice: identical weights": fingerprint(first) == fingerprint(second),
    "no seed: identical weights": unseeded[0] == unseeded[1],
    "same init, other shuffling: identical weights": fingerprint(reshuffled) == fingerprint(first),
    "state_dict round trip: identical predictions": same,
    "validation AUC spread over 5 seeds": round(seed_aucs.max() - seed_aucs.min(), 4),
    "DVC: old pointer + checkout restores v1 bytes": restored_rows == N_ROWS // 2,
    "MLflow champion reproduces its logged AUC": again == best["metrics.valid_auc"],
    "W&B gradient histograms, log_freq=100": len(rare),
    "W&B gradient histograms, log_freq=1": len(every_step),
}, name="result").to_frame()

# %% [markdown]
# * Seed torch (weights), the data loader's generator (order), NumPy and `random`; use
#   `random_state` in scikit-learn; on GPUs add deterministic algorithms. Bit-for-bit is great for
#   debugging; a stable metric across seeds is what matters in production.
# * Version data with DVC (pointer with the MD5 in Git, bytes in a cache and remote) or W&B
#   Artifacts; version code with Git; pin the environment with a lock file or a container.
# * Track every run (MLflow, W&B, Vertex AI Experiments) with its params, metrics, data hash, code
#   version and model; register the chosen model, and deploy through an alias such as `champion`.

# %%
ask("08-reproducibility-three-pillars", "08-grid-runs-numeric", "08-registry-rollback", "08-wandb-offline-true-false",
    "08-vanishing-gradients-watch", "08-mlflow-server-scaling", "08-lineage-audit",
    title="Check yourself: chapter 08")

# %% [markdown]
# ## Exercises
#
# In **[Lab 08](../labs/08_experiments_reproducibility.ipynb)** you write a training function that
# is bit-for-bit reproducible, log a sweep to MLflow, register the best run under the `champion`
# alias and reproduce its metric from the registry. The worked solution is in
# [solutions/08_experiments_reproducibility.ipynb](../solutions/08_experiments_reproducibility.ipynb).

# %% [markdown]
# <!-- NAV START -->
# ← [06 · Distributed processing with Spark and Beam](06_distributed_processing.ipynb) · [Contents](00_start_here.ipynb) · Practice: [Lab](../labs/08_experiments_reproducibility.ipynb) · [Solution](../solutions/08_experiments_reproducibility.ipynb)
# <!-- NAV END -->
