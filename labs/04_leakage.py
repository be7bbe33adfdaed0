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
# ← [Chapter 04](../chapters/04_leakage.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/04_leakage.ipynb) →
# <!-- NAV END -->

# %% [markdown]
# # Lab 04 · Leak hunt
#
# A fraud team is proud of its new model: a validation ROC AUC close to 1. You have a month of
# data that played no part in building it, scored the way production will score it, and there
# the model is barely better than a coin. Somewhere in the data and the pipeline, three leaks of
# different kinds are hiding. Find them with the detectors of chapter 04, fix each one, and
# watch the validation score come down to meet the clean holdout.
#
# The fixes are three small steps; the check under each one measures your fix the way the
# chapter does (validation against a clean holdout, with everything but your step leak-free),
# and the last check runs your three steps together and names every leak that remains.

# %% tags=["parameters"]
N_PAYMENTS = 6000  # distinct payments per month; the full-size run uses 40_000
SEED = 0  # seeds the data, the splits and the models

# %% [markdown]
# ## Setup

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, TargetEncoder
from threadpoolctl import threadpool_limits

# %%
import workbook
import workbook.checks
from workbook.checks.lab04 import check_features, check_fit_predict, check_leaks_gone, check_split
from workbook.datasets.payments import leak_hunt
from workbook.leakage import check_split as self_check, plot_scores

threadpool_limits(1)  # small models: one thread is as fast, and steady when the machine is busy
VERSIONS = workbook.setup_notebook("scikit-learn", "pandas", "numpy", seed=SEED)

# %% [markdown]
# ## The data and the team's pipeline
#
# `dev` is the development extract, one month of card payments as the team received it.
# `holdout` is the following month, scored as production will score it: each payment once, and
# only the information available when the payment is approved or declined. The data dictionary:
#
# | Column | Meaning |
# | --- | --- |
# | `payment_id`, `ts` | the payment's id and timestamp |
# | `amount`, `hour` | amount (EUR) and hour of the day |
# | `account_age_days`, `n_payments_24h` | age of the card account; payments on the card in the last 24 hours |
# | `device`, `foreign` | `app`, `web` or `pos`; 1 if the card was issued abroad |
# | `merchant` | the merchant's id (1,200 merchants) |
# | `chargeback` | 1 if the card holder disputed the payment (recorded when the dispute arrives) |
# | `is_fraud` | the label: 1 if the payment was confirmed as fraud |

# %%
hunt = leak_hunt(N_PAYMENTS, seed=SEED)
dev, holdout = hunt.dev, hunt.holdout
print(f"dev: {len(dev):,} rows, fraud rate {dev['is_fraud'].mean():.1%}; holdout: {len(holdout):,} rows, "
      f"fraud rate {holdout['is_fraud'].mean():.1%}")
dev.head()

# %% [markdown]
# The team's pipeline, as they wrote it. Read it once; you will come back to it.

# %%
TEAM_FEATURES = ["amount", "hour", "account_age_days", "n_payments_24h", "device", "foreign", "chargeback",
                 "merchant_fraud_rate"]


def team_pipeline(dev: pd.DataFrame, seed: int):
    """The team's code: add the merchant fraud rate, split 75/25, fit boosted trees. Returns (model, train, valid)."""
    df = dev.assign(merchant_fraud_rate=dev.groupby("merchant")["is_fraud"].transform("mean"))
    train, valid = train_test_split(df, test_size=0.25, random_state=seed, stratify=df["is_fraud"])
    onehot = make_column_transformer((OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["device"]),
                                     remainder="passthrough")
    model = make_pipeline(onehot, HistGradientBoostingClassifier(max_iter=60, early_stopping=False, random_state=seed))
    return model.fit(train[TEAM_FEATURES], train["is_fraud"]), train, valid


def team_scores(model, dev: pd.DataFrame, valid: pd.DataFrame) -> dict[str, float]:
    """Validation AUC, and the AUC on the holdout with the merchant rates the team would deploy."""
    rates = dev.groupby("merchant")["is_fraud"].mean()
    scored = holdout.assign(merchant_fraud_rate=holdout["merchant"].map(rates).fillna(dev["is_fraud"].mean()))
    return {"validation": roc_auc_score(valid["is_fraud"], model.predict_proba(valid[TEAM_FEATURES])[:, 1]),
            "clean holdout": roc_auc_score(scored["is_fraud"], model.predict_proba(scored[TEAM_FEATURES])[:, 1])}


team_model, team_train, team_valid = team_pipeline(dev, SEED)
team = team_scores(team_model, dev, team_valid)
plot_scores({"team": team}, title="The team's fraud model")
plt.show()
pd.Series(team).round(3)

# %% [markdown]
# A validation AUC far above the clean holdout: the textbook picture of a leak. Time to hunt.
#
# ## Hunt 1 · The self-check
#
# Run `self_check` (that is `workbook.leakage.check_split`) on the team's `team_train` and
# `team_valid`, with `label="is_fraud"`. Which leak does it report, and how many rows?

# %%
report = ...  # TODO: self_check(...) on the team's split
report

# %% [markdown]
# ## Hunt 2 · Permutation importance
#
# Compute the permutation importance of `team_model`'s features on the team's **validation**
# rows (`sklearn.inspection.permutation_importance`, `scoring="roc_auc"`, `n_repeats=5`,
# `random_state=SEED`) and keep the mean AUC lost per feature as a Series named `importance`.
# Which columns does the model lean on, and would their values exist when a payment is scored?

