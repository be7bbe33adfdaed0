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
# ← [00 · Start here](00_start_here.ipynb) · [Contents](00_start_here.ipynb) · [02 · Data pipelines: sources, formats, ETL/ELT](02_data_pipelines.ipynb) → · Practice: [Lab](../labs/01_foundations.ipynb) · [Solution](../solutions/01_foundations.ipynb)
# <!-- NAV END -->

# %% [markdown]
# # 01 · Foundations: MLOps and the ML system lifecycle
#
# What changes when a model leaves the notebook and has to run every day: why the steps around
# it are automated, what "fast" means for a model in production, why models decay, how they can
# shape their own training data, and what it takes to get the same model twice. Every claim is
# measured on a small, runnable system.

# %% tags=["parameters"]
N_ROWS = 2000  # customers per month; the full-size run uses 20_000
N_MONTHS = 12  # months of simulated production data (drift starts in month 6)
N_REPEATS = 3  # timing rounds; the best round is reported
SEED = 0  # seeds every generator, split and model

# %% [markdown]
# ## Setup

# %%
import inspect
import json
import pickle
import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import workbook
from workbook.datasets.drifting import FEATURES, LABEL, monthly_churn
from workbook.lifecycle import STAGES, Rejected, drift_report, feedback_loop, fingerprint, plot_lifecycle, run_steps
from workbook.quiz import ask

threadpool_limits(1)  # small models: one thread is as fast, and timings stay steady on a shared machine
VERSIONS = workbook.setup_notebook("scikit-learn", "scipy", "pandas", "numpy", seed=SEED)
OUT = workbook.scratch_dir("01_foundations")
FEATURES = list(FEATURES)

# %% [markdown]
# ## What MLOps is
#
# **MLOps** (machine learning operations) is the engineering that puts a model into a real
# software system and keeps it useful there: data engineering, software engineering and DevOps
# applied to systems whose behaviour is learned from data. The model is the small part. Around
# it sit data collection and validation, feature pipelines, training and evaluation jobs,
# serving, monitoring and the glue between them, and that is where most production failures live.
#
# Three facts make an ML system different from ordinary software, and each has a section below:
#
# * it must run continuously and meet **latency and throughput** budgets;
# * it **decays** without any code change, because the world that produced its data changes;
# * its outputs can change its own future inputs (**feedback loops**), and re-creating a result
#   needs the same code *and* data *and* randomness (**reproducibility**).
#
# DevOps already automates building, testing and releasing software. MLOps keeps all of that and
# adds data and models as first-class things to version, test and monitor:
#
# | | Ordinary software (DevOps) | ML system (MLOps) |
# | --- | --- | --- |
# | How it is built | written rules; the same input gives the same output | rules learned from data; building is an experiment |
# | What is versioned | code | code, data, trained models (and their settings) |
# | What is tested | the code does what it should | the code, plus the data (schema, ranges) and the model (quality against a bar) |
# | What a release is | ship a build of the code | run a pipeline: validate data, retrain, evaluate, gate, then deploy |
# | Why it gets worse | bugs, load, infrastructure | the same, plus drift: the data moves away from what the model learned |
# | What is monitored | service health: errors, latency | service health plus inputs, predictions and, when labels arrive, quality |
# | Shape of the lifecycle | mostly a line, release after release | a loop: production data and feedback flow back into training |

# %%
ask("01-mlops-versioned-artifacts", "01-model-small-part")

# %% [markdown]
# ## The lifecycle
#
# The lifecycle has five stages, and the last feeds the first: monitoring decides when the data
# must be refreshed and the model retrained. Which chapter of this workbook covers each stage:

# %%
plot_lifecycle()
plt.show()
pd.DataFrame(STAGES, columns=["stage", "what happens", "chapters"]).set_index("stage")

# %% [markdown]
# "Developing ML models starts with engineering data": data problems (missing values, units,
# broken joins, leakage) sink more production models than the choice of algorithm. Chapters
# 02–06 are about data for that reason.

# %%
ask("01-lifecycle-order", "01-lifecycle-cyclical-true-false")

