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
# ← [Chapter 01](../chapters/01_foundations.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/01_foundations.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 01 · A small retraining pipeline
#
# A subscription service retrains its churn model by hand whenever someone remembers. You will
# automate it: four small functions that a scheduler could run every month without anyone
# watching. A training step that gives the same model for the same seed, a validation step that
# rejects a bad batch and says why, a quality gate that never lets a worse model replace a
# better one, and a drift trigger that decides when retraining is needed. At the end, the four
# run together over a year of data in which the world changes.
#
# Each check builds its own small data, calls your function, and measures what it does.

# %% tags=["parameters"]
N_ROWS = 2000  # customers per month; the full-size run uses 20_000
SEED = 0  # seeds the data and the models

# %% [markdown]
# ## Setup

# %%
import matplotlib.pyplot as plt
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from threadpoolctl import threadpool_limits

import workbook
import workbook.checks
from workbook.checks.lab01 import (
    ALPHA, CHURN_RATE, MAX_DROP, MIN_ACCURACY, MIN_ROWS, RANGES, check_gate, check_train, check_trigger,
    check_validate,
)
from workbook.datasets.drifting import FEATURES, LABEL, monthly_churn
from workbook.lifecycle import drift_report

threadpool_limits(1)  # small models: one thread is as fast, and steady when the machine is busy
VERSIONS = workbook.setup_notebook("scikit-learn", "scipy", "pandas", seed=SEED)
FEATURES = list(FEATURES)

# %% [markdown]
# ## The data
#
# One labelled batch per month (chapter 01's generator). In this lab's year, the churn rule
# changes in month 6 (concept drift). `golden` is a trusted, hand-checked sample every candidate
# model is scored on.

# %%
year = monthly_churn(N_ROWS, 12, drift="concept", start=6, seed=SEED)
golden = monthly_churn(N_ROWS, 1, seed=SEED + 1000)
print(f"{len(year):,} rows; columns: {', '.join(year.columns)}")
year.head(3)

# %% [markdown]
# ## Step 1 · A reproducible training step
#
# Write `train_model(batch, seed)`: fit a `RandomForestClassifier(n_estimators=50,
# min_samples_leaf=20, ...)` on `batch[FEATURES]` and `batch[LABEL]` and return it. The same
# seed must give the same model, whatever happened before in the notebook. The check trains twice
# with `seed=0` after setting NumPy's global random state differently.

# %%
def train_model(batch: pd.DataFrame, seed: int):
    """A fitted churn classifier; the same batch and seed always give the same model."""
    ...  # TODO: your code here


check_train(train_model)

# %% [markdown]
# ## Step 2 · Reject a bad batch, with a reason
#
# Write `validate_batch(batch)` returning a list of reasons (strings); an empty list means the
# batch is good. Reject a batch when:
#
# * a column of `FEATURES` or `LABEL` is missing, or has missing values;
# * a value lies outside its range in `RANGES` (inclusive);
# * the churn rate lies outside `CHURN_RATE`;
# * it has fewer than `MIN_ROWS` rows.
#
# Every reason about a column names the column, so whoever reads the pipeline's log knows what to fix.

# %%
print(RANGES, CHURN_RATE, MIN_ROWS)

# %%
def validate_batch(batch: pd.DataFrame) -> list[str]:
    """The reasons to reject a batch; [] when it is usable."""
    ...  # TODO: your code here


check_validate(validate_batch)

# %% [markdown]
# ## Step 3 · A quality gate
#
# Write `should_promote(candidate, production, golden)`: score both models' accuracy on the
# golden set and return `True` only if the candidate reaches `MIN_ACCURACY` and is at least as
# good as the production model. `production` is `None` before the first deployment.

# %%
def should_promote(candidate, production, golden: pd.DataFrame) -> bool:
    """Promote the candidate only if it reaches the floor and does not lose to production on the golden set."""
    ...  # TODO: your code here


check_gate(should_promote)

# %% [markdown]
# ## Step 4 · A drift trigger
#
# Write `needs_retraining(model, reference, current)`, where `reference` is the batch the model
# was trained on and `current` the newest labelled batch. Return `True` when
#
# * the distribution of any feature has changed: a two-sample KS test with p-value below `ALPHA`
#   (`workbook.lifecycle.drift_report` does it for every feature), or
# * the model's accuracy on `current` is more than `MAX_DROP` below its accuracy on `reference`.
#
# Why both? Think about what each one can see before you run the check.

# %%
def needs_retraining(model, reference: pd.DataFrame, current: pd.DataFrame) -> bool:
    """True when the inputs have drifted or the model's accuracy has dropped."""
    ...  # TODO: your code here


check_trigger(needs_retraining)

# %% [markdown]
# **Why does the trigger need the accuracy test as well as the KS tests?**
#
# *Your answer here.*

# %% [markdown]
# ## The pipeline over a year
#
# The four steps together, month by month: validate the new batch; if the trigger fires, train a
# candidate on it and deploy it only if the gate agrees. The chart shows the production model's
# accuracy on each month's batch.

# %%
def run_year(year: pd.DataFrame) -> pd.DataFrame | None:
    """One row per month: what the pipeline did and the production model's accuracy; None until the steps work."""
    first = year[year["month"] == 0]
    production = train_model(first, SEED)
    if production is None or validate_batch(first) is None:
        return None
    reference, rows = first, []
    for month in range(1, year["month"].max() + 1):
        batch = year[year["month"] == month]
        accuracy = accuracy_score(batch[LABEL], production.predict(batch[FEATURES]))
        if reasons := validate_batch(batch):
            action = f"rejected: {reasons[0]}"
        elif not needs_retraining(production, reference, batch):
            action = "no retraining needed"
        else:
            fit_part, check_part = batch.iloc[::2], batch.iloc[1::2]  # gate on rows the candidate did not see
            candidate = train_model(fit_part, SEED)
            promoted = should_promote(candidate, production, check_part)
            action = "retrained, promoted" if promoted else "retrained, kept production"
            if promoted:
                production, reference = candidate, batch
        rows.append({"month": month, "production accuracy": accuracy, "action": action})
    return pd.DataFrame(rows).set_index("month")


log = run_year(year)
if log is None:
    print("Finish the steps above, then run this cell again.")
else:
    log["production accuracy"].plot(marker="o", figsize=(7, 3), title="Production model, month by month")
    plt.show()
    display(log.round(3))

# %% [markdown]
# (The gate here scores the models on half of the new batch, which the candidate was not trained
# on: after concept drift, last year's golden set describes a world that is gone, so a golden set
# must be refreshed too.)
#
# ## Summary
#
# * A seeded training step makes runs comparable: the same inputs give the same model.
# * Validation with reasons turns a silent upstream accident into a rejected run with a log line.
# * A quality gate compares models on the same labelled data and keeps the better one.
# * A drift trigger needs both views: input tests catch data drift early, quality on labelled
#   data catches concept drift. Together they decide when the pipeline retrains.

# %%
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 01](../chapters/01_foundations.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/01_foundations.ipynb) →
# <!-- NAV END -->