# %%
importance = ...  # TODO: a pandas Series, feature name -> mean AUC lost when shuffled
if isinstance(importance, pd.Series):
    importance.sort_values().plot.barh(color="#c44e52", figsize=(6, 3), title="AUC lost when shuffled (validation)")
    plt.show()
    print(importance.sort_values(ascending=False).head(3).round(3).to_string())

# %% [markdown]
# ## Hunt 3 · A null model
#
# Shuffle the labels of `dev` (`np.random.default_rng(SEED).permutation`), run `team_pipeline`
# on the shuffled copy, and compute its validation AUC as `null_auc`. A sound pipeline scores
# about 0.5 on labels that mean nothing. What does the team's score tell you?

# %%
null_auc = ...  # TODO: the team's validation AUC on shuffled labels
if isinstance(null_auc, float):
    print(f"team pipeline on shuffled labels: validation AUC {null_auc:.3f} (chance is 0.5)")

# %% [markdown]
# **The three leaks you found**, one line each (what, which kind, which detector showed it):
#
# *Your answer here.*

# %% [markdown]
# ## Step 1 · Deduplicate, then split
#
# Write `split_dev(dev, seed)` returning `(train, valid)`: remove the duplicate rows first, then
# split the unique payments 75/25, stratified by `is_fraud`, reproducible from `seed`. Keep every
# column. The check trains a leak-free reference model on your `train` and expects its scores on
# your `valid` and on a clean holdout to agree.

# %%
def split_dev(dev: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (train, valid): the unique payments of `dev`, split 75/25, stratified by is_fraud."""
    ...  # TODO: your code here


check_split(split_dev)

# %% [markdown]
# ## Step 2 · Only what is known when a payment is scored
#
# List the feature columns in `FEATURES`: every column of `dev` whose value exists at the moment
# a payment is approved or declined, and nothing else. Give the raw `merchant` column (step 3
# encodes it), not the team's `merchant_fraud_rate`.

# %%
FEATURES = ...  # TODO: a list of column names of dev
check_features(FEATURES)

# %% [markdown]
# ## Step 3 · Encode merchants inside the pipeline
#
# Write `fit_predict(train, rows, features)`: build a scikit-learn pipeline that one-hot encodes
# `device`, target-encodes `merchant` (`TargetEncoder`, with
# `cv=StratifiedKFold(5, shuffle=True, random_state=0)` so it is deterministic) and passes the
# other columns through to `HistGradientBoostingClassifier(max_iter=60, early_stopping=False,
# random_state=0)`; fit it on `train[features]` only; return the fraud probabilities of
# `rows[features]` (one number per row). The check flips the labels of `rows`: your scores must
# not move.

# %%
def fit_predict(train: pd.DataFrame, rows: pd.DataFrame, features: list[str]) -> np.ndarray:
    """Fit a pipeline on the training rows only; return the fraud probability of each row of `rows`."""
    ...  # TODO: your code here


check_fit_predict(fit_predict)

# %% [markdown]
# ## Step 4 · All three fixes together
#
# The last check runs your split, your features and your model together, reports each of the
# three leaks, and compares validation with the clean holdout.

# %%
check_leaks_gone(split_dev, FEATURES, fit_predict)

# %% [markdown]
# The same on this notebook's data, next to the team's numbers:

# %%
def fixed_scores(dev: pd.DataFrame, seed: int) -> dict[str, float] | None:
    """Validation and clean-holdout AUC of your fixed pipeline; None while a step is not done."""
    split = split_dev(dev, seed)
    if split is None or not isinstance(FEATURES, list):
        return None
    train, valid = split
    scores = fit_predict(train, pd.concat([valid, holdout]), FEATURES)
    if scores is None:
        return None
    return {"validation": roc_auc_score(valid["is_fraud"], scores[:len(valid)]),
            "clean holdout": roc_auc_score(holdout["is_fraud"], scores[len(valid):])}


fixed = fixed_scores(dev, SEED)
if fixed is None:
    print("Finish the steps above, then run this cell again.")
else:
    comparison = pd.DataFrame({"team": team, "fixed": fixed}).T
    plot_scores(comparison, title="The team's pipeline and yours")
    plt.show()
    display(comparison.round(3))

# %% [markdown]
# ## Summary
#
# Three leaks of three kinds, each found by a different detector:
#
# * **contamination** (copies across the split): counted by the self-check; fixed by
#   deduplicating before the split;
# * **a target-derived column** (`chargeback`, filled in after the outcome): exposed by
#   permutation importance; fixed by asking of every column "would I have it at scoring time?";
# * **preprocessing fitted on all rows** (the merchant fraud rate): exposed by the null model;
#   fixed by fitting the encoder inside the pipeline, on training rows only.
#
# The fixed model's validation score is lower than the team's and it is the better model: its
# validation score is one you can believe, and on the clean holdout it beats the team's.

# %%
workbook.checks.summary()

# %% [markdown]
# <!-- NAV START -->
# ← [Chapter 04](../chapters/04_leakage.ipynb) · [Contents](../chapters/00_start_here.ipynb) · [Solution](../solutions/04_leakage.ipynb) →
# <!-- NAV END -->