# %% [markdown]
# ## Why automate: the same steps, by hand and as a pipeline
#
# Our running example is a subscription service predicting which customers will cancel
# (churn) this month. Every month a new labelled batch arrives (`workbook.datasets.drifting`):

# %%
data = monthly_churn(N_ROWS, N_MONTHS, seed=SEED)
print(f"{len(data):,} rows, {N_MONTHS} months, churn rate {data[LABEL].mean():.1%}")
data.head(3)

# %% [markdown]
# Five steps turn a batch into a model in production. They are the same steps whether a person
# runs them or a pipeline does:

# %%
def validate(batch: pd.DataFrame) -> list[str]:
    """The problems of a batch (an empty list if it is usable)."""
    problems = [f"missing column {c}" for c in [*FEATURES, LABEL] if c not in batch.columns]
    if problems:
        return problems
    if batch[[*FEATURES, LABEL]].isna().any().any():
        problems.append("missing values")
    if not batch["monthly_spend"].between(5, 500).all():
        problems.append(f"monthly_spend outside 5–500 EUR (max {batch['monthly_spend'].max():,.0f})")
    if not 0.05 <= batch[LABEL].mean() <= 0.6:
        problems.append(f"churn rate {batch[LABEL].mean():.1%} outside 5–60 %")
    return problems


def train(batch: pd.DataFrame, seed: int):
    """Fit the churn model on one batch."""
    model = make_pipeline(StandardScaler(), LogisticRegression(random_state=seed))
    return model.fit(batch[FEATURES], batch[LABEL])


def accuracy(model, batch: pd.DataFrame) -> float:
    return float(accuracy_score(batch[LABEL], model.predict(batch[FEATURES])))


