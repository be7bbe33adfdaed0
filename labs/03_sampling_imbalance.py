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
# ← [Chapter 03](../chapters/03_sampling_imbalance.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/03_sampling_imbalance.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 03 · Fraud detection with 1 % positives: which fix for the imbalance helps?
#
# A payment company wants a fraud model, and 1 % of its transactions are fraud. You will set up
# an honest evaluation (a stratified holdout that nothing is fitted or resampled on), build six
# candidate models (no fix, class weights, and four resampling methods), compare them by PR-AUC
# and by recall at a fixed precision, and finally make the classic mistake on purpose:
# oversampling before the split, to see how far it inflates the score.
#
# Each step below asks you to write one function; the check under it tells you, with numbers,
# whether it does what the step asks. Checks build their own small inputs, so you can do the
# steps in any order.

# %% tags=["parameters"]
N_ROWS = 40_000  # generated transactions (1 % fraud); the full-size run uses 400_000
MIN_PRECISION = 0.5  # "recall at a fixed precision": at least half of the alerts must be real fraud
SEED = 0  # seeds the data, the split, the samplers and the models

# %% [markdown]
# ## Setup
#
# The tools of this lab, then the workbook: seeds, versions, and the generated transactions.
# `workbook.imbalance` holds the metric helpers of chapter 03: `operating_point(y, scores,
# min_precision)` returns the threshold with the best recall among those whose precision is at
# least `min_precision`, with that precision and recall.

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier

# %%
import workbook
import workbook.checks
from workbook.checks.lab03 import (
    METHODS, TEST_SIZE, check_comparison, check_evaluate, check_leaky_split, check_models, check_split,
)
from workbook.datasets.fraud import FEATURES, LABEL, fraud_transactions
from workbook.imbalance import operating_point, plot_pr_curves

VERSIONS = workbook.setup_notebook("numpy", "pandas", "scikit-learn", "imbalanced-learn", seed=SEED)
df = fraud_transactions(N_ROWS, fraud_rate=0.01, seed=SEED)

# %% [markdown]
# ## The data
#
# Synthetic card transactions: an id, eight numeric features, and the label `is_fraud`. About
# half of the frauds are blatant (large, at night, far from home, new account), the other half
# look almost legitimate.

# %%
print(f"{len(df):,} transactions, {df[LABEL].sum():,} frauds ({df[LABEL].mean():.2%}); features: {', '.join(FEATURES)}")
df.groupby(LABEL)[list(FEATURES)].median()

# %% [markdown]
# ## Step 1 · A stratified holdout
#
# Everything you will compare is measured on one holdout (test) set, so it must look like
# production: the real 1 % fraud rate, and never touched by fitting or resampling. With only a
# few hundred frauds, a random split can leave the test set with noticeably more or fewer of
# them than 1 %; a **stratified** split keeps the rate exact.
#
# Write `split_holdout(df, seed)` returning `(train, test)`: a 75/25 split (`TEST_SIZE`),
# stratified by `is_fraud`, reproducible from `seed`, keeping every column.

