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
# ← [03 · Sampling and class imbalance](03_sampling_imbalance.ipynb) · [Contents](00_start_here.ipynb) · [05 · Feature stores with Feast](05_feature_stores.ipynb) → · Practice: [Lab](../labs/04_leakage.ipynb) · [Solution](../solutions/04_leakage.ipynb)
# <!-- NAV END -->

# %% [markdown]
# # 04 · Data leakage
#
# How information that a model will not have at prediction time slips into training and
# validation, how much it inflates the scores (measured, cause by cause), how to catch it,
# and how to build pipelines that cannot leak.

# %% tags=["parameters"]
N_PATIENTS = 3000  # patients per clinic table; the full-size run uses 20_000
N_CUSTOMERS = 10_000  # subscribers simulated for the churn examples; the full-size run uses 40_000
N_DAYS = 1095  # days of demand history (3 years); the full-size run uses 2190
N_REPEATS = 10  # repeated splits where an effect is small; the full-size run uses 30
SEED = 0  # seeds every generator, split and model

# %% [markdown]
# ## Setup

# %%
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import mean_absolute_error, roc_auc_score
from sklearn.model_selection import (
    GroupKFold, KFold, StratifiedGroupKFold, StratifiedKFold, TimeSeriesSplit, cross_val_score, cross_validate,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder
from threadpoolctl import threadpool_limits

import workbook
from workbook.datasets.clinic import LAB_COLUMNS, screenings
from workbook.datasets.demand import FEATURES as DEMAND_FEATURES, daily_demand
from workbook.datasets.subscriptions import PRICE_RISE_MONTH, subscriptions
from workbook.leakage import CHECKLIST, check_folds, check_split, plot_scores
from workbook.quiz import ask

# The models here are small: one thread each is as fast as two, and keeps run times steady when other
# programs share the machine (two busy OpenMP threads fighting for one core slow boosting down tenfold).
threadpool_limits(1)
VERSIONS = workbook.setup_notebook("scikit-learn", "pandas", "numpy", "matplotlib", seed=SEED)

# %% [markdown]
# ## What leakage is
#
# A model **leaks** when it is trained or validated with information it will not have at the
# moment it makes a real prediction: values from the future, rows of the validation set, or
# the label itself in disguise. The model learns to use that information, the validation score
# rewards it, and in production, where the information is missing, the model does worse than
# the number that got it deployed. Nothing crashes; the failure is silent.
#
# To *see* a leak we need a yardstick, so every example below comes with a **clean holdout**:
# data generated the way production will meet it (new patients, later months, each record once,
# only what is known at prediction time). The rule we check again and again:
#
# > a leak-free pipeline's validation score **agrees** with the clean holdout; a leaky one's
# > validation score is **higher** than the clean holdout.
#
# In real projects a clean holdout is a luxury (a later period kept aside, a shadow deployment),
# which is why the second half of the chapter is about detecting leaks without one.
#
# | Cause | Where it enters | Section |
# | --- | --- | --- |
# | The same record on both sides of the split | splitting | 1 |
# | Statistics fitted on all rows (scaler, imputer, PCA, target encoding) | preprocessing | 2 |
# | A feature computed from the label or from after the prediction moment | feature engineering | 3 |
# | Shuffling time-ordered data | splitting, validation | 4 |
# | How the data was collected tells the label (site, scanner) | collection, labelling | 5 |
# | One patient, user or device in several folds | splitting, validation | 6 |
#
# The chapter's model is a small gradient-boosted tree ensemble, and its score is the ROC AUC
# (0.5 is guessing, 1.0 is perfect ranking). Comparisons go through two functions: `evaluate`
# cross-validates a model (three stratified folds) and scores *the same fold models* on the clean
# holdout, so both numbers describe the same models; `fit_and_score` does the same for one
# explicit train/validation split.

# %%
def boosted_trees(seed: int = SEED) -> HistGradientBoostingClassifier:
    """The chapter's classifier: 30 boosting rounds, fast and deterministic."""
    return HistGradientBoostingClassifier(max_iter=30, learning_rate=0.2, early_stopping=False, random_state=seed)


def auc(model, rows: pd.DataFrame, features: list[str], label: str) -> float:
    """ROC AUC of a fitted model on some rows."""
    return roc_auc_score(rows[label], model.predict_proba(rows[features])[:, 1])


CV = StratifiedKFold(3, shuffle=True, random_state=SEED)


def evaluate(model, features: list[str], data: pd.DataFrame, holdout: pd.DataFrame, *, label: str = "disease",
             cv=CV, groups=None, folds_out: list | None = None) -> dict[str, float]:
    """Cross-validate on data; return the mean validation AUC and the fold models' mean AUC on the clean holdout."""
    res = cross_validate(model, data[features], data[label], cv=cv, groups=groups, scoring="roc_auc",
                         return_estimator=True)
    if folds_out is not None:
        folds_out.extend(res["test_score"])
    on_holdout = [auc(m, holdout, features, label) for m in res["estimator"]]
    return {"validation": res["test_score"].mean(), "clean holdout": float(np.mean(on_holdout))}


def fit_and_score(model, features: list[str], train: pd.DataFrame, valid: pd.DataFrame, holdout: pd.DataFrame,
                  label: str = "disease") -> dict[str, float]:
    """Fit on train; return the ROC AUC on the validation rows and on the clean holdout."""
    model.fit(train[features], train[label])
    return {"validation": auc(model, valid, features, label), "clean holdout": auc(model, holdout, features, label)}


RESULTS: dict[str, pd.DataFrame] = {}  # every leaky-vs-fixed comparison, for the summary

# %% [markdown]
# ## 1 · Duplicates across the split
#
# The plainest leak: a record sits in the training rows *and* in the validation rows, so the
# model is partly "validated" on examples it has memorised. Duplicates come from merged exports,
# retried uploads, joins that fan out, or oversampling. Here, screening records of a clinic
# network, of which 30 % were exported twice:

# %%
CLINIC = ["age", "bmi", *LAB_COLUMNS]
records = screenings(N_PATIENTS, seed=SEED, duplicate_share=0.3)
holdout = screenings(2 * N_PATIENTS, seed=SEED + 1)  # new patients, each record once
print(f"{len(records):,} rows, {records.duplicated().sum():,} of them exact copies of another row; "
      f"disease rate {records['disease'].mean():.0%}")
records[["patient_id", "hospital", "age", "bmi", *LAB_COLUMNS[:3], "disease"]].head(3)

# %% [markdown]
# A random split sends the two copies of a record to different sides about a third of the time
# (with a 75/25 split, 2 × 0.75 × 0.25). A hash of each row finds the copies:

# %%
def row_hash(df: pd.DataFrame) -> pd.Series:
    """One 64-bit hash per row: equal rows (NaN included) get equal hashes."""
    return pd.util.hash_pandas_object(df, index=False)


train, valid = train_test_split(records, test_size=0.25, random_state=SEED, stratify=records["disease"])
copied = row_hash(valid).isin(row_hash(train))
print(f"{copied.sum():,} of {len(valid):,} validation rows ({copied.mean():.0%}) also appear in the training rows")

# %% [markdown]
# Trees memorise, so the model does much better on the copied rows than on the others:

# %%
model = boosted_trees().fit(train[CLINIC], train["disease"])
print(f"validation AUC on the copied rows {auc(model, valid[copied], CLINIC, 'disease'):.3f}, "
      f"on the others {auc(model, valid[~copied], CLINIC, 'disease'):.3f}")

# %% [markdown]
# **Fix**: deduplicate first, then split. (Where duplicates cannot be removed, for example
# repeated transactions that are genuine, split by a hash of the record's key instead, so all
# copies land on the same side: in BigQuery, `MOD(ABS(FARM_FINGERPRINT(key)), 100) < 75`.)
# Cross-validated on the raw records (leaky) and on the deduplicated ones (fixed):

# %%
unique = records.drop_duplicates()
fixed_folds = []
leaky = evaluate(boosted_trees(), CLINIC, records, holdout)
fixed = evaluate(boosted_trees(), CLINIC, unique, holdout, folds_out=fixed_folds)
RESULTS["duplicates"] = pd.DataFrame({"leaky": leaky, "fixed": fixed}).T
RESULTS["duplicates"].round(3)

# %%
plot_scores(RESULTS["duplicates"], title="Duplicates across the split")
plt.show()
leaky_gap, fixed_gap = (r["validation"] - r["clean holdout"] for r in (leaky, fixed))
assert leaky_gap > fixed_gap + 0.015  # the copies inflate validation
assert abs(fixed_gap) < 0.03  # deduplicated: validation tells the truth

# %% [markdown]
# How close must validation and holdout be to "agree"? Each validation fold is a sample, and
# its AUC moves from fold to fold:

# %%
print(f"fixed pipeline, validation AUC per fold: {np.round(fixed_folds, 3)} "
      f"(spread {max(fixed_folds) - min(fixed_folds):.3f}); gap to the holdout {fixed_gap:+.3f}")

# %% [markdown]
# So differences of a couple of hundredths are noise; the leaks in this chapter are several
# times larger. The hash split keeps every copy on one side without removing anything:

# %%
in_train = row_hash(records) % 100 < 75
print(f"records with copies on both sides: {len(set(row_hash(records[in_train])) & set(row_hash(records[~in_train])))}")

# %% [markdown]
# **Oversampling before the split is the same bug.** Balancing classes by copying minority rows,
# then splitting, puts copies on both sides. Oversample the training rows only, after the split:

# %%
clinic = screenings(N_PATIENTS, seed=SEED + 2)
rng = np.random.default_rng(SEED)


def oversample(df: pd.DataFrame) -> pd.DataFrame:
    """Copy random sick rows until both classes are equally frequent."""
    sick = df[df["disease"] == 1]
    extra = sick.iloc[rng.integers(0, len(sick), len(df) - 2 * len(sick))]
    return pd.concat([df, extra])


balanced = oversample(clinic)
train_o, valid_o = train_test_split(balanced, test_size=0.25, random_state=SEED, stratify=balanced["disease"])
train_s, valid_s = train_test_split(clinic, test_size=0.25, random_state=SEED, stratify=clinic["disease"])
RESULTS["oversampling"] = pd.DataFrame({
    "oversample, then split": fit_and_score(boosted_trees(), CLINIC, train_o, valid_o, holdout),
    "split, then oversample": fit_and_score(boosted_trees(), CLINIC, oversample(train_s), valid_s, holdout),
}).T
RESULTS["oversampling"].round(3)

# %%
plot_scores(RESULTS["oversampling"], title="Oversampling before or after the split")
plt.show()
gap = RESULTS["oversampling"]["validation"] - RESULTS["oversampling"]["clean holdout"]
assert gap.iloc[0] > 0.04 and abs(gap.iloc[1]) < 0.04

# %% [markdown]
# The package's self-check, `workbook.leakage.check_split`, counts such copies for you (the
# last section puts all its checks together):

# %%
check_split(train_o, valid_o, label="disease")

# %%
ask("04-duplicates-inflate-validation", "04-oversample-after-split")

# %% [markdown]
# ## 2 · Preprocessing fitted on all the data
#
# Every step that *learns* something from data (an imputer's means, a scaler's mean and
# standard deviation, PCA's directions, a target encoder's per-category rates, the features a
# selector keeps) is part of the model. Fitted on all rows before the split, it has seen the
# validation rows. How much that matters depends on whether the statistic involves the label.
#
# **Unsupervised statistics.** Impute, scale and project the lab panel with PCA, fitted on all
# rows (leaky) or inside a `Pipeline` on the training rows only (fixed), over repeated splits:

# %%
LABS = list(LAB_COLUMNS)
prep = make_pipeline(SimpleImputer(), StandardScaler(), PCA(n_components=4, random_state=SEED))
rows = []
for r in range(N_REPEATS):
    tr, va = train_test_split(clinic, test_size=0.25, random_state=r, stratify=clinic["disease"])
    everything = pd.DataFrame(prep.fit_transform(clinic[LABS]), index=clinic.index)  # sees the validation rows
    model = LogisticRegression().fit(everything.loc[tr.index], tr["disease"])
    leaky_auc = roc_auc_score(va["disease"], model.predict_proba(everything.loc[va.index])[:, 1])
    pipe = make_pipeline(SimpleImputer(), StandardScaler(), PCA(n_components=4, random_state=SEED),
                         LogisticRegression())
    fixed_auc = auc(pipe.fit(tr[LABS], tr["disease"]), va, LABS, "disease")
    rows.append({"split": r, "fitted on all rows": leaky_auc, "fitted on train": fixed_auc})
unsupervised = pd.DataFrame(rows).set_index("split")
unsupervised["difference"] = unsupervised["fitted on all rows"] - unsupervised["fitted on train"]
unsupervised.round(4).T

# %%
mean_diff = unsupervised["difference"].mean()
print(f"mean inflation {mean_diff:+.4f} AUC; higher in {(unsupervised['difference'] > 0).sum()} "
      f"of {N_REPEATS} splits; largest {unsupervised['difference'].max():+.4f}")
ax = unsupervised["difference"].plot.bar(color="#4c72b0", figsize=(6, 2.5),
                                         title="AUC fitted on all rows minus AUC fitted on train, per split")
ax.axhline(0, color="black", linewidth=0.8)
plt.show()
assert abs(mean_diff) < 0.02  # small: a mean over thousands of rows hardly moves

# %% [markdown]
# Small, and here mostly in the leaky direction: a mean or a principal direction estimated
# from thousands of rows barely changes when a quarter of them are added. It is still a bug:
# the estimate is biased, the bias grows as data shrinks or dimensions grow, and the fitted
# statistics cannot be reproduced at serving time, where "all the data" does not exist.
#
# **Statistics of the label** are another matter. *Target encoding* replaces a category by the
# mean label of its rows. The clinic's `postcode` has 2,000 values, about one or two patients each:

# %%
per_code = clinic.groupby("postcode")["disease"].size()
print(f"{clinic['postcode'].nunique():,} postcodes, median {per_code.median():.0f} patient(s) each; "
      f"{(per_code == 1).mean():.0%} of the postcodes have a single patient")

# %% [markdown]
# Computed over all rows, the encoding of a postcode with one patient *is* that patient's label:

# %%
leaky_table = clinic.assign(postcode_rate=clinic.groupby("postcode")["disease"].transform("mean"))
rates = leaky_table.groupby("postcode")["disease"].mean()
holdout_encoded = holdout.assign(postcode_rate=holdout["postcode"].map(rates).fillna(clinic["disease"].mean()))
leaky = evaluate(boosted_trees(), CLINIC + ["postcode_rate"], leaky_table, holdout_encoded)

# %% [markdown]
# **Fix**: fit the encoder inside the pipeline, on the training rows only. scikit-learn's
# `TargetEncoder` goes further: during `fit_transform` it encodes each training row with rates
# computed on the *other* folds (cross fitting), so not even the training rows see their own label.

# %%
encoder = make_column_transformer(
    (TargetEncoder(cv=StratifiedKFold(5, shuffle=True, random_state=SEED)), ["postcode"]), remainder="passthrough")
fixed = evaluate(make_pipeline(encoder, boosted_trees()), CLINIC + ["postcode"], clinic, holdout)
RESULTS["target encoding"] = pd.DataFrame({"leaky": leaky, "fixed": fixed}).T
RESULTS["target encoding"].round(3)

# %%
plot_scores(RESULTS["target encoding"], title="Target encoding fitted on all rows vs in the pipeline")
plt.show()
assert leaky["validation"] - leaky["clean holdout"] > 0.1  # a supervised statistic leaks massively
assert leaky["clean holdout"] < fixed["clean holdout"]  # and the leaky model is worse on new patients
assert abs(fixed["validation"] - fixed["clean holdout"]) < 0.04

# %% [markdown]
# The leaky model is not only over-rated, it is *worse* in production than the fixed one: it
# learned to trust a column that, on new patients, is just a noisy postcode average. The same
# holds for feature selection on all rows (choosing the columns most correlated with the label,
# validation rows included) and for any tuning done on the test set.
#
# On Google Cloud the rule reads the same: TFX `Transform` *analyses* the training split and
# *applies* the result everywhere; a BigQuery ML `TRANSFORM` clause stores the preprocessing with
# the model, so prediction reuses what training computed.

# %%
ask("04-unsupervised-preprocessing-small-bias", "04-target-encoding-on-all-rows", "04-pipeline-fits-on-train")

# %% [markdown]
# ## 3 · Target-derived features
#
# A feature that is computed *from the label*, or from anything that happened *after the
# moment of prediction*, hands the model the answer. The blatant version ("did the customer
# cancel?" as a feature of a churn model) is rare; the common one hides in a table that is
# **updated in place**. A subscription service keeps three tables:

# %%
subs = subscriptions(N_CUSTOMERS, seed=SEED)
print(f"{len(subs.activity):,} activity rows, {len(subs.customers):,} customers, {len(subs.labels):,} labels; "
      f"churn rate {subs.labels['churned'].mean():.1%}")
display(subs.activity.head(3), subs.customers.head(3), subs.labels.head(3))

# %% [markdown]
# Each label is a prediction moment: at the end of month `cutoff` the customer is subscribed,
# and `churned` says whether they cancel during the next month. The honest way to build features
# is **point in time**: for each label, only activity up to its cutoff.

# %%
def point_in_time(subs) -> pd.DataFrame:
    """One row per label: features from activity up to the label's cutoff month, and the label."""
    act = subs.activity.merge(subs.labels[["customer_id", "cutoff"]], on="customer_id")
    act = act[act["month"] <= act["cutoff"]]  # nothing after the prediction moment
    ago = act["cutoff"] - act["month"]  # 0 = the cutoff month itself
    act = act.assign(logins_last_month=act["logins"].where(ago == 0, 0),
                     logins_3m=act["logins"].where(ago < 3, 0),
                     logins_prev_3m=act["logins"].where(ago.between(1, 3), 0),
                     tickets_3m=act["tickets"].where(ago < 3, 0))
    columns = ["logins", "logins_last_month", "logins_3m", "logins_prev_3m", "tickets_3m"]
    sums = act.groupby("customer_id")[columns].sum()
    table = (subs.labels.join(sums.rename(columns={"logins": "logins_to_date"}), on="customer_id")
             .merge(subs.customers[["customer_id", "signup_month", "plan", "region", "referrer"]], on="customer_id"))
    table["tenure"] = table["cutoff"] - table["signup_month"] + 1
    table["logins_per_month"] = table["logins_to_date"] / table["tenure"]
    return table


pit = point_in_time(subs)
pit.head(3)

# %% [markdown]
# A teammate notices that the customer table already holds the number of logins, `logins_total`,
# and uses it instead of summing the activity. But that counter is **as of today**, the extract
# date: it also counts every login after the cutoff, and a customer who churned has none.

# %%
team = pit.merge(subs.customers[["customer_id", "logins_total", "status"]], on="customer_id")
team["after_cutoff"] = team["logins_total"] - team["logins_to_date"]
team.groupby("churned")["after_cutoff"].describe()[["mean", "min", "max"]].round(1)

# %% [markdown]
# The data before month 27 is for development; the months after it play production. There the
# prediction is made at the cutoff, when the counter holds exactly the logins so far, so in the
# clean holdout the teammate's column equals the point-in-time one. Both pipelines train on the
# cutoffs up to month 22 and validate on months 23 to 26 (time order matters, see section 4).

# %%
NUMERIC = ["tenure", "logins_to_date", "logins_per_month", "logins_last_month", "logins_3m", "logins_prev_3m",
           "tickets_3m"]
FUTURE = 27  # cutoff months from 27 on play production
LAST_TRAIN = 22  # validate on the last four development months, 23 to 26
team["logins_to_date"] = team["logins_total"]  # the teammate's shortcut
team["logins_per_month"] = team["logins_to_date"] / team["tenure"]
team_dev = team[team["cutoff"] < FUTURE]
pit_dev, pit_future = pit[pit["cutoff"] < FUTURE], pit[pit["cutoff"] >= FUTURE]
print(f"development: {len(pit_dev):,} labels (cutoff months {pit_dev['cutoff'].min()}-{pit_dev['cutoff'].max()}), "
      f"clean holdout: {len(pit_future):,} labels (months {pit_future['cutoff'].min()}-{pit_future['cutoff'].max()})")

# %%
def by_time(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train on cutoffs up to LAST_TRAIN, validate on the later development months."""
    return table[table["cutoff"] <= LAST_TRAIN], table[table["cutoff"] > LAST_TRAIN]


leaky = fit_and_score(boosted_trees(), NUMERIC, *by_time(team_dev), pit_future, label="churned")
fixed = fit_and_score(boosted_trees(), NUMERIC, *by_time(pit_dev), pit_future, label="churned")
RESULTS["target-derived feature"] = pd.DataFrame({"leaky": leaky, "fixed": fixed}).T
RESULTS["target-derived feature"].round(3)

# %%
plot_scores(RESULTS["target-derived feature"], title="A counter read as of today vs point in time")
plt.show()
assert leaky["validation"] - leaky["clean holdout"] > 0.15
assert leaky["clean holdout"] < fixed["clean holdout"]  # the leaky model is worse where it matters
assert abs(fixed["validation"] - fixed["clean holdout"]) < 0.05

# %% [markdown]
# The blatant version (the source calls it *human leakage*: someone who knows the outcome
# encodes it as a feature) is in the same table: `status` says, today, who has cancelled. Every
# customer who churned right after their cutoff is `cancelled`; at a real prediction moment,
# every customer being scored is still `active`.

# %%
pd.crosstab(team_dev["churned"], team_dev["status"], normalize="index").round(3)

# %%
cancelled_today = subs.customers.set_index("customer_id")["status"].eq("cancelled").astype(int)
with_status = pit_dev.assign(cancelled_today=pit_dev["customer_id"].map(cancelled_today))
human = fit_and_score(boosted_trees(), NUMERIC + ["cancelled_today"], *by_time(with_status),
                      pit_future.assign(cancelled_today=0), label="churned")  # at prediction time: all active
RESULTS["status column"] = pd.DataFrame({"leaky": human, "fixed": fixed}).T
RESULTS["status column"].round(3)

# %%
assert human["validation"] - human["clean holdout"] > 0.05 > abs(fixed["validation"] - fixed["clean holdout"])

# %% [markdown]
# The fix is a habit, not a trick: for every feature ask *"would I have had this value at the
# moment of prediction?"* and compute it from timestamped history up to that moment. Feature
# stores automate this with **point-in-time lookups**: Vertex AI Feature Store, and in BigQuery ML
# `ML.ENTITY_FEATURES_AT_TIME`, return for each training row the feature values as they were at
# that row's timestamp. A side effect worth knowing: a leaky feature usually looks different in
# training and in serving, so **training-serving skew** monitoring (Vertex AI Model Monitoring)
# often flags it after deployment:

# %%
print(f"mean logins_per_month: teammate's training rows {team_dev['logins_per_month'].mean():.1f}, "
      f"point in time {pit_dev['logins_per_month'].mean():.1f}, production {pit_future['logins_per_month'].mean():.1f}")

# %%
ask("04-current-table-join-leak", "04-feature-available-at-prediction", "04-point-in-time-feature-store")

# %% [markdown]
# ## 4 · Shuffled time series
#
# When rows are ordered in time, a random split lets the model train on days *after* the days it
# is validated on. If neighbouring days resemble each other (and they almost always do), the
# model reads the answer off the neighbours. Daily demand at four stores, each with a level that
# wanders for weeks:

# %%
N_STORES = 4
series = daily_demand(N_DAYS + 90, n_stores=N_STORES, seed=SEED)  # sorted by date, then store
history, future = series[series["day"] < N_DAYS], series[series["day"] >= N_DAYS]  # the last 90 days play production
FEATURES_TS = list(DEMAND_FEATURES)
ax = series.pivot(index="date", columns="store", values="demand").plot(figsize=(9, 2.5), linewidth=0.5,
                                                                       title="Daily demand at four stores")
ax.axvline(future["date"].iloc[0], color="black", linestyle="--")
ax.text(future["date"].iloc[0], ax.get_ylim()[1] * 0.95, " clean holdout", fontsize=8, va="top")
plt.show()

# %% [markdown]
# Three ways to validate a boosted-tree regressor on the history, and the truth on the next 90 days:
# shuffled 4-fold cross-validation (leaky); `TimeSeriesSplit`, whose every fold trains on the
# past and validates on the 90 days that follow; a single temporal holdout of the last 90 days.
# The score is the mean absolute error, in units sold (lower is better).

# %%
def regressor() -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(max_iter=50, early_stopping=False, random_state=SEED)


X, y = history[FEATURES_TS], history["demand"]
mae = "neg_mean_absolute_error"
shuffled = -cross_val_score(regressor(), X, y, cv=KFold(4, shuffle=True, random_state=SEED), scoring=mae)
forward = -cross_val_score(regressor(), X, y, cv=TimeSeriesSplit(4, test_size=90 * N_STORES), scoring=mae)
past = history["day"] < N_DAYS - 90
temporal = mean_absolute_error(y[~past], regressor().fit(X[past], y[past]).predict(X[~past]))
truth = mean_absolute_error(future["demand"], regressor().fit(X, y).predict(future[FEATURES_TS]))
time_scores = pd.DataFrame({
    "shuffled KFold": {"validation": shuffled.mean(), "clean holdout": truth},
    "TimeSeriesSplit": {"validation": forward.mean(), "clean holdout": truth},
    "temporal holdout": {"validation": temporal, "clean holdout": truth},
}).T
print("TimeSeriesSplit MAE per fold:", forward.round(1))
time_scores.round(1)

# %%
plot_scores(time_scores, title="Validating a forecast: shuffled vs time-ordered", metric="MAE (units)",
            lower_is_better=True, decimals=1)
plt.show()
assert shuffled.mean() < 0.85 * min(forward.mean(), temporal, truth)  # shuffling promises a far smaller error

# %% [markdown]
# The shuffled estimate promises an error well below anything the model achieves on the
# future; both time-ordered estimates are in the range of the truth (the fold-to-fold spread
# shows how much a forecast's error depends on the period). The self-check flags the shuffled
# folds by their dates:

# %%
display(check_folds(history, KFold(4, shuffle=True, random_state=SEED), time="date"),
        check_folds(history, TimeSeriesSplit(4, test_size=90 * N_STORES), time="date"))

# %% [markdown]
# In BigQuery ML, `DATA_SPLIT_METHOD = 'SEQ'` with `DATA_SPLIT_COL` splits by time; Vertex AI
# tabular training offers a chronological split on a time column. The counter of section 3 was
# the other face of time leakage: a cumulative feature must be cut at each row's own timestamp.

# %%
RESULTS["shuffled time series"] = pd.DataFrame({"leaky": {"validation": shuffled.mean(), "clean holdout": truth},
                                                "fixed": {"validation": forward.mean(), "clean holdout": truth}}).T
ask("04-timeseries-split-stock", "04-timeseries-kfold-mae-numeric", "04-bqml-seq-split")

# %% [markdown]
# ## 5 · Collection artifacts
#
# Sometimes the *way* data was collected tells the label. A classic: an X-ray model that
# recognised the hospital (from a scanner's marker) instead of the disease, because the sickest
# patients were sent to one specialist centre. Our clinic network has such a referral centre,
# with a scanner model nobody else uses:

# %%
referred = screenings(N_PATIENTS, seed=SEED + 3, referral_bias=0.8)
deployed = screenings(2 * N_PATIENTS, seed=SEED + 4)  # deployment: any hospital, any patient
referred.groupby("hospital")["disease"].mean().round(2).rename("disease rate").to_frame().T

# %% [markdown]
# Three models: with the hospital and scanner one-hot encoded (leaky); with the scanner only
# (someone dropped "hospital" because it looked suspicious); with neither (fixed).

# %%
def with_sites(sites: list[str]):
    onehot = make_column_transformer((OneHotEncoder(handle_unknown="ignore", sparse_output=False), sites),
                                     remainder="passthrough")
    return make_pipeline(onehot, boosted_trees())


RESULTS["collection artifact"] = pd.DataFrame({
    "leaky": evaluate(with_sites(["hospital", "scanner"]), CLINIC + ["hospital", "scanner"], referred, deployed),
    "scanner only": evaluate(with_sites(["scanner"]), CLINIC + ["scanner"], referred, deployed),
    "fixed": evaluate(boosted_trees(), CLINIC, referred, deployed),
}).T
RESULTS["collection artifact"].round(3)

# %%
plot_scores(RESULTS["collection artifact"], title="A referral hospital as a proxy for the label")
plt.show()
gap = RESULTS["collection artifact"]["validation"] - RESULTS["collection artifact"]["clean holdout"]
assert gap["leaky"] > 0.05 and gap["scanner only"] > 0.05 and abs(gap["fixed"]) < 0.04

# %% [markdown]
# Dropping the obvious column is not enough while a proxy of it remains. Without a clean
# holdout, validating on a hospital the model never saw exposes the shortcut: leave one hospital
# out per fold (`GroupKFold` with the hospital as the group). Within one hospital the site
# columns are constant, so only the honest signal can rank its patients:

# %%
sites = GroupKFold(len(referred["hospital"].unique()))
leave_site_out = evaluate(with_sites(["hospital", "scanner"]), CLINIC + ["hospital", "scanner"], referred, deployed,
                          cv=sites, groups=referred["hospital"])
print(f"leaky model: random folds {RESULTS['collection artifact'].loc['leaky', 'validation']:.3f}, "
      f"one unseen hospital per fold {leave_site_out['validation']:.3f}, deployment {leave_site_out['clean holdout']:.3f}")
assert leave_site_out["validation"] < RESULTS["collection artifact"].loc["leaky", "validation"] - 0.04

# %% [markdown]
# What helps: ask how each label was produced; look for columns that describe the *collection*
# (site, device, operator, file format, batch) rather than the patient; remove or randomise
# them; make sure every source appears on both sides of the split; and validate per source.

# %%
ask("04-scanner-proxy", "04-hospital-artifact-fix")

# %% [markdown]
# ## 6 · Repeated entities across folds
#
# When a patient has several visits, a row-level split puts some of their visits in training
# and others in validation. A flexible model recognises the patient (their age, body mass
# index and personal lab baseline barely change) and recalls their diagnosis.

# %%
visits = screenings(N_PATIENTS // 2, seed=SEED + 5, visits_per_patient=4)
new_patients = screenings(2 * N_PATIENTS, seed=SEED + 6)
print(f"{len(visits):,} visits of {visits['patient_id'].nunique():,} patients")

# %% [markdown]
# Three-fold cross-validation, with visits assigned to folds one by one (`StratifiedKFold`) or
# patient by patient (`StratifiedGroupKFold`, which keeps each patient's visits in one fold and
# the disease rate similar across folds), and the same fold models scored on new patients:

# %%
folds = {"by visit": StratifiedKFold(3, shuffle=True, random_state=SEED),
         "by patient": StratifiedGroupKFold(3, shuffle=True, random_state=SEED)}
RESULTS["repeated entities"] = pd.DataFrame({
    "leaky (by visit)": evaluate(boosted_trees(), CLINIC, visits, new_patients, cv=folds["by visit"]),
    "fixed (by patient)": evaluate(boosted_trees(), CLINIC, visits, new_patients, cv=folds["by patient"],
                                   groups=visits["patient_id"]),
}).T
RESULTS["repeated entities"].round(3)

# %%
plot_scores(RESULTS["repeated entities"], title="Visits of one patient in several folds")
plt.show()
gap = RESULTS["repeated entities"]["validation"] - RESULTS["repeated entities"]["clean holdout"]
assert gap.iloc[0] > gap.iloc[1] + 0.015 and abs(gap.iloc[1]) < 0.05

# %% [markdown]
# `GroupKFold` (and its stratified version used here) keeps all rows of a group in one fold;
# `GroupShuffleSplit` does the same for a single split. The self-check counts the patients on
# both sides of each fold:

# %%
display(check_folds(visits, folds["by visit"], y=visits["disease"], groups="patient_id"),
        check_folds(visits, folds["by patient"], y=visits["disease"], groups="patient_id"))

# %%
ask("04-groupkfold-patients", "04-hash-split-bigquery")

# %% [markdown]
# ## Detecting leakage
#
# Without a clean holdout, leaks have to be caught by their fingerprints. We take the churn
# model of section 3 as a team built it, with two leaks: the counter read as of today, and the
# `referrer` code (1,500 values) target-encoded over all rows before a random split. Next to it,
# the fixed pipeline: point-in-time features, the encoder inside a `Pipeline`, and a temporal
# split (train on cutoffs up to month 22, validate on months 23 to 26). Five tests, each run on both.

# %%
CATEGORIES = ["plan", "region"]


def team_pipeline(table: pd.DataFrame, numeric: list[str] = NUMERIC, referrer: bool = True, label: str = "churned"):
    """The team's procedure: encode referrer on all rows, split at random, fit. Returns (model, valid, features)."""
    features = numeric + CATEGORIES
    if referrer:
        table = table.assign(referrer_rate=table.groupby("referrer")[label].transform("mean"))
        features = features + ["referrer_rate"]
    tr, va = train_test_split(table, test_size=0.25, random_state=SEED, stratify=table[label])
    onehot = make_column_transformer((OneHotEncoder(sparse_output=False), CATEGORIES), remainder="passthrough")
    return make_pipeline(onehot, boosted_trees()).fit(tr[features], tr[label]), va, features


def fixed_pipeline(table: pd.DataFrame, numeric: list[str] = NUMERIC, referrer: bool = True, label: str = "churned"):
    """Point-in-time table, temporal split, every statistic fitted in the pipeline. Returns (model, valid, features)."""
    features = numeric + CATEGORIES
    steps = [(OneHotEncoder(sparse_output=False), CATEGORIES)]
    if referrer:
        features = features + ["referrer"]
        steps.append((TargetEncoder(cv=StratifiedKFold(5, shuffle=True, random_state=SEED)), ["referrer"]))
    tr, va = by_time(table)
    encode = make_column_transformer(*steps, remainder="passthrough")
    return make_pipeline(encode, boosted_trees()).fit(tr[features], tr[label]), va, features


def team_holdout(model, features, table):
    """Score the clean holdout with the team's features as production would compute them."""
    rates = table.groupby("referrer")["churned"].mean()
    rows = pit_future.assign(referrer_rate=pit_future["referrer"].map(rates).fillna(table["churned"].mean()))
    return auc(model, rows, features, "churned")

# %% [markdown]
# **1 · The drop to a clean holdout.** If a holdout that shared no stage of the work exists,
# compare: a large drop from validation to holdout means a leak (or a validation set that was
# used for so many tuning rounds that the model fits it). Keep such a holdout out of every step:
# feature design, encoding, tuning.

# %%
team_model, team_valid, team_features = team_pipeline(team_dev)
fixed_model, fixed_valid, fixed_features = fixed_pipeline(pit_dev)
detect = pd.DataFrame({
    "team (leaky)": {"validation": auc(team_model, team_valid, team_features, "churned"),
                     "clean holdout": team_holdout(team_model, team_features, team_dev)},
    "fixed": {"validation": auc(fixed_model, fixed_valid, fixed_features, "churned"),
              "clean holdout": auc(fixed_model, pit_future, fixed_features, "churned")},
}).T
plot_scores(detect, title="Detector 1: validation vs clean holdout")
plt.show()
detect.round(3)

# %%
assert detect.loc["team (leaky)", "validation"] - detect.loc["team (leaky)", "clean holdout"] > 0.2
assert abs(detect.loc["fixed", "validation"] - detect.loc["fixed", "clean holdout"]) < 0.05

# %% [markdown]
# **2 · Permutation importance on the validation rows.** Shuffle one column at a time and
# measure how much the validation AUC falls. A leaked column is a cheat code: the model leans on
# it far more than on anything else.

# %%
def importances(model, valid, features, label="churned") -> pd.Series:
    result = permutation_importance(model, valid[features], valid[label], scoring="roc_auc", n_repeats=3,
                                    random_state=SEED)
    return pd.Series(result.importances_mean, index=features).sort_values()


imp_team = importances(team_model, team_valid, team_features)
imp_fixed = importances(fixed_model, fixed_valid, fixed_features)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
imp_team.plot.barh(ax=axes[0], color="#c44e52", title="team (leaky): AUC lost when shuffled")
imp_fixed.plot.barh(ax=axes[1], color="#55a868", title="fixed: AUC lost when shuffled")
plt.tight_layout()
plt.show()


def ranking(imp: pd.Series) -> list[str]:
    return [f"{name} {value:.3f}" for name, value in imp.sort_values(ascending=False).head(4).items()]


def lead(imp: pd.Series) -> float:
    """How many times the top feature's importance exceeds the third-ranked one."""
    ranked = imp.sort_values(ascending=False)
    return ranked.iloc[0] / max(ranked.iloc[2], 1e-3)


print(f"top feature vs third: team {lead(imp_team):.0f}x, fixed {lead(imp_fixed):.0f}x")
pd.DataFrame({"team (leaky)": ranking(imp_team), "fixed": ranking(imp_fixed)}, index=[1, 2, 3, 4])

# %%
assert imp_team.idxmax() in {"referrer_rate", "logins_per_month", "logins_to_date"}
assert lead(imp_team) > 1.5 * lead(imp_fixed)

# %% [markdown]
# The team's model stands on `referrer_rate` and `logins_per_month` (the counter divided by
# tenure): the encoding and the counter, far above everything else, while the fixed model
# spreads its weight over honest features.
# Importance points at *where* to look; whether a column is a leak is a question about how it
# was computed.
#
# **3 · A null model: shuffle the labels.** Permute the labels, rerun the *whole* procedure
# (encoding included), and validate. With no relation between features and labels left, a
# sound procedure scores at chance (AUC 0.5). A procedure that still scores above chance lets
# the labels flow into the features.

# %%
procedures = {
    "team (leaky)": lambda t: team_pipeline(t),
    "team, counter only": lambda t: team_pipeline(t, referrer=False),  # the encoding removed, the counter kept
    "fixed": lambda t: fixed_pipeline(t),
}
null_scores = {name: [] for name in procedures}
for r in range(3):
    shuffled_rng = np.random.default_rng(SEED + r)
    for name, run in procedures.items():
        table = pit_dev if name == "fixed" else team_dev
        noise = table.assign(churned=shuffled_rng.permutation(table["churned"].to_numpy()))
        model, valid, features = run(noise)
        null_scores[name].append(auc(model, valid, features, "churned"))
null = pd.DataFrame(null_scores).agg(["mean", "min", "max"]).T
null.round(3)

# %%
plot_scores(null[["mean"]].rename(columns={"mean": "shuffled labels"}), title="Detector 3: null model (chance = 0.5)")
plt.show()
assert null.loc["team (leaky)", "mean"] > 0.6
assert abs(null.loc["team, counter only", "mean"] - 0.5) < 0.05 and abs(null.loc["fixed", "mean"] - 0.5) < 0.05

# %% [markdown]
# The null model caught the encoding (computed from the shuffled labels, validation rows
# included), but not the counter: with the encoding removed, the team's procedure scores at
# chance on shuffled labels, because the counter is tied to the *real* outcome, not to the label
# column. Each detector sees some leaks and not others.
#
# **4 · Train on the future, test on the past.** Fit on the later cutoffs (18 to 26), then score
# the later period (its own validation rows) and the earlier one (6 to 17). Real patterns
# drift (here, premium customers started to cancel more after a price rise in month 18), so a
# model should lose accuracy on a period it was not trained on, in either direction. A leak
# does not drift: it predicts every period equally well. The drift, measured:

# %%
drift = pit_dev.assign(period=np.where(pit_dev["cutoff"] + 1 < PRICE_RISE_MONTH, "before", "after"))
drift.pivot_table(index="plan", columns="period", values="churned")[["before", "after"]].round(3).rename_axis(
    columns=f"churn rate, months before/after {PRICE_RISE_MONTH}")

# %%
def backward_test(run, table: pd.DataFrame) -> dict[str, float]:
    late, early = table[table["cutoff"] >= PRICE_RISE_MONTH], table[table["cutoff"] < PRICE_RISE_MONTH]
    model, valid, features = run(late)
    if "referrer_rate" in features:  # the team's encoding of the early rows uses their labels too
        early = early.assign(referrer_rate=early.groupby("referrer")["churned"].transform("mean"))
    return {"same period": auc(model, valid, features, "churned"), "the past": auc(model, early, features, "churned")}


backward = pd.DataFrame({"team (leaky)": backward_test(team_pipeline, team_dev),
                         "fixed": backward_test(fixed_pipeline, pit_dev)}).T
plot_scores(backward, title=f"Detector 4: trained on months {PRICE_RISE_MONTH}-{FUTURE - 1}")
plt.show()
backward.round(3)

# %%
drop = backward["same period"] - backward["the past"]
print(f"drop into the past: team {drop['team (leaky)']:+.3f}, fixed {drop['fixed']:+.3f}")
assert drop["fixed"] > drop["team (leaky)"] + 0.03

# %% [markdown]
# The test needs drift to work with: on a perfectly stable process an honest model also
# predicts the past well. Read it as "a score that does not care which way time runs is
# suspicious", together with the other tests.
#
# **5 · Ablation.** Remove the suspicious columns and retrain. If the score collapses toward
# what the honest model achieves, the columns carried a leak; an honest strong feature costs a
# little, not everything.

# %%
def ablate(run, table, drop_columns, referrer=True) -> float:
    """Validation AUC of the procedure `run` without some numeric columns (and without referrer)."""
    model, valid, features = run(table, numeric=[c for c in NUMERIC if c not in drop_columns], referrer=referrer)
    return auc(model, valid, features, "churned")


suspects = ["logins_to_date", "logins_per_month"]
ablation = pd.DataFrame({
    name: {"all features": detect.loc[name, "validation"],
           "without the counter": ablate(run, table, suspects),
           "without counter and referrer": ablate(run, table, suspects, referrer=False)}
    for name, run, table in (("team (leaky)", team_pipeline, team_dev), ("fixed", fixed_pipeline, pit_dev))
}).T
plot_scores(ablation, title="Detector 5: ablation of the suspects")
plt.show()
ablation.round(3)

# %%
loss = ablation["all features"] - ablation["without counter and referrer"]
assert loss["team (leaky)"] > 0.15 and abs(loss["fixed"]) < 0.03

# %% [markdown]
# Without the counter the team's score falls, but stays high: the second leak, the encoding,
# is still in. Without both it lands where the honest model is. The fixed pipeline hardly
# notices either ablation: its `logins_to_date` is an ordinary feature, and its cross-fitted
# referrer encoding carries little.
#
# | Detector | Catches | Misses |
# | --- | --- | --- |
# | Validation vs a clean holdout | every leak that inflates validation | nothing, but needs a holdout that shared no stage |
# | Permutation importance | a column the model leans on | leaks that are not a column (duplicates, shared patients): nothing to shuffle |
# | Null model, shuffled labels | labels flowing into features (encodings, selection) | columns leaked from the real outcome |
# | Train on the future, test on the past | leaks that make the score time-invariant | needs drift; stable processes predict backward too |
# | Ablation | confirms a suspected column | what nobody suspected |

# %%
ask("04-permutation-importance-cheat", "04-null-model-shuffled-labels", "04-backward-in-time-test",
    "04-ablation-scanner-id", "04-detectors-select-all")

# %% [markdown]
# ## A leakage-safe pipeline
#
# Put the fixes in order and most leaks cannot happen:
#
# 1. **Deduplicate, then split first**: by time when the data is ordered in time, by entity
#    when entities repeat, stratified when the label is rare. Set the test set aside untouched.
# 2. **Point-in-time features**: compute every feature from history up to the row's prediction
#    moment (a feature store's point-in-time lookup does it for you).
# 3. **Fit every statistic inside a scikit-learn `Pipeline`** (imputers, scalers, encoders,
#    selection, the model), so `fit` only ever sees training rows and the same fitted object
#    transforms validation, test and serving data.
# 4. **Resample after the split**, training rows only.
# 5. **Self-check** what can be checked automatically, and **test** with the detectors above.
#
# The point-in-time join deserves a second look, because it is what feature stores do. Keep a
# feature's history as snapshots with a timestamp, and for each label take the latest snapshot
# *at or before* its cutoff: `pandas.merge_asof`. Taking the latest snapshot overall reproduces
# the teammate's counter.

# %%
snapshots = subs.activity.sort_values(["customer_id", "month"]).assign(
    logins_to_date=lambda d: d.groupby("customer_id")["logins"].cumsum())[["customer_id", "month", "logins_to_date"]]
asof = pd.merge_asof(subs.labels.sort_values("cutoff"), snapshots.sort_values("month"), left_on="cutoff",
                     right_on="month", by="customer_id", direction="backward")
latest = subs.labels.merge(snapshots.groupby("customer_id").tail(1), on="customer_id")
check = pit.set_index("customer_id")["logins_to_date"]
same_asof = asof.set_index("customer_id")["logins_to_date"].eq(check)
same_latest = latest.set_index("customer_id")["logins_to_date"].eq(check)
print(f"as-of join equals the point-in-time feature: {same_asof.all()}; "
      f"latest-snapshot join equals it for {same_latest.mean():.0%} of labels")
assert same_asof.all()

# %% [markdown]
# **The self-check.** `workbook.leakage.check_split(train, test, time=..., groups=...)` turns
# the checklist items that can be automated into a report: duplicated rows across the split,
# test rows older than the newest training row, and entities on both sides. Run it on your own
# splits; `check_folds` does the same for every fold of a cross-validation. Here is the team's
# split next to the fixed one (the churn labels have one row per customer, so `customer_id` is
# the entity):

# %%
team_train = team_dev.drop(team_valid.index)
display(check_split(team_train, team_valid, time="cutoff", groups="customer_id", label="churned",
                    title="Team split"),
        check_split(by_time(pit_dev)[0], fixed_valid, time="cutoff", groups="customer_id",
                    label="churned", title="Fixed split", checklist=True))

# %% [markdown]
# The items it cannot automate stay on the list above: they are questions about how each
# column was made. The whole checklist, and which check covers which item:

# %%
with pd.option_context("display.max_colwidth", None):
    display(pd.DataFrame(CHECKLIST, columns=["item", "automated by"]).fillna("by hand").set_index("item"))

# %% [markdown]
# ## Summary
#
# * Leakage gives the model information it will not have at prediction time; validation
#   scores rise, production scores do not. It enters at every stage: collection, sampling,
#   splitting, preprocessing and feature engineering.
# * Measured here (validation vs clean holdout, ROC AUC unless noted):

# %%
AUC_CAUSES = ["duplicates", "oversampling", "target encoding", "target-derived feature", "status column",
              "collection artifact", "repeated entities"]


def leaky_and_fixed(table: pd.DataFrame) -> pd.DataFrame:
    """The first (leaky) and last (fixed) rows of a comparison."""
    return table.iloc[[0, -1]].set_axis(["leaky", "fixed"])


summary = pd.concat({cause: leaky_and_fixed(RESULTS[cause]) for cause in AUC_CAUSES}, names=["cause", "pipeline"])
summary["gap"] = summary["validation"] - summary["clean holdout"]
print(f"shuffled time series (MAE, units): shuffled KFold promises {shuffled.mean():.1f}, "
      f"TimeSeriesSplit {forward.mean():.1f}, the future gives {truth:.1f}")
summary.round(3)

# %%
gaps = summary["gap"].unstack("pipeline").loc[AUC_CAUSES, ["leaky", "fixed"]]
ax = gaps.plot.barh(color=["#c44e52", "#55a868"], figsize=(8, 3.2),
                    title="Validation minus clean holdout (ROC AUC): the leak, cause by cause")
ax.axvline(0, color="black", linewidth=0.8)
ax.invert_yaxis()
plt.show()

# %% [markdown]
# * Prevent: deduplicate and split first; split by time and by entity where they matter; fit
#   every statistic on training rows inside a `Pipeline`; resample after the split; compute
#   features point in time; question every column that describes the collection rather than the case.
# * Detect: compare with a clean holdout; read permutation importances; run a null model with
#   shuffled labels; train on the future and test on the past; ablate suspects. No single test
#   catches everything.
# * When in doubt, leave the feature out: a slightly weaker honest model beats one that cheats.

# %%
ask("04-leakage-definition-true-false", "04-split-before-preprocessing-true-false", "04-source-list-select-all",
    "04-feature-store-training-serving", "04-bqml-transform-clause", "04-validation-holdout-gap-numeric",
    title="Check yourself: chapter 04")

# %% [markdown]
# ## Exercises
#
# Go on a **[leak hunt in Lab 04](../labs/04_leakage.ipynb)**: a fraud model whose validation
# score is too good to be true hides three leaks of different kinds. Find them with the
# detectors of this chapter, fix each one, and watch the validation score come down to meet the
# clean holdout. The worked solution is in [solutions/04_leakage.ipynb](../solutions/04_leakage.ipynb).

# %% [markdown]
# <!-- NAV START -->
# ← [03 · Sampling and class imbalance](03_sampling_imbalance.ipynb) · [Contents](00_start_here.ipynb) · [05 · Feature stores with Feast](05_feature_stores.ipynb) → · Practice: [Lab](../labs/04_leakage.ipynb) · [Solution](../solutions/04_leakage.ipynb)
# <!-- NAV END -->