def deploy(model, folder) -> None:
    """'Deploy': write the model to the folder production reads from."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.pkl").write_bytes(pickle.dumps(model))

# %% [markdown]
# A trusted, hand-checked labelled sample (a **golden set**) is what every candidate model is
# evaluated on. Here it is a separate draw from the same population:

# %%
golden = monthly_churn(N_ROWS, 1, seed=SEED + 1000)
month_0 = data[data["month"] == 0]

# %% [markdown]
# **By hand**, as in a notebook: run the cells in order, read the score, copy the file.

# %%
by_hand = train(month_0, SEED)
print(f"accuracy on the golden set: {accuracy(by_hand, golden):.3f}")
deploy(by_hand, OUT / "by_hand")

# %% [markdown]
# **As a pipeline**: the same functions, wrapped as steps that share a context and may reject the
# run. `run_steps` (in `workbook.lifecycle`) runs them in order and logs each one; this is what an
# orchestrator does, at toy scale.

# %%
def check_data(ctx):
    if problems := validate(ctx["batch"]):
        raise Rejected("; ".join(problems))


def fit(ctx):
    return {"model": train(ctx["batch"], ctx["seed"])}


def evaluate(ctx):
    return {"score": accuracy(ctx["model"], ctx["golden"])}


def gate(ctx):
    if ctx["score"] < ctx["production_score"] - 0.01:
        raise Rejected(f"candidate {ctx['score']:.3f} < production {ctx['production_score']:.3f}")


def push(ctx):
    deploy(ctx["model"], ctx["folder"])
    return {"deployed": True}


PIPELINE = [check_data, fit, evaluate, gate, push]
run = run_steps(PIPELINE, {"batch": month_0, "seed": SEED, "golden": golden, "production_score": 0.0,
                           "folder": OUT / "pipeline"})
run.table()

# %% [markdown]
# The pipeline's model is **the same model** as the hand-made one, byte for byte, with the same
# score. Orchestration does not make a model more accurate (or the data more random): it makes
# the *workflow* repeatable. That is exam tip T001.

# %%
same_bytes = (OUT / "by_hand" / "model.pkl").read_bytes() == (OUT / "pipeline" / "model.pkl").read_bytes()
print(f"hand {accuracy(by_hand, golden):.3f}, pipeline {run.context['score']:.3f}, identical files: {same_bytes}")
assert same_bytes and run.context["score"] == accuracy(by_hand, golden)

# %% [markdown]
# The difference shows over a year of monthly runs when things go wrong upstream. We plant two
# realistic accidents: in month 4 an upstream system switches `monthly_spend` to cents, and in
# month 8 a broken join shuffles the labels against the customers. The hand process retrains and
# deploys every month; the pipeline runs its checks every month.

# %%
def monthly_batches():
    for month in range(1, N_MONTHS):
        batch = data[data["month"] == month].copy()
        if month == 4:
            batch["monthly_spend"] *= 100
        if month == 8:
            batch[LABEL] = np.random.default_rng(month).permutation(batch[LABEL].to_numpy())
        yield month, batch


hand_model, pipe_model, rows = by_hand, by_hand, []
for month, batch in monthly_batches():
    hand_model = train(batch, SEED)  # by hand: retrain, glance at the score, deploy
    log = run_steps(PIPELINE, {"batch": batch, "seed": SEED, "golden": golden,
                               "production_score": accuracy(pipe_model, golden), "folder": OUT / "pipeline"})
    if log.ok:
        pipe_model = log.context["model"]
    stopped = [s for s in log.steps if s["status"] == "rejected"]
    rows.append({"month": month, "by hand": accuracy(hand_model, golden), "pipeline": accuracy(pipe_model, golden),
                 "pipeline run": f"rejected at {stopped[0]['step']}: {stopped[0]['detail']}" if stopped else "deployed"})
year = pd.DataFrame(rows).set_index("month")
year.round(3)

# %%
bad_hand = year.index[year["by hand"] < year["pipeline"] - 0.02].tolist()
print(f"months in which the hand process put a worse model in production: {bad_hand}")
print(f"mean production accuracy: by hand {year['by hand'].mean():.3f}, pipeline {year['pipeline'].mean():.3f}")
assert bad_hand == [4, 8] and (year["pipeline run"] != "deployed").sum() == 2

# %% [markdown]
# Note how each accident is caught: the unit change by **data validation** (a range check), the
# shuffled labels by the **quality gate** (the batch looks perfectly normal: right columns, right
# churn rate). Neither check is clever; what matters is that a pipeline runs them *every time*,
# logs the outcome, and keeps the last good model when a run is rejected.
#
# The model itself is a small part of all this: count the lines.

# %%
lines = {f.__name__: len(inspect.getsource(f).splitlines()) for f in [validate, train, accuracy, deploy, *PIPELINE]}
print(f"model code (train): {lines['train']} of {sum(lines.values())} lines of the pipeline")

# %% [markdown]
# What an orchestrator adds is scheduling and triggering runs, managing the dependencies
# between steps (a DAG), retries, logs and a record of every run's inputs and outputs (lineage).
# On Google Cloud:
#
# | Need | Service |
# | --- | --- |
# | Run ML pipelines (DAGs of containerised steps), with lineage | **Vertex AI Pipelines** (Kubeflow Pipelines or TFX); chapter 07 |
# | Orchestrate workflows across many data systems, on schedules | **Cloud Composer** (managed Apache Airflow) |
# | Start a job on a cron schedule | **Cloud Scheduler** (Cloud Tasks for queued, retried tasks) |
# | Build, test and release pipeline code on every change (CI/CD) | **Cloud Build**, with the code in a Git repository |
# | Pipeline health metrics and alert policies | **Cloud Monitoring** |
# | Central logs for debugging and audits | **Cloud Logging** |
# | Grouped runtime exceptions with alerts | **Error Reporting** |
#
# Older exam material says **AI Platform** (Training, Prediction, Pipelines): those are now
# **Vertex AI**.

# %%
ask("01-orchestration-streamlines-workflow", "01-orchestration-accuracy-true-false",
    "01-pipeline-benefits-select-all", "01-shuffled-labels-gate", "01-schedule-cloud-scheduler",
    "01-pipeline-status-cloud-monitoring")

# %% [markdown]
# ## Latency and throughput
#
# * **Latency**: the time from one request to its prediction. It matters when a person or a
#   system waits for the answer (fraud checks at payment time, search ranking).
# * **Throughput**: predictions per second. It matters when there are many to make (scoring
#   every customer overnight).
#
# They are not the same thing, and batching trades one for the other. We time a boosted-tree
# model on batches of different sizes. Timings depend on the machine and its load, so these
# cells' outputs are not checked by the tests.

# %%
model = HistGradientBoostingClassifier(max_iter=100, random_state=SEED).fit(data[FEATURES], data[LABEL])
pool = data[FEATURES].sample(10_000, replace=True, random_state=SEED)

# %% tags=["nbval-ignore-output"]
speed = pd.DataFrame({"batch size": [1, 10, 100, 1_000, 10_000]}).set_index("batch size")
speed["ms per call"] = [1e3 * workbook.best_time(lambda n=n: model.predict_proba(pool[:n]), repeat=N_REPEATS)
                        for n in speed.index]
speed["predictions per s"] = speed.index / (speed["ms per call"] / 1e3)
speed.round(1)

# %% tags=["nbval-ignore-output"]
fig, axes = plt.subplots(1, 2, figsize=(9, 3))
speed["ms per call"].plot(ax=axes[0], logx=True, logy=True, marker="o", title="Latency of one call (ms)")
speed["predictions per s"].plot(ax=axes[1], logx=True, logy=True, marker="o", color="#dd8452",
                                title="Throughput (predictions per second)")
plt.tight_layout()
plt.show()

# %%
gain = speed.loc[1_000, "predictions per s"] / speed.loc[1, "predictions per s"]
assert gain > 10  # a call has a fixed cost; batching spreads it over many rows

# %% [markdown]
# One row at a time, most of each call is fixed overhead (checking the input, setting up the
# trees); in batches of 1,000 the same overhead is shared, so throughput is many times higher,
# while each caller waits longer. Real services also care about the **tail**: the slowest
# requests, reported as the 99th percentile.

# %% tags=["nbval-ignore-output"]
single = pool[:1]
waits = []
for _ in range(200):
    start = time.perf_counter()
    model.predict_proba(single)
    waits.append(1e3 * (time.perf_counter() - start))
print(f"one-row requests: median {np.median(waits):.2f} ms, p99 {np.percentile(waits, 99):.2f} ms, "
      f"batch-of-1,000 throughput {gain:.0f}x the one-row throughput")

# %% [markdown]
# The levers, covered in chapters 10 and 11: simpler or smaller models, compression and
# quantisation, batching, caching repeated requests, and hardware (GPUs, more replicas).
# Online prediction on a Vertex AI endpoint is judged by latency; batch prediction jobs by throughput.

# %%
ask("01-latency-vs-throughput", "01-batch-throughput-numeric", "01-online-fraud-latency")

# %% [markdown]
# ## Data drift and concept drift
#
# A model is trained on the past and used on the future. When the future differs, the model
# gets worse while its code stays the same. Two kinds of change:
#
# * **data drift**: the *inputs* change their distribution (summer photos, then winter photos;
#   here, new pricier plans raise `monthly_spend`);
# * **concept drift**: the *relation between inputs and label* changes (what predicted churn
#   before a competitor's offer no longer does; here, long-standing customers start leaving).
#
# We simulate a year in three worlds that are identical until month 6, train once on months
# 0–2, and score every month.

# %%
worlds = {drift: monthly_churn(N_ROWS, N_MONTHS, drift=drift, start=6, seed=SEED)
          for drift in ["none", "data", "concept"]}
first = worlds["none"][worlds["none"]["month"] < 3]
churn_model = train(first, SEED)
scores = pd.DataFrame({drift: df.groupby("month").apply(lambda m: accuracy(churn_model, m), include_groups=False)
                       for drift, df in worlds.items()})
scores.round(3).T

# %%
ax = scores.plot(marker="o", figsize=(7, 3), title="Accuracy of the model trained on months 0–2")
ax.axvline(5.5, color="grey", ls="--")
ax.set_ylabel("accuracy")
plt.show()

# %%
before, after = scores.loc[:5].mean(), scores.loc[6:].mean()
print((after - before).round(3).rename("accuracy change after month 6").to_string())
assert after["none"] - before["none"] > -0.02 and after["data"] - before["data"] < -0.03
assert after["concept"] - before["concept"] < -0.08

# %% [markdown]
# Both kinds of drift cost accuracy. Can we see them coming *without labels*? Labels often
# arrive late (a churn label only at the end of the month), but inputs are there at once. A
# two-sample **Kolmogorov–Smirnov test** compares each feature's distribution in the new month
# with the training data: its statistic is the largest gap between the two cumulative
# distributions, and a small p-value says the gap is unlikely to be chance.

# %%
reports = {drift: drift_report(first, df[df["month"] == 6], FEATURES) for drift, df in worlds.items()}
pd.concat(reports, names=["world", "feature"]).round(4)

# %%
flagged = {drift: r.index[r["drifted"]].tolist() for drift, r in reports.items()}
print(flagged)
assert flagged == {"none": [], "data": ["monthly_spend"], "concept": []}

# %% [markdown]
# The test finds the data drift at once, and names the feature. It is **blind to the concept
# drift**: the inputs of the concept world are exactly as before, only the labels changed. To
# catch concept drift you must watch the model's quality on labelled data as it arrives (or a
# proxy such as the share of positive predictions), which is what chapter 12's monitoring does.
#
# The remedy for both is the same: **monitor, then retrain** on recent data (exam tip T002).
# Retraining on months 6–7 and scoring months 8 onwards:

# %%
def later(df):
    return df[df["month"] >= 8]


retrained = {drift: train(df[df["month"].isin([6, 7])], SEED) for drift, df in worlds.items()}
recovery = pd.DataFrame({
    "old model": {d: accuracy(churn_model, later(df)) for d, df in worlds.items()},
    "retrained on months 6–7": {d: accuracy(retrained[d], later(df)) for d, df in worlds.items()},
})
recovery.round(3)

# %%
assert (recovery["retrained on months 6–7"] >= recovery["old model"] - 0.01).all()
assert (recovery.loc[["data", "concept"], "retrained on months 6–7"]
        > recovery.loc[["data", "concept"], "old model"] + 0.03).all()

# %% [markdown]
# Handling drift in practice: monitor inputs (statistical tests, distribution tracking) and,
# when labels arrive, quality; set thresholds that raise alerts or trigger a retraining
# pipeline; retrain on a schedule when changes are expected; consider online learning only
# with care (it can learn the wrong thing fast). On Google Cloud, **Vertex AI Model Monitoring**
# checks training–serving skew and prediction drift of deployed models (chapter 12).

# %%
ask("01-degrading-performance-drift", "01-concept-drift-inputs-unchanged", "01-winter-photos-data-drift",
    "01-ks-no-alarm-true-false", "01-drift-handling-select-all", "01-ks-statistic-numeric")

# %% [markdown]
# ## Feedback loops
#
# A model's predictions can shape the data it is retrained on. A recommender that shows what is
# popular gets clicks on what it showed, so those items look even more popular next time; items
# it never shows never get the chance. `workbook.lifecycle.feedback_loop` simulates this: 100
# items with hidden appeal, a recommender that shows the 5 items with the best click rate in its
# own logs, retrained every round. With `explore=0.2`, one visitor in five sees random items.

# %%
loops = {f"explore {e:.0%}": feedback_loop(100, 30, explore=e, seed=SEED) for e in [0.0, 0.05, 0.2]}
skew = pd.DataFrame({name: loop["top_share"] for name, loop in loops.items()})
ax = skew.plot(figsize=(7, 3), title="Share of logged impressions on the top 10 % of items")
ax.set_xlabel("retraining round")
plt.show()

# %%
last = pd.DataFrame({name: loop.iloc[-1] for name, loop in loops.items()}).T
last[["top_share", "items_known", "appeal_recommended", "appeal_best"]].round(3)

# %%
assert last["top_share"].is_monotonic_decreasing and last["items_known"].is_monotonic_increasing
assert skew["explore 0%"].iloc[-1] > 2 * skew["explore 0%"].iloc[0]

# %% [markdown]
# Without exploration the training data concentrates on a handful of items within a few rounds,
# and the system knows almost nothing about the rest of the catalogue. A little exploration keeps
# the logs broad at a small cost. Other ways to manage feedback loops: de-bias the training data
# (weight logged examples by how likely they were to be shown), test changes with A/B tests or
# simulations, and break the loop now and then with randomised traffic.

# %%
ask("01-feedback-loop-recommender", "01-feedback-loop-mitigations-select-all")

# %% [markdown]
# ## Reproducibility
#
# **Reproducibility** is getting the same result again: tomorrow, on a colleague's machine, in
# the cloud. It needs the same code, the same data, the same randomness and the same software.
# Here a random forest is trained twice with a seed, and twice without:

# %%
month_1 = data[data["month"] == 1]


def forest(seed):
    return RandomForestClassifier(n_estimators=30, random_state=seed).fit(month_0[FEATURES], month_0[LABEL])


runs = pd.DataFrame([{"run": f"{kind} #{i}", "fingerprint": fingerprint(m), "accuracy": accuracy(m, month_1)}
                     for kind, make in [("seed=0", lambda: forest(0)), ("no seed", lambda: forest(None))]
                     for i, m in enumerate([make(), make()], 1)]).set_index("run")
runs.round(4)

# %%
assert runs.loc["seed=0 #1", "fingerprint"] == runs.loc["seed=0 #2", "fingerprint"]
assert runs.loc["no seed #1", "fingerprint"] != runs.loc["no seed #2", "fingerprint"]

# %% [markdown]
# Seeded runs give the same model, down to the last byte; unseeded ones differ, and so may
# their metrics. A seed is not enough across machines, though: another scikit-learn or NumPy
# version may produce another model from the same seed. So a run records what it ran with:

# %%
record = {"seed": SEED, "data": fingerprint(month_0), "model": runs.loc["seed=0 #1", "fingerprint"],
          "accuracy": round(float(runs.loc["seed=0 #1", "accuracy"]), 4), "versions": VERSIONS}
(OUT / "run_record.json").write_text(json.dumps(record, indent=2))
print(json.dumps({k: v for k, v in record.items() if k != "versions"}))

# %% [markdown]
# The full answer (exam tip T003): **version control** for code, configuration and data
# versions; **containers** (a Docker image per pipeline step, as Vertex AI Pipelines and
# Vertex AI custom training use) so the software is the same everywhere; **tests** for code,
# data and models; fixed seeds; and a record of every run (chapter 08 uses experiment tracking
# for that).

# %%
ask("01-reproduce-across-environments", "01-seed-enough-true-false", "01-reproducibility-select-all",
    "01-different-model-hash")

# %% [markdown]
# ## Summary
#
# * MLOps = DevOps + data + models: version, test and monitor all three; the lifecycle is a loop.
# * A pipeline runs the same steps as a person, so the model and its score are identical (T001);
#   it adds reliability: validation and a quality gate every run, a log, and the last good
#   model kept when a run is rejected. Our year with two upstream accidents: the hand process
#   deployed two bad models, the pipeline none.
# * Latency (time per request) and throughput (predictions per second) are different budgets;
#   batching raises throughput many times over.
# * Data drift changes the inputs and shows in tests on the inputs; concept drift changes the
#   input→label relation and shows only in quality on labelled data. Both: monitor and retrain (T002).
# * Feedback loops skew training data towards what the model already shows; exploration helps.
# * Reproducibility needs seeds, recorded versions, version control, containers and tests (T003).

# %%
ask("01-mlops-versioned-artifacts", "01-orchestration-accuracy-true-false", "01-pipeline-change-reliability",
    "01-concept-drift-inputs-unchanged", "01-latency-vs-throughput", "01-feedback-loop-recommender",
    "01-reproduce-across-environments", "01-ai-platform-renamed", title="Check yourself: chapter 01")

# %% [markdown]
# ## Exercises
#
# Automate a small retraining pipeline yourself in **[Lab 01](../labs/01_foundations.ipynb)**:
# a reproducible training step, a validation step that rejects bad batches with a reason, a
# quality gate that refuses worse models, and a drift trigger that decides when to retrain.
# The worked solution is in [solutions/01_foundations.ipynb](../solutions/01_foundations.ipynb).

# %% [markdown]
# <!-- NAV START -->
# ← [00 · Start here](00_start_here.ipynb) · [Contents](00_start_here.ipynb) · [02 · Data pipelines: sources, formats, ETL/ELT](02_data_pipelines.ipynb) → · Practice: [Lab](../labs/01_foundations.ipynb) · [Solution](../solutions/01_foundations.ipynb)
# <!-- NAV END -->