# %%
def split_holdout(df: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (train, test): a 75/25 split of the rows of `df`, stratified by is_fraud."""
    ...  # TODO: your code here


check_split(split_holdout)

# %% [markdown]
# ## Step 2 · Six ways to handle the imbalance
#
# Write `make_model(method, seed)` returning an **unfitted** model for each method of `METHODS`:
#
# | `method` | What it does |
# | --- | --- |
# | `"baseline"` | no fix: the data as they are |
# | `"class_weight"` | algorithm level: `LogisticRegression(class_weight="balanced")` |
# | `"undersample"` | `RandomUnderSampler`: drop legitimate rows until the classes are equal |
# | `"oversample"` | `RandomOverSampler`: copy frauds until the classes are equal |
# | `"smote"` | `SMOTE`: create synthetic frauds between neighbouring frauds |
# | `"tomek"` | `TomekLinks`: remove the legitimate half of each Tomek link |
#
# Use the same classifier everywhere (`LogisticRegression(max_iter=1_000)`), after
# `FunctionTransformer(np.log1p)` and `StandardScaler()` (the amounts and distances are
# skewed; SMOTE and Tomek links measure distances, so put the sampler after the scaler). Build
# it as an `imblearn.pipeline.Pipeline`: its samplers act during `fit` only and are skipped by
# `predict_proba`, so whatever you evaluate later is never resampled. Pass `random_state=seed`
# to every sampler that has one.

# %%
def make_model(method: str, seed: int) -> Pipeline:
    """An unfitted pipeline for `method`: log1p, scale, the method's sampler (if any), logistic regression."""
    ...  # TODO: your code here


check_models(make_model)

# %% [markdown]
# ## Step 3 · Evaluate on the untouched holdout
#
# Write `evaluate(model, train, test, min_precision)`: fit `model` on the training rows
# (`train[list(FEATURES)]` and `train[LABEL]`; the id and the label are not features), score
# every test row with the fraud probability, and return a dict:
#
# | Key | Value |
# | --- | --- |
# | `"scores"` | the fraud probability of each test row, in the test set's order |
# | `"pr_auc"` | `average_precision_score(y_test, scores)` |
# | `"recall_at_precision"`, `"threshold"` | from `operating_point(y_test, scores, min_precision)` |
#
# The check hands you a model with a *spy* sampler inside, which records the rows it is asked to
# resample: it must see exactly the training rows, never a test row.

# %%
def evaluate(model, train: pd.DataFrame, test: pd.DataFrame, min_precision: float) -> dict:
    """Fit `model` on train, score test; return scores, PR-AUC, and recall and threshold at `min_precision`."""
    ...  # TODO: your code here


check_evaluate(evaluate)

# %% [markdown]
# ## Step 4 · Compare the methods
#
# Write `compare_methods(train, test, seed, min_precision)` returning `{method: result}` for
# every method of `METHODS`, where each result is what `evaluate` returns for
# `make_model(method, seed)`. The check recomputes every metric from the returned scores.

# %%
def compare_methods(train: pd.DataFrame, test: pd.DataFrame, seed: int, min_precision: float) -> dict[str, dict]:
    """{method: evaluate(make_model(method, seed), train, test, min_precision)} for every method."""
    ...  # TODO: your code here


check_comparison(compare_methods)

# %% [markdown]
# ## Step 5 · The mistake, on purpose: oversample before the split
#
# A common shortcut: balance the whole dataset first, then split it. Write
# `oversample_then_split(df, seed)` that does exactly that: `RandomOverSampler(random_state=seed)`
# on **all** rows of `df` (every column, so the `transaction_id` of each copy shows where it came
# from, with `df[LABEL]` as the target), then your `split_holdout` on the result. Return
# `(train, test)`. The check confirms the mistake was made and counts the copies.

# %%
def oversample_then_split(df: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Oversample every row of `df` to 50/50 fraud, then split 75/25: the leaky order."""
    ...  # TODO: your code here


check_leaky_split(oversample_then_split)

# %% [markdown]
# ## Run the comparison
#
# Your functions, on the full dataset. Each cell waits until the steps it needs are done, so
# this part runs at any stage of the lab.

# %%
holdout = split_holdout(df, SEED)
results = None if holdout is None else compare_methods(*holdout, SEED, MIN_PRECISION)
if results is None:
    print("Finish steps 1 to 4, then run this cell again.")
else:
    train, test = holdout
    y_test = test[LABEL].to_numpy()
    comparison = pd.DataFrame({
        method: {"PR-AUC": r["pr_auc"], "ROC-AUC": roc_auc_score(y_test, r["scores"]),
                 f"recall @ {MIN_PRECISION:.0%} precision": r["recall_at_precision"], "threshold": r["threshold"],
                 "recall @ 0.5": float(np.mean(np.asarray(r["scores"])[y_test == 1] >= 0.5))}
        for method, r in results.items()}).T
    print(f"test set: {len(test):,} transactions, {y_test.sum()} frauds")
    display(comparison.round(3))

# %% [markdown]
# The precision-recall curves, with each method's best recall at the required precision marked:

# %%
if results is not None:
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    plot_pr_curves(y_test, {m: r["scores"] for m, r in results.items()}, ax=axes[0], min_precision=MIN_PRECISION,
                   title="Holdout precision-recall")
    comparison[["PR-AUC", f"recall @ {MIN_PRECISION:.0%} precision", "recall @ 0.5"]].plot.bar(ax=axes[1], rot=20)
    axes[1].set(ylim=(0, 1), title="Six methods, one untouched holdout")
    plt.tight_layout()
    plt.show()

# %% [markdown]
# Now the leak. A decision tree memorises its training rows, which makes the damage easy to see:
# the same tree and oversampler, once evaluated the honest way (oversampling inside the model,
# on the training rows only, scored on the untouched holdout), once on the leaky split.

# %%
leaky = oversample_then_split(df, SEED)
if holdout is None or leaky is None or results is None:
    print("Finish steps 1, 3 and 5, then run this cell again.")
else:
    tree = DecisionTreeClassifier(random_state=SEED)
    honest_tree = Pipeline([("resample", RandomOverSampler(random_state=SEED)), ("model", tree)])
    runs = {"honest: oversample inside, untouched test": (honest_tree, *holdout),
            "leaky: oversample, then split": (tree, *leaky)}
    leak_table = {}
    for name, (model, part_train, part_test) in runs.items():
        r = evaluate(model, part_train, part_test, MIN_PRECISION)
        leak_table[name] = {"test fraud rate": part_test[LABEL].mean(), "PR-AUC": r["pr_auc"],
                            "ROC-AUC": roc_auc_score(part_test[LABEL], r["scores"]),
                            f"recall @ {MIN_PRECISION:.0%} precision": r["recall_at_precision"]}
    leak_table = pd.DataFrame(leak_table).T
    display(leak_table.round(3))

# %%
if holdout is not None and leaky is not None and results is not None:
    fig, ax = plt.subplots(figsize=(7, 3))
    leak_table.drop(columns="test fraud rate").T.plot.bar(ax=ax, rot=0, color=["#4c72b0", "#c44e52"])
    ax.set(ylim=(0, 1.35), title="Decision tree: honest vs leaky evaluation")
    ax.legend(fontsize="small", loc="upper center", ncol=2)
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Which model would you deploy?
#
# Answer in a few sentences, using your numbers: which method would you ship, how would you
# set its threshold, and what would you say to a colleague who reports the leaky score?

# %% [markdown]
# *Your answer here.*

# %% [markdown]
# ## Summary
#
# * Stratify the holdout: with few positives, a random split changes the fraud rate you test on.
# * Fix the imbalance inside the model (`imblearn.pipeline.Pipeline`): samplers then act on the
#   training rows during `fit` and never on the rows you score.
# * Compare by threshold-free metrics that focus on the rare class (PR-AUC, recall at a fixed
#   precision) and recompute every reported number from the scores.
# * Resampling before the split leaks copies into the test set and changes its class mix:
#   the score it produces cannot be trusted.

# %%
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 03](../chapters/03_sampling_imbalance.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/03_sampling_imbalance.ipynb) →
# <!-- NAV END -->
