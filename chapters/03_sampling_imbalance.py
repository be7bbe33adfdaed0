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
# ← [02 · Data pipelines: sources, formats, ETL/ELT](02_data_pipelines.ipynb) · [Contents](00_start_here.ipynb) · [04 · Data leakage](04_leakage.ipynb) → · Practice: [Lab](../labs/03_sampling_imbalance.ipynb) · [Solution](../solutions/03_sampling_imbalance.ipynb)
# <!-- NAV END -->

# %% [markdown]
# # 03 · Sampling and class imbalance
#
# How the rows a model learns from are chosen, and what to do when the class you care about is
# rare. Every claim below is measured on generated data: biased and unbiased samples, a stream,
# re-weighted estimates, and fraud detectors with 1 % and 0.1 % positives.

# %% tags=["parameters"]
N_PEOPLE = 50_000  # population of the sampling-bias experiments; the full-size run uses 500_000
N_TRANSACTIONS = 100_000  # transactions at 2 % and at 0.1 % fraud; the full-size run uses 1_000_000
N_FRAUD_ROWS = 20_000  # transactions at 1 % fraud (resampling, focal loss, thresholds); full size 200_000
N_REPEATS = 1_000  # repeated samples and estimates; full size 10_000
N_SPLITS = 50  # repeated train/test splits; full size 1_000
N_RESERVOIR_RUNS = 10_000  # streams passed through the reservoir sampler; full size 100_000
N_STEPS = 300  # gradient steps of each PyTorch model
SEED = 0  # seeds every generator, sample, split and model

# %% [markdown]
# ## Setup

# %%
import random
from collections import Counter, deque

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler, TomekLinks
from scipy import stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, make_scorer, precision_recall_curve, roc_auc_score, roc_curve
from sklearn.model_selection import KFold, ShuffleSplit, StratifiedKFold, cross_validate, train_test_split
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_class_weight

import workbook
from workbook.datasets.fraud import FEATURES, LABEL, fraud_transactions
from workbook.datasets.population import CITIES, population
from workbook.imbalance import (
    imbalance_metrics, operating_point, plot_pr_curves, plot_score_distributions, recall_at_precision,
)
from workbook.quiz import ask

workbook.setup_notebook("numpy", "pandas", "scikit-learn", "imbalanced-learn", "torch", "scipy", seed=SEED)
torch.manual_seed(SEED)
torch.set_num_threads(1)  # one thread: floating-point sums in the same order, so the same numbers every run
rng = np.random.default_rng(SEED)

# %% [markdown]
# ## Why and where we sample
#
# A model rarely sees all the data there is. The data may be too big to train on, labels may be
# too expensive to buy for every row, or a team may want a small slice to iterate quickly.
# Sampling happens at every stage of an ML system, often without anyone calling it that:
#
# | Stage | What is sampled | Example |
# | --- | --- | --- |
# | Collection | which part of the world gets recorded at all | logging the web app but not the phone app |
# | Labelling | which rows get a (paid) label | sending 5,000 of 2 million images to human raters |
# | Training set | which rows a model is trained on | a 10 % slice of a BigQuery table for a prototype |
# | Splitting | which rows are held out for validation and test | an 80/10/10 split |
# | Training | which rows form each mini-batch | stochastic gradient descent |
# | Monitoring | which predictions are logged for analysis | logging 5 % of an endpoint's requests |
#
# A good sample keeps development fast and the model honest; a bad one misleads every number
# computed after it. There are two families. **Non-probability** sampling picks rows by
# convenience or judgment; **probability** sampling gives every row a known chance of selection.

# %% [markdown]
# ## Non-probability sampling: convenience, snowball, judgment, quota
#
# To see what each method gets wrong we need the truth, so we generate a population: app users
# in five cities, with an age, an income, monthly visits, a friendship network, and whether they
# took the paid plan (`subscribed`, the label). `person_id` follows sign-up order.

# %%
pop = population(N_PEOPLE, seed=SEED)
people = pop.people
people.head(3)

# %% [markdown]
# The cities differ in a way that matters to a model: in Northbay, the head-office city where
# data is most easily at hand, *younger* people subscribe more often; everywhere else *older*
# people do. The last column is the subscription rate above 40 minus the rate up to 40.

# %%
over_40 = people["age"] > 40
by_city = pd.DataFrame({
    "share": people["city"].value_counts(normalize=True),
    "mean_age": people.groupby("city")["age"].mean(),
    "subscribed": people.groupby("city")["subscribed"].mean(),
    "older_minus_younger": people[over_40].groupby("city")["subscribed"].mean()
    - people[~over_40].groupby("city")["subscribed"].mean(),
}).loc[list(CITIES)]
by_city.round(3)

# %% [markdown]
# Four non-probability samples of 2,000 people, one per method, and a simple random sample
# for reference:
#
# * **convenience**: the data easiest to get, here the first records of the head-office city;
# * **snowball**: start from a few users and add their friends, then friends of friends;
# * **judgment** (purposive): an expert picks the cases they find important, here the most
#   active users ("those are the ones that matter");
# * **quota**: a fixed number per group (400 per city), filled within each group by
#   convenience (the first sign-ups).

# %%
N_SAMPLE = 2_000
friends = pop.friends()


def snowball(start: list[int], n: int) -> pd.DataFrame:
    """People reached by following friendships breadth-first from `start`, until there are n."""
    chosen, queue, seen = list(start), deque(start), set(start)
    while queue and len(chosen) < n:
        for friend in friends[queue.popleft()]:
            if friend not in seen:
                seen.add(friend)
                chosen.append(friend)
                queue.append(friend)
    return people.iloc[np.array(chosen[:n]) - 1]  # person_id is the row number + 1


def five_people() -> list[int]:
    """Five random starting users, among those with at least one friend (a snowball needs links)."""
    return rng.choice(people.loc[people["n_friends"] > 0, "person_id"], size=5, replace=False).tolist()


samples = {
    "simple random": people.sample(N_SAMPLE, random_state=SEED),
    "convenience": people[people["city"] == "Northbay"].head(N_SAMPLE),
    "snowball": snowball(five_people(), N_SAMPLE),
    "judgment": people.nlargest(N_SAMPLE, "visits"),
    "quota": people.groupby("city").head(N_SAMPLE // len(CITIES)),
}


def describe(df: pd.DataFrame) -> dict[str, float]:
    return {"Northbay share": (df["city"] == "Northbay").mean(), "no friends": (df["n_friends"] == 0).mean(),
            "mean age": df["age"].mean(), "subscription rate": df["subscribed"].mean()}


comparison = pd.DataFrame({"population": describe(people)} | {name: describe(s) for name, s in samples.items()}).T
comparison.round(3)

# %% [markdown]
# Each method leaves its own fingerprint: the convenience sample is one city (and its youngest
# early adopters), snowball sampling never reaches the one user in eight who has no friends in
# the app, the expert's "important" users subscribe more than twice as often as everyone, and
# the quota sample gives Midvale (10 % of users) the same weight as Northbay (40 %).

# %%
truth = comparison.loc["population"]
assert comparison.loc["convenience", "Northbay share"] == 1.0
assert comparison.loc["snowball", "no friends"] == 0.0 < truth["no friends"]
assert comparison.loc["judgment", "subscription rate"] > 1.5 * truth["subscription rate"]
assert comparison.loc["quota", "Northbay share"] == 0.2

# %% [markdown]
# Snowball samples are also *unstable*: friends resemble each other, so the estimate depends on
# whom you start from. Twenty snowballs from five random people each, against twenty simple
# random samples of the same size:

# %%
snow_rates = np.array([snowball(five_people(), N_SAMPLE)["subscribed"].mean() for _ in range(20)])
random_rates = np.array([people.sample(N_SAMPLE, random_state=SEED + i)["subscribed"].mean() for i in range(20)])
print(f"subscription rate, spread over 20 samples: snowball ±{snow_rates.std():.3f}, "
      f"simple random ±{random_rates.std():.3f} ({snow_rates.std() / random_rates.std():.1f}x)")

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2))
estimates = comparison["subscription rate"].drop("population")
axes[0].barh(estimates.index, estimates, color=["#4c72b0"] + ["#dd8452"] * 4)
axes[0].axvline(truth["subscription rate"], color="black", linestyle="--", label="population")
axes[0].set(title="Estimated subscription rate, n = 2,000", xlabel="rate")
axes[0].invert_yaxis()
axes[0].legend(fontsize="small")
axes[1].plot(random_rates, np.zeros(20), "o", alpha=0.6, label="simple random")
axes[1].plot(snow_rates, np.ones(20), "o", alpha=0.6, color="#dd8452", label="snowball")
axes[1].axvline(truth["subscription rate"], color="black", linestyle="--")
axes[1].set(yticks=[0, 1], yticklabels=["simple random", "snowball"], ylim=(-0.5, 1.5),
            title="20 repeated samples each", xlabel="estimated rate")
plt.tight_layout()
plt.show()

# %% [markdown]
# A biased sample does more than shift averages: a model trained on it learns the rules of the
# part of the world it saw. Train the same logistic regression on the convenience sample
# (Northbay only) and on the simple random sample, then score **everyone**, city by city. The
# model may use age separately per city (an age × city term); the convenience sample cannot
# teach it anything about the other cities.

# %%
def design(df: pd.DataFrame) -> pd.DataFrame:
    """Model inputs: age, visits, log income, and per-city offsets and age effects."""
    X = pd.DataFrame({"age": (df["age"] - 40) / 10, "visits": df["visits"], "log_income": np.log(df["income_k"])})
    for city in CITIES[1:]:
        X[f"in_{city}"] = (df["city"] == city).astype(float)
        X[f"age_in_{city}"] = X["age"] * X[f"in_{city}"]
    return X


def auc_by_city(sample: pd.DataFrame) -> pd.Series:
    model = LogisticRegression(max_iter=1_000).fit(design(sample), sample["subscribed"])
    scores = model.predict_proba(design(people))[:, 1]
    return pd.Series({c: roc_auc_score(people["subscribed"][people["city"] == c], scores[people["city"] == c])
                      for c in CITIES})


city_auc = pd.DataFrame({"trained on Northbay only": auc_by_city(samples["convenience"]),
                         "trained on a random sample": auc_by_city(samples["simple random"])})
city_auc.round(3)

# %%
fig, ax = plt.subplots(figsize=(7, 3))
city_auc.plot.bar(ax=ax, rot=0, color=["#dd8452", "#4c72b0"])
ax.axhline(0.5, color="grey", linestyle="--", linewidth=1)
ax.set(ylabel="ROC-AUC", ylim=(0.3, 0.85), title="One model per sample, scored on every city")
ax.legend(fontsize="small", loc="lower right")
plt.tight_layout()
plt.show()

# %%
elsewhere = city_auc.drop(index="Northbay").mean()
print(f"outside Northbay: ROC-AUC {elsewhere.iloc[0]:.2f} for the Northbay-only model, "
      f"{elsewhere.iloc[1]:.2f} for the random-sample model")
assert elsewhere.iloc[0] < 0.55 < 0.65 < elsewhere.iloc[1]

# %% [markdown]
# The Northbay-only model is no better than a coin elsewhere: it learned "young people
# subscribe", which is true where it looked and false everywhere else.
#
# Quota sampling guarantees every city a place, and its unequal city mix can be undone by
# weighting each city by its true share (post-stratification). What weighting cannot undo is
# the *non-random choice inside each quota*: the first sign-ups are younger than their city.
# Here re-weighting even moves the estimate further from the truth, because it gives more
# weight to Northbay's early adopters, young people in the one city where the young subscribe most.

# %%
quota = samples["quota"]
share_in_quota = quota["city"].value_counts(normalize=True)
city_weight = quota["city"].map(by_city["share"] / share_in_quota)
quota_check = pd.DataFrame({
    "mean age, city": by_city["mean_age"],
    "mean age, quota": quota.groupby("city")["age"].mean(),
}).loc[list(CITIES)]
print(f"subscription rate: population {truth['subscription rate']:.3f}, quota sample "
      f"{quota['subscribed'].mean():.3f}, re-weighted by city {np.average(quota['subscribed'], weights=city_weight):.3f}")
quota_check.round(1)

# %%
assert (quota_check["mean age, quota"] < quota_check["mean age, city"] - 3).all()

# %% [markdown]
# Non-probability samples are often where a project starts: a prototype on the data at hand, a
# partner's list, an expert's hand-picked cases. Use them knowingly: record how the sample was
# chosen, compare its make-up with the population the model will serve (as in the tables above),
# and evaluate on data drawn from that population before trusting any number.

# %%
ask("03-convenience-one-city-bias", "03-snowball-social-graph", "03-judgment-sampling-expert",
    "03-quota-vs-stratified")

# %% [markdown]
# ## Probability sampling
#
# In a probability sample every row has a known, non-zero chance of being picked, and chance
# alone decides. No person's preference enters, and the error of an estimate can be computed
# instead of guessed. The methods differ in how the chances are set.
#
# ### Simple random sampling
#
# Every row has the same chance. It is the right default when nothing is known about important
# groups, and its weakness is rare groups: by chance, a sample may hold too few of them. Take
# 100,000 transactions of which exactly 2 % are fraud, and draw 1,000 rows, again and again:

# %%
tx = fraud_transactions(N_TRANSACTIONS, fraud_rate=0.02, seed=SEED)
is_fraud = tx[LABEL].to_numpy()
counts = np.array([is_fraud[rng.choice(len(tx), size=1_000, replace=False)].sum() for _ in range(N_REPEATS)])
exact = stats.hypergeom(M=len(tx), n=is_fraud.sum(), N=1_000)  # the exact distribution of the count
pd.Series({"expected": exact.mean(), "mean": counts.mean(), "std": counts.std(), "exact std": exact.std(),
           "min": counts.min(), "max": counts.max()}).round(2)

# %%
fig, ax = plt.subplots(figsize=(7, 3))
k = np.arange(0, 51)
ax.hist(counts, bins=np.arange(counts.min() - 0.5, counts.max() + 1.5), density=True, alpha=0.6,
        label=f"{N_REPEATS:,} simple random samples")
ax.plot(k, exact.pmf(k), "k.-", linewidth=1, label="exact (hypergeometric)")
ax.axvline(20, color="#c44e52", label="2 % of 1,000")
ax.set(xlabel="frauds in a sample of 1,000 transactions", ylabel="share of samples", xlim=(0, 50))
ax.legend(fontsize="small")
plt.tight_layout()
plt.show()

# %%
off_by_quarter = np.mean((counts < 15) | (counts > 25))
print(f"{off_by_quarter:.0%} of samples miss the fraud rate by more than a quarter (fewer than 15 or more than 25 frauds)")
print(f"P(5 frauds or fewer) = {exact.cdf(5):.1e}, P(50 or more) = {exact.sf(49):.1e}")
assert 0.1 < off_by_quarter < 0.35

# %% [markdown]
# With 1,000 rows the count wanders by about ±4.4 around 20, so an observed fraud rate of 1.5 %
# or 2.5 % is common, while extremes such as 5 or 50 frauds essentially never happen. Smaller
# samples are far worse: with 100 rows, a sample often holds *no* fraud at all.

# %%
zero_share = np.mean([is_fraud[rng.choice(len(tx), size=100, replace=False)].sum() == 0 for _ in range(N_REPEATS)])
print(f"samples of 100 rows without a single fraud: {zero_share:.1%} (0.98^100 = {0.98 ** 100:.1%})")

# %% [markdown]
# A **stratified** sample (next sections) removes that luck: it draws 2 % of its rows from the
# frauds and 98 % from the rest, so every sample of 1,000 holds exactly 20 frauds.

# %%
stratified_counts = [int(train_test_split(tx, train_size=1_000, stratify=tx[LABEL], random_state=s)[0][LABEL].sum())
                     for s in range(5)]
print("frauds in five stratified samples of 1,000:", stratified_counts)
assert stratified_counts == [20] * 5

# %%
ask("03-fraud-count-spread-numeric")

# %% [markdown]
# ### Weighted sampling
#
# Each row gets its own chance of selection, proportional to a weight: oversample the rare
# class in a controlled way, or favour recent data over old. Python's standard library does it
# with `random.choices` (with replacement); NumPy with `rng.choice(..., p=...)`.

# %%
ids = list(range(len(tx)))
fraud_weight = [10.0 if f else 1.0 for f in is_fraud]  # a fraud is 10 times as likely to be picked
picked = random.Random(SEED).choices(ids, weights=fraud_weight, k=10_000)
expected_share = 10 * 0.02 / (10 * 0.02 + 0.98)
print(f"fraud share: data {is_fraud.mean():.1%}, weighted sample {is_fraud[picked].mean():.1%} "
      f"(expected {expected_share:.1%})")

# %%
days_ago = rng.integers(0, 365, size=len(tx))  # suppose each transaction has an age
recency = 0.5 ** (days_ago / 30)  # a weight that halves every 30 days
recent = rng.choice(len(tx), size=10_000, p=recency / recency.sum())
print(f"rows from the last 30 days: {np.mean(days_ago < 30):.0%} of the data, "
      f"{np.mean(days_ago[recent] < 30):.0%} of the weighted sample")

# %% [markdown]
# Weighted *sampling* is related to, but not the same as, *sample weights* in the loss:
#
# * weighted sampling draws a new training set in which heavy rows appear more often (as
#   copies) and light rows may not appear at all;
# * sample weights keep every row exactly once and multiply each row's loss by its weight.
#
# On average they aim at the same model. The difference is randomness and lost rows, measured
# here with the same weights (10 for fraud, 1 otherwise) on 20,000 transactions with 1 % fraud:

# %%
fraud = fraud_transactions(N_FRAUD_ROWS, fraud_rate=0.01, seed=SEED)
X, y = fraud[list(FEATURES)], fraud[LABEL].to_numpy()
Z = StandardScaler().fit_transform(np.log1p(X))  # log, then standardise: the features this chapter models with
w = np.where(y == 1, 10.0, 1.0)

by_loss = LogisticRegression(max_iter=1_000).fit(Z, y, sample_weight=w).coef_[0]
draws, distinct = [], []
for _ in range(8):
    rows = rng.choice(len(y), size=len(y), p=w / w.sum())
    draws.append(LogisticRegression(max_iter=1_000).fit(Z[rows], y[rows]).coef_[0])
    distinct.append(len(np.unique(rows)) / len(y))
draws = pd.DataFrame(draws, columns=list(FEATURES))
print(f"weighted sampling: each draw used {np.mean(distinct):.0%} of the distinct rows; "
      f"coefficients vary by ±{draws.std().mean():.2f} between draws (sample weights: one fit, no variation)")

# %%
fig, ax = plt.subplots(figsize=(8, 3))
for j, feature in enumerate(FEATURES):
    ax.plot(np.full(len(draws), j), draws[feature], "o", color="#dd8452", alpha=0.4,
            label="8 weighted samples" if j == 0 else None)
ax.plot(range(len(FEATURES)), by_loss, "kx", markersize=10, mew=2, label="sample weights in the loss")
ax.axhline(0, color="grey", linewidth=0.5)
ax.set_xticks(range(len(FEATURES)), FEATURES, rotation=20)
ax.set(ylabel="coefficient", title="Same weights, two ways")
ax.legend(fontsize="small")
plt.tight_layout()
plt.show()

# %%
ask("03-weighted-sampling-vs-sample-weights")

# %% [markdown]
# ### Stratified sampling and stratified splits
#
# Divide the rows into groups (**strata**), then sample each group separately, so every group
# keeps its share (or gets the share you choose). For a classification split the strata are
# the classes: `train_test_split(..., stratify=y)`, and `StratifiedKFold` for cross-validation.
# How much does it matter with 1 % positives? The test fraud rate over repeated 80/20 splits:

# %%
idx = np.arange(len(y))
test_rates = pd.DataFrame({
    "random split": [y[test].mean() for _, test in ShuffleSplit(N_SPLITS, test_size=0.2, random_state=SEED).split(idx)],
    "stratified split": [y[train_test_split(idx, test_size=0.2, stratify=y, random_state=s)[1]].mean()
                         for s in range(N_SPLITS)],
})
test_rates.describe().loc[["mean", "std", "min", "max"]].round(4)

# %%
fig, ax = plt.subplots(figsize=(7, 3))
bins = np.linspace(test_rates.min().min() - 0.0005, test_rates.max().max() + 0.0005, 30)
ax.hist(test_rates["random split"], bins=bins, alpha=0.6, label="random split")
ax.hist(test_rates["stratified split"], bins=bins, alpha=0.8, label="stratified split")
ax.set(xlabel="fraud rate in the test set", ylabel="splits", title=f"{N_SPLITS} splits of the same data (1 % fraud)")
ax.legend(fontsize="small")
plt.tight_layout()
plt.show()

# %%
assert test_rates["stratified split"].std() < 1e-4 < test_rates["random split"].std()

# %% [markdown]
# Cross-validation folds are small test sets, so the effect grows. On the first 2,000 rows
# (about 20 frauds), the frauds per fold with plain and stratified 5-fold splitting:

# %%
few = y[:2_000]
per_fold = pd.DataFrame({
    "KFold": [few[v].sum() for _, v in KFold(5, shuffle=True, random_state=SEED).split(few)],
    "StratifiedKFold": [few[v].sum() for _, v in StratifiedKFold(5, shuffle=True, random_state=SEED).split(few, few)],
}, index=[f"fold {i}" for i in range(1, 6)])
per_fold.T

# %% [markdown]
# Stratification needs the groups to be known up front, and each group needs enough rows. A
# continuous column has as many "groups" as values, so scikit-learn refuses it; binning it into
# quantiles first works:

# %%
try:
    train_test_split(fraud, test_size=0.2, stratify=fraud["amount"], random_state=SEED)
except ValueError as err:
    print(f"ValueError: {str(err).split('. ')[0]}.")  # the full message lists every "class"
amount_decile = pd.qcut(fraud["amount"], q=10, labels=False)
part_a, part_b = train_test_split(fraud, test_size=0.2, stratify=amount_decile, random_state=SEED)
print(f"median amount: {part_a['amount'].median():.2f} (train) vs {part_b['amount'].median():.2f} (test)")

# %% [markdown]
# To keep several things balanced at once, stratify on their combination, for example
# `stratify=df["is_fraud"].astype(str) + "_" + df["country"]`, as long as each combination
# has at least a few rows.

# %%
ask("03-stratified-split-rare-class", "03-stratifiedkfold-cv", "03-stratify-continuous-target",
    "03-zero-positives-validation-numeric")

# %% [markdown]
# ### Reservoir sampling
#
# A stream (clicks, transactions, log lines) arrives one item at a time, its length unknown,
# and too long to store. How do we keep a *uniform* random sample of `k` items, so that every
# item seen so far had the same chance to be in it? **Algorithm R**:
#
# 1. keep the first `k` items;
# 2. for item number `i` (counting from 0, so `i >= k`), draw `j` uniformly from `0 … i`;
#    if `j < k`, the new item replaces slot `j`, otherwise it is dropped.
#
# Item `i` enters with probability `k / (i + 1)`, and each later item evicts it with
# probability `1 / (t + 1)`; multiplied out, every item ends up kept with probability `k / n`.

# %%
def reservoir_sample(stream, k: int, rand: random.Random) -> list:
    """Algorithm R: k items drawn uniformly at random from an iterable of unknown length, in one pass."""
    reservoir = []
    for i, item in enumerate(stream):
        if i < k:
            reservoir.append(item)
        else:
            j = rand.randrange(i + 1)  # uniform on 0 .. i
            if j < k:
                reservoir[j] = item
    return reservoir


clicks = (f"click-{n:06d}" for n in range(200_000))  # a generator: the stream is never held in memory
reservoir_sample(clicks, k=5, rand=random.Random(SEED))

# %% [markdown]
# "Every item equally likely" is a claim we can test. Pass a stream of 100 items through the
# sampler (k = 10) many times and count how often each item is kept: a uniform sampler keeps
# each about equally often, and a chi-square test tells whether the differences are larger than
# chance. A sliding window (the latest 10 items) and an off-by-one slip
# (`randrange(i)` instead of `randrange(i + 1)`) for comparison:

# %%
STREAM_LENGTH, K = 100, 10


def keep_latest(stream, k: int, rand: random.Random) -> list:
    return list(deque(stream, maxlen=k))


def off_by_one(stream, k: int, rand: random.Random) -> list:
    reservoir = []
    for i, item in enumerate(stream):
        if i < k:
            reservoir.append(item)
        elif (j := rand.randrange(i)) < k:  # the bug: j is never i
            reservoir[j] = item
    return reservoir


kept, tests = {}, {}
for sampler in (reservoir_sample, off_by_one, keep_latest):
    rand, counter = random.Random(SEED), Counter()
    for _ in range(N_RESERVOIR_RUNS):
        counter.update(sampler(range(STREAM_LENGTH), K, rand))
    kept[sampler.__name__] = np.array([counter[i] for i in range(STREAM_LENGTH)])
    tests[sampler.__name__] = stats.chisquare(kept[sampler.__name__])  # H0: every item kept equally often
expected_count = N_RESERVOIR_RUNS * K / STREAM_LENGTH
pd.DataFrame({name: {"min kept": c.min(), "max kept": c.max(), "chi-square": tests[name].statistic,
                     "p-value": tests[name].pvalue} for name, c in kept.items()}).T.round(4)

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 3), sharey=True)
for ax, name in zip(axes, ["reservoir_sample", "off_by_one"]):
    ax.bar(range(STREAM_LENGTH), kept[name], width=1.0, color="#4c72b0" if name == "reservoir_sample" else "#dd8452")
    ax.axhline(expected_count, color="black", linestyle="--", linewidth=1, label=f"expected {expected_count:.0f}")
    ax.set(title=f"{name}: p = {tests[name].pvalue:.3g}", xlabel="position in the stream")
axes[0].set_ylabel(f"times kept in {N_RESERVOIR_RUNS:,} runs")
axes[0].legend(fontsize="small")
plt.tight_layout()
plt.show()

# %%
assert tests["reservoir_sample"].pvalue > 0.01 and tests["keep_latest"].pvalue < 1e-10

# %% [markdown]
# Algorithm R passes: its differences are what chance produces. The sliding window is not a
# random sample at all, and even the one-character bug fails the test: every later item enters
# with probability `k / i` instead of `k / (i + 1)`, so the first `k` items are pushed out too often. (A subtler bias needs more runs to show; the test's
# power grows with `N_RESERVOIR_RUNS`.) In production the stream is a Pub/Sub topic and
# the sampler a Dataflow step (Apache Beam's `Sample.FixedSizeGlobally` keeps a fixed-size
# uniform sample of a collection).

# %%
ask("03-reservoir-sampling-stream", "03-reservoir-probability-numeric")

# %% [markdown]
# ### Importance sampling
#
# Sometimes the data comes from one distribution `q` but the question is about another, `p`.
# Weighting each sample by `p(x) / q(x)` corrects for the difference: the weighted average of
# samples from `q` estimates the average under `p`. The textbook case in ML is **off-policy
# evaluation**: logs were collected under the current recommendation policy, and we want to know
# how a new policy would do without deploying it. A banner system picks one of five banners;
# each has a true click rate (unknown in real life, known here so we can check):

# %%
click_rate = np.array([0.02, 0.03, 0.05, 0.08, 0.12])
old_policy = np.array([0.40, 0.30, 0.15, 0.10, 0.05])  # how often the logging policy shows each banner
new_policy = np.array([0.05, 0.05, 0.10, 0.30, 0.50])  # the policy we would like to evaluate
true_new = new_policy @ click_rate
N_LOGS = 2_000  # impressions per log


def logs(policy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """N_REPEATS independent logs of N_LOGS impressions: which banner was shown, was it clicked."""
    shown = rng.choice(len(policy), size=(N_REPEATS, N_LOGS), p=policy)
    return shown, rng.random(shown.shape) < click_rate[shown]


shown, clicked = logs(old_policy)
weight = new_policy[shown] / old_policy[shown]  # importance weight p/q of each logged impression
estimates = pd.DataFrame({
    "naive: click rate in the old logs": clicked.mean(axis=1),
    "importance-weighted old logs": (weight * clicked).mean(axis=1),
    "new policy run live (A/B test)": logs(new_policy)[1].mean(axis=1),
})
summary_is = estimates.agg(["mean", "std"]).T
summary_is["bias"] = summary_is["mean"] - true_new
print(f"true click rate of the new policy: {true_new:.4f}")
summary_is.round(4)

# %%
fig, ax = plt.subplots(figsize=(7, 3))
for column in estimates:
    ax.hist(estimates[column], bins=40, alpha=0.55, label=column)
ax.axvline(true_new, color="black", linestyle="--", label="truth")
ax.set(xlabel="estimated click rate of the new policy", ylabel="logs", title=f"{N_REPEATS:,} logs of {N_LOGS:,} impressions")
ax.legend(fontsize="small")
plt.tight_layout()
plt.show()

# %%
is_std = summary_is.loc["importance-weighted old logs", "std"]
live_std = summary_is.loc["new policy run live (A/B test)", "std"]
ess = (weight.sum(axis=1) ** 2 / (weight ** 2).sum(axis=1)).mean()
print(f"without correction the estimate is off by {summary_is['bias'].iloc[0]:+.4f}; with it, by "
      f"{summary_is['bias'].iloc[1]:+.4f}. The price is variance: ±{is_std:.4f} vs ±{live_std:.4f} live "
      f"({(is_std / live_std) ** 2:.1f}x the variance); effective sample size {ess:,.0f} of {N_LOGS:,}")
assert abs(summary_is["bias"].iloc[1]) < 0.1 * abs(summary_is["bias"].iloc[0])

# %% [markdown]
# The further the logging policy is from the one being evaluated, the larger the weights and
# the noisier the estimate: the effective sample size says how many live impressions the
# weighted log is worth.
#
# Importance sampling can also *reduce* variance, by sampling where the informative cases are
# and correcting afterwards. Estimate the share of transactions above 2,000 (amounts are
# log-normal, `log(amount) ~ N(3.5, 1)`): drawing from the amounts themselves almost never
# produces such a transaction, drawing around the threshold and re-weighting does.

# %%
threshold = np.log(2_000)
true_tail = stats.norm.sf(threshold, loc=3.5)
direct = (rng.normal(3.5, 1.0, size=(N_REPEATS, 2_000)) > threshold).mean(axis=1)
z = rng.normal(threshold, 1.0, size=(N_REPEATS, 2_000))  # the proposal: centred on the threshold
tail_weight = stats.norm.pdf(z, loc=3.5) / stats.norm.pdf(z, loc=threshold)
weighted_tail = (tail_weight * (z > threshold)).mean(axis=1)
print(f"true share {true_tail:.2e}; direct sampling: {np.mean(direct == 0):.0%} of estimates are 0, "
      f"std {direct.std():.1e}; importance sampling: std {weighted_tail.std():.1e} "
      f"({direct.std() / weighted_tail.std():.0f}x smaller)")

# %%
ask("03-importance-sampling-off-policy")

# %% [markdown]
# ### Sampling in practice: small samples for fast experiments
#
# Down-sampling to iterate quickly is common and fine, if the sample stays random or
# stratified and the final model is evaluated on the full distribution. Often a model stops
# improving long before it has seen all the data. A learning curve measures it: stratified
# subsamples of the training rows, one fixed stratified test set, PR-AUC (introduced below).

# %%
train, test = train_test_split(fraud, test_size=0.25, stratify=fraud[LABEL], random_state=SEED)
X_train, y_train = train[list(FEATURES)], train[LABEL].to_numpy()
X_test, y_test = test[list(FEATURES)], test[LABEL].to_numpy()


def logistic(**options) -> Pipeline:
    """log1p, standardise, logistic regression: this chapter's baseline model."""
    return Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler()),
                     ("model", LogisticRegression(max_iter=1_000, **options))])


fractions = [0.05, 0.25, 0.5, 1.0]
curve = {}
for fraction in fractions:
    scores = []
    for s in range(2):
        part = train if fraction == 1.0 else train_test_split(
            train, train_size=fraction, stratify=train[LABEL], random_state=SEED + s)[0]
        model = logistic().fit(part[list(FEATURES)], part[LABEL])
        scores.append(average_precision_score(y_test, model.predict_proba(X_test)[:, 1]))
    curve[fraction] = np.mean(scores)
curve = pd.Series(curve, name="test PR-AUC")
curve.round(3)

# %%
fig, ax = plt.subplots(figsize=(6, 3))
ax.plot([f * len(train) for f in fractions], curve.to_numpy(), "o-")
ax.set(xscale="log", xlabel="training rows (stratified subsample)", ylabel="test PR-AUC", ylim=(0, 0.6),
       title="Learning curve, mean of 2 subsamples")
plt.tight_layout()
plt.show()

# %%
print(f"with {fractions[1]:.0%} of the training rows the model reaches {curve[0.25] / curve[1.0]:.0%} "
      f"of its full-data PR-AUC, with {fractions[0]:.0%} already {curve[0.05] / curve[1.0]:.0%}")

# %% [markdown]
# On a very large table the same curve tells when to stop adding data: prototype on a
# well-stratified sample, grow it while the validation score still climbs.

# %%
ask("03-downsample-prototype", "03-probability-vs-nonprobability-classify")

# %% [markdown]
# ## Class imbalance
#
# Imbalance is the normal case in production ML: fraud, churn, machine failure, disease. The
# interesting class is the rare one, and that causes three problems:
#
# 1. **Too little signal**: a few hundred positives may not show the model what sets them apart.
# 2. **A degenerate solution**: predicting "negative" for everything is already almost always
#    right, and a training loss can settle there.
# 3. **Asymmetric costs**: a missed fraud usually costs far more than a false alarm, but a plain
#    loss counts every error the same.
#
# ### The accuracy paradox
#
# 100,000 transactions with 0.1 % fraud, split in half (stratified). Three "models": one that
# always says legitimate, random scores, and a logistic regression. Precision, recall, F1 and
# accuracy use the usual threshold of 0.5.

# %%
rare = fraud_transactions(N_TRANSACTIONS, fraud_rate=0.001, seed=SEED + 1)
rare_train, rare_test = train_test_split(rare, test_size=0.5, stratify=rare[LABEL], random_state=SEED)
y_rare = rare_test[LABEL].to_numpy()
rare_model = logistic().fit(rare_train[list(FEATURES)], rare_train[LABEL])
rare_scores = rare_model.predict_proba(rare_test[list(FEATURES)])[:, 1]
paradox = pd.DataFrame({
    "always 'legitimate'": imbalance_metrics(y_rare, np.zeros(len(y_rare))),
    "random scores": imbalance_metrics(y_rare, rng.random(len(y_rare))),
    "logistic regression": imbalance_metrics(y_rare, rare_scores),
}).T
print(f"{len(y_rare):,} test transactions, {y_rare.sum()} frauds ({y_rare.mean():.2%})")
paradox.round(4)

# %%
flagged = rare_scores >= 0.5
print(f"logistic regression at 0.5: flags {flagged.sum()} transactions, catches {(flagged & (y_rare == 1)).sum()} "
      f"of {y_rare.sum()} frauds")
assert paradox.loc["always 'legitimate'", "accuracy"] == 1 - y_rare.mean() > 0.998
assert paradox.loc["always 'legitimate'", "recall"] == 0

# %% [markdown]
# The model that never catches a fraud scores 99.9 % accuracy, and the trained model's
# accuracy is no better: at 0.5 it flags almost nothing, the degenerate solution. Accuracy
# cannot tell these models apart; the other metrics can.
#
# ### Precision, recall, F1, ROC-AUC and PR-AUC
#
# | Metric | Question it answers | Value of "always negative" |
# | --- | --- | --- |
# | **precision** = TP / (TP + FP) | of the alerts, how many are fraud? | undefined (no alerts), reported as 0 |
# | **recall** = TP / (TP + FN) | of the frauds, how many were caught? | 0 |
# | **F1** = 2 P R / (P + R) | one number that is only high if both are | 0 |
# | **ROC-AUC** | how often a random fraud scores above a random legit transaction (over all thresholds) | 0.5 |
# | **PR-AUC** (average precision) | precision averaged over recall levels (over all thresholds) | the prevalence |
#
# The two areas do not depend on a threshold. They still tell different stories on rare
# positives, because the ROC curve's false-positive *rate* divides by the huge number of
# negatives, while precision compares false alarms with the few true catches:

# %%
fpr, tpr, roc_thresholds = roc_curve(y_rare, rare_scores)
at = np.argmax(tpr >= 0.5)  # the first threshold that catches half of the frauds
alerts = rare_scores >= roc_thresholds[at]
tp, fp = int((alerts & (y_rare == 1)).sum()), int((alerts & (y_rare == 0)).sum())
print(f"to catch {tpr[at]:.0%} of the frauds the model flags {fpr[at]:.1%} of legitimate transactions: "
      f"a small number on a ROC plot, but {fp:,} false alarms for {tp} frauds (precision {tp / (tp + fp):.1%})")

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.4))
plot_score_distributions(y_rare, rare_scores, ax=axes[0], title="Scores by class (0.1 % fraud)")
axes[1].plot(fpr, tpr, label=f"ROC-AUC {paradox.loc['logistic regression', 'roc_auc']:.3f}")
axes[1].plot([0, 1], [0, 1], "--", color="grey", linewidth=1, label="random")
axes[1].plot(fpr[at], tpr[at], "o", color="#c44e52")
axes[1].set(xlabel="false-positive rate", ylabel="recall (true-positive rate)", title="ROC")
axes[1].legend(fontsize="small")
plot_pr_curves(y_rare, {"logistic regression": rare_scores}, ax=axes[2], title="Precision-recall")
plt.tight_layout()
plt.show()

# %% [markdown]
# The cleanest way to see why PR-AUC tells more: keep the model and the frauds, and only add
# legitimate transactions. Below, the 1 %-fraud test set, then the same 50 frauds among ten
# times as many legitimate transactions (the legitimate rows of the 0.1 % data, drawn from the
# same distribution). ROC-AUC does not move; PR-AUC shows that most alerts are now false.

# %%
model = logistic().fit(X_train, y_train)
scores_1pc = model.predict_proba(X_test)[:, 1]
more_legit = pd.concat([test[test[LABEL] == 1], rare_test[rare_test[LABEL] == 0]])
scores_more = model.predict_proba(more_legit[list(FEATURES)])[:, 1]
prevalence_table = pd.DataFrame({
    f"{name} ({labels.mean():.2%} fraud)": {"ROC-AUC": roc_auc_score(labels, s), "PR-AUC": average_precision_score(labels, s)}
    for name, labels, s in [("test set", y_test, scores_1pc), ("more legit rows", more_legit[LABEL].to_numpy(), scores_more)]
})
prevalence_table.round(3)

# %%
roc_change, pr_change = prevalence_table.iloc[0, 1] - prevalence_table.iloc[0, 0], prevalence_table.iloc[1, 1] - prevalence_table.iloc[1, 0]
assert abs(roc_change) < 0.02 and pr_change < -0.1

# %% [markdown]
# ROC-AUC is still worth reporting (it is threshold-free and comparable across datasets), but
# when positives are rare and false alarms cost money, PR-AUC and "recall at a fixed precision"
# describe what the business will live with.

# %%
ask("03-accuracy-paradox-numeric", "03-roc-vs-pr-auc", "03-metric-choice-pr-auc")

# %% [markdown]
# ### Data-level fixes: resample the training data, never the evaluation data
#
# Resampling changes the class mix the model learns from:
#
# * **random undersampling** drops majority rows at random (fast; throws information away);
# * **random oversampling** copies minority rows (keeps everything; copies invite overfitting);
# * **SMOTE** creates *new* minority rows on the line between a minority row and one of its
#   minority neighbours (best suited to low-dimensional tabular data, and criticised for
#   inventing points in regions that belong to the other class);
# * **Tomek links** are pairs of nearest neighbours from opposite classes; removing the
#   majority member of each pair cleans the class boundary (it removes few rows).
#
# On two features of 3,000 transactions (log amount and log distance), what each one does:

# %%
view = fraud.head(3_000)
V, v_y = np.log1p(view[["amount", "distance_km"]]).to_numpy(), view[LABEL].to_numpy()
tomek = TomekLinks()
pictures = {
    "original (oversampling: same points, copied)": (V, v_y),
    "random undersampling": RandomUnderSampler(random_state=SEED).fit_resample(V, v_y),
    "SMOTE": SMOTE(random_state=SEED).fit_resample(V, v_y),
    "Tomek links": tomek.fit_resample(V, v_y),
}
removed = np.setdiff1d(np.arange(len(V)), tomek.sample_indices_)
fig, axes = plt.subplots(1, 4, figsize=(14, 3.2), sharex=True, sharey=True)
for ax, (name, (P, p_y)) in zip(axes, pictures.items()):
    ax.scatter(*P[p_y == 0].T, s=3, color="#8c8c8c", alpha=0.4, label="legitimate")
    ax.scatter(*P[p_y == 1].T, s=12, color="#dd8452", label="fraud")
    if name == "SMOTE":
        ax.scatter(*P[len(V):].T, s=12, color="#c44e52", marker="+", label="synthetic fraud")
    if name == "Tomek links":
        ax.scatter(*V[removed].T, s=40, facecolors="none", edgecolors="black", label="removed")
    ax.set(title=f"{name}\n{(p_y == 0).sum():,} legit, {(p_y == 1).sum():,} fraud", xlabel="log amount")
    ax.legend(fontsize="x-small", loc="lower right")
axes[0].set_ylabel("log distance (km)")
plt.tight_layout()
plt.show()

# %% [markdown]
# The rule that matters most: **resample inside the cross-validation loop, on the training
# folds only.** The validation fold must look like production, where nobody resamples the
# incoming transactions. `imblearn.pipeline.Pipeline` does exactly that: its samplers run
# during `fit` and are skipped during `predict`, so `cross_validate` resamples each training
# fold and scores each validation fold untouched. (scikit-learn's own `Pipeline` rejects
# samplers.) Three-fold stratified cross-validation of the same logistic regression (each
# validation fold holds about 67 frauds):

# %%
cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
MIN_PRECISION = 0.5
scoring = {
    "PR-AUC": "average_precision",
    "ROC-AUC": "roc_auc",
    "recall @ 50 % precision": make_scorer(recall_at_precision, response_method="predict_proba",
                                           min_precision=MIN_PRECISION),
    "recall @ threshold 0.5": "recall",
}


def resampling_pipeline(sampler, model=None) -> Pipeline:
    """log1p, standardise, resample (training folds only), then the model."""
    return Pipeline([("log", FunctionTransformer(np.log1p)), ("scale", StandardScaler()), ("resample", sampler),
                     ("model", model if model is not None else LogisticRegression(max_iter=1_000))])


samplers = {
    "none": None,
    "random undersampling": RandomUnderSampler(random_state=SEED),
    "random oversampling": RandomOverSampler(random_state=SEED),
    "SMOTE": SMOTE(random_state=SEED),
    "Tomek links": TomekLinks(),
}
cv_scores = {name: cross_validate(resampling_pipeline(sampler), X, y, cv=cv, scoring=scoring)
             for name, sampler in samplers.items()}
cv_table = pd.DataFrame({name: {metric: r[f"test_{metric}"].mean() for metric in scoring}
                         for name, r in cv_scores.items()}).T
cv_table["PR-AUC fold std"] = [r["test_PR-AUC"].std() for r in cv_scores.values()]
cv_table.round(3)

# %%
fig, ax = plt.subplots(figsize=(9, 3.2))
width = 0.8 / len(cv_scores)
for i, (name, r) in enumerate(cv_scores.items()):
    means = [r[f"test_{m}"].mean() for m in scoring]
    spread = [r[f"test_{m}"].std() for m in scoring]
    ax.bar(np.arange(len(scoring)) + i * width, means, width, yerr=spread, capsize=2, label=name)
ax.set_xticks(np.arange(len(scoring)) + 0.4 - width / 2, list(scoring))
ax.set(ylim=(0, 1), ylabel="mean over 3 folds (± std)", title="Resampling methods, logistic regression, 1 % fraud")
ax.legend(fontsize="small", ncol=3)
plt.tight_layout()
plt.show()

# %% [markdown]
# Read the chart carefully. The threshold-free metrics (PR-AUC, ROC-AUC, recall at 50 %
# precision) barely move: no resampler made this model *rank* frauds better, and random
# undersampling, which keeps only 1 % of the legitimate rows, ranks them a little worse (by
# less than the spread between folds). What changed is the recall at the default
# threshold: resampling pushes every score up, so more transactions cross 0.5. That is a
# threshold effect, and threshold tuning (below) gets it without throwing rows away. Resampling
# helps more with models that cannot take weights or that collapse to the majority class; the
# only way to know is to measure, as here.
#
# That the validation folds stayed untouched can be checked on one fold: the model was fitted
# on the resampled training rows, the validation rows were scored as they are.

# %%
fit_idx, valid_idx = next(cv.split(X, y))
pipe = resampling_pipeline(RandomUnderSampler(random_state=SEED)).fit(X.iloc[fit_idx], y[fit_idx])
_, y_seen = pipe[:-1].fit_resample(X.iloc[fit_idx], y[fit_idx])  # what the model step received
n_scored = len(pipe.predict_proba(X.iloc[valid_idx]))
print(f"training fold {np.bincount(y[fit_idx]).tolist()} (legit, fraud) -> model fitted on {np.bincount(y_seen).tolist()}")
print(f"validation fold scored as it is: {n_scored:,} rows, {np.bincount(y[valid_idx]).tolist()} (legit, fraud)")
assert n_scored == len(valid_idx)

# %% [markdown]
# Now the mistake the rule prevents: oversample the whole dataset **before** splitting. Copies
# of the same fraud land on both sides of every split, and a model that memorises (a decision
# tree) recognises them in "validation". The same tree, the same folds, the same oversampler:

# %%
tree = DecisionTreeClassifier(random_state=SEED)
X_over, y_over = RandomOverSampler(random_state=SEED).fit_resample(X, y)
leak = {
    "oversampled before the split": cross_validate(resampling_pipeline(None, tree), X_over, y_over, cv=cv, scoring=scoring),
    "oversampled inside (training folds)": cross_validate(
        resampling_pipeline(RandomOverSampler(random_state=SEED), tree), X, y, cv=cv, scoring=scoring),
}
leak_table = pd.DataFrame({name: {m: r[f"test_{m}"].mean() for m in scoring} for name, r in leak.items()}).T
over_fit, over_valid = next(cv.split(X_over, y_over))
seen_frauds = {tuple(row) for row in X_over.iloc[over_fit][y_over[over_fit] == 1].to_numpy()}
copies = np.mean([tuple(row) in seen_frauds for row in X_over.iloc[over_valid][y_over[over_valid] == 1].to_numpy()])
print(f"{copies:.0%} of the 'validation' frauds have an exact copy in the training fold")
leak_table.round(3)

# %%
fig, ax = plt.subplots(figsize=(7, 3))
leak_table.T.rename(index=lambda name: name.replace(" @ ", "\n@ ")).plot.bar(ax=ax, rot=0, color=["#c44e52", "#4c72b0"])
ax.set(ylim=(0, 1.35), ylabel="mean over 3 folds", title="Decision tree: where the oversampling happens")
ax.legend(fontsize="small", loc="upper center", ncol=2)
plt.tight_layout()
plt.show()

# %%
inflation = leak_table["PR-AUC"].iloc[0] - leak_table["PR-AUC"].iloc[1]
print(f"oversampling before the split inflates PR-AUC by {inflation:.2f} and ROC-AUC by "
      f"{leak_table['ROC-AUC'].iloc[0] - leak_table['ROC-AUC'].iloc[1]:.2f}")
assert inflation > 0.5

# %% [markdown]
# Two things inflate the leaky number: the copies (the tree has seen almost every validation
# fraud), and the validation folds themselves being 50 % fraud instead of 1 %, which alone
# lifts PR-AUC. ROC-AUC does not depend on the class mix, and it is inflated too. The honest
# number is the one a deployed model will live up to.

# %%
ask("03-resample-inside-cv", "03-tomek-links", "03-smote-interpolates")

# %% [markdown]
# ### Algorithm-level fixes: class weights and focal loss
#
# Instead of changing the data, change what errors cost. The data keep their true
# distribution, which is why this is often preferred for deep learning.
#
# **Class weights** multiply each row's loss by a weight for its class, usually inversely
# proportional to the class frequency. scikit-learn's `class_weight="balanced"` uses
# `n_rows / (n_classes * n_rows_in_class)`:

# %%
balanced = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
print(f"balanced weights (legit, fraud): {balanced.round(3).tolist()}; by hand: "
      f"{(len(y) / (2 * np.bincount(y))).round(3).tolist()}")
weighted_cv = cross_validate(logistic(class_weight="balanced"), X, y, cv=cv, scoring=scoring)
pd.DataFrame({"none": cv_table.loc["none", list(scoring)],
              "class_weight='balanced'": {m: weighted_cv[f"test_{m}"].mean() for m in scoring}}).T.round(3)

# %% [markdown]
# The same pattern as resampling: the ranking barely changes, the scores move. Weighting (like
# resampling) makes the model believe fraud is far more common than it is, so its
# probabilities are no longer probabilities. Mean predicted fraud probability on the test set,
# against the true rate:

# %%
calibration = pd.Series({
    "true fraud rate": y_test.mean(),
    "plain": logistic().fit(X_train, y_train).predict_proba(X_test)[:, 1].mean(),
    "class_weight='balanced'": logistic(class_weight="balanced").fit(X_train, y_train).predict_proba(X_test)[:, 1].mean(),
    "random undersampling": resampling_pipeline(RandomUnderSampler(random_state=SEED)).fit(
        X_train, y_train).predict_proba(X_test)[:, 1].mean(),
}, name="mean predicted probability")
calibration.round(4)

# %% [markdown]
# If the scores must be probabilities (expected losses, a downstream business rule), re-calibrate
# on untouched validation data; if they only rank, pick the threshold on validation data (below).
#
# **Focal loss** changes the loss itself. With `p_t` the predicted probability of the *true*
# class, cross-entropy is `-log(p_t)`, and focal loss multiplies it by `(1 - p_t)^γ`, with an
# optional class weight `α_t`:
#
# `FL(p_t) = -α_t (1 - p_t)^γ log(p_t)`
#
# An example the model already gets right (`p_t` near 1) contributes almost nothing, so the
# many easy negatives stop drowning out the hard cases. `γ = 0` gives back (weighted)
# cross-entropy; larger `γ` discounts easy examples more. It was introduced for object
# detection (RetinaNet), where an image holds thousands of easy background boxes per object.

# %%
def focal_loss(logits: torch.Tensor, targets: torch.Tensor, gamma: float = 2.0, alpha: float | None = None) -> torch.Tensor:
    """Mean binary focal loss -alpha_t (1 - p_t)^gamma log(p_t), from logits; targets are 0/1 floats."""
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")  # -log(p_t), computed stably
    p_t = torch.exp(-ce)
    loss = (1 - p_t) ** gamma * ce
    if alpha is not None:
        loss = torch.where(targets == 1, alpha, 1 - alpha) * loss  # alpha for positives, 1 - alpha for negatives
    return loss.mean()


probe_logits, probe_targets = torch.randn(1_000), (torch.rand(1_000) < 0.3).float()
difference = (focal_loss(probe_logits, probe_targets, gamma=0.0)
              - F.binary_cross_entropy_with_logits(probe_logits, probe_targets)).abs().item()
print(f"focal loss with gamma = 0 vs cross-entropy: difference {difference:.1e}")
assert difference < 1e-6

# %% [markdown]
# How strongly `γ` discounts confident examples: the loss of one positive example at several
# `p_t`, and the factor by which focal loss shrinks cross-entropy there.

# %%
p_t = torch.tensor([0.1, 0.5, 0.9, 0.99])
logit = torch.log(p_t / (1 - p_t))  # a positive example predicted with probability p_t
one = torch.ones(1)
loss_table = pd.DataFrame({f"γ = {g}": [focal_loss(l.reshape(1), one, gamma=g).item() for l in logit]
                           for g in (0, 0.5, 1, 2, 5)}, index=[f"p_t = {p:.2f}" for p in p_t.tolist()])
shrink = (loss_table["γ = 0"] / loss_table["γ = 2"]).rename("CE / focal (γ = 2)")
pd.concat([loss_table.round(4), shrink.round(1)], axis=1)

# %%
grid = torch.linspace(0.01, 0.99, 99)
grid_logit = torch.log(grid / (1 - grid))
fig, ax = plt.subplots(figsize=(6, 3))
for g in (0, 0.5, 1, 2, 5):
    ax.plot(grid, [focal_loss(l.reshape(1), one, gamma=g).item() for l in grid_logit], label=f"γ = {g}")
ax.set(xlabel="p_t, probability of the true class", ylabel="loss", ylim=(0, 3), title="Focal loss")
ax.legend(fontsize="small")
plt.tight_layout()
plt.show()

# %% [markdown]
# Does it help on our fraud data? One model, one-layer logistic regression in PyTorch, the same
# initial weights, the same `N_STEPS` full-batch gradient steps (written out, so nothing is
# hidden); only the loss changes. The class weight of the weighted cross-entropy and the `α`
# of the focal loss both follow the class frequency (99 : 1).

# %%
scaler = StandardScaler().fit(np.log1p(X_train))


def as_tensor(frame: pd.DataFrame) -> torch.Tensor:
    return torch.tensor(scaler.transform(np.log1p(frame)), dtype=torch.float32)


T_train, T_test = as_tensor(X_train), as_tensor(X_test)
t_train = torch.tensor(y_train, dtype=torch.float32)
prevalence = t_train.mean().item()


def fit_linear(loss_fn, steps: int = N_STEPS, lr: float = 0.5, momentum: float = 0.9) -> torch.nn.Linear:
    """A logistic regression trained by full-batch gradient descent with momentum on `loss_fn`."""
    torch.manual_seed(SEED)
    net = torch.nn.Linear(T_train.shape[1], 1)
    params = list(net.parameters())
    velocity = [torch.zeros_like(p) for p in params]
    for _ in range(steps):
        grads = torch.autograd.grad(loss_fn(net(T_train).squeeze(1), t_train), params)
        with torch.no_grad():
            for p, g, v in zip(params, grads, velocity):
                v.mul_(momentum).add_(g)
                p.sub_(lr * v)
    return net


losses = {
    "cross-entropy": lambda z, t: F.binary_cross_entropy_with_logits(z, t),
    "weighted cross-entropy": lambda z, t: F.binary_cross_entropy_with_logits(
        z, t, pos_weight=torch.tensor((1 - prevalence) / prevalence)),
    "focal, γ = 2": lambda z, t: focal_loss(z, t, gamma=2.0),
    "focal, γ = 2, α = 0.99": lambda z, t: focal_loss(z, t, gamma=2.0, alpha=1 - prevalence),
}
nets = {name: fit_linear(fn) for name, fn in losses.items()}
with torch.no_grad():
    torch_scores = {name: torch.sigmoid(net(T_test).squeeze(1)).numpy() for name, net in nets.items()}
loss_comparison = pd.DataFrame({
    name: {"PR-AUC": average_precision_score(y_test, s), "ROC-AUC": roc_auc_score(y_test, s),
           "recall @ 50 % precision": recall_at_precision(y_test, s, MIN_PRECISION),
           "recall @ threshold 0.5": float(np.mean(s[y_test == 1] >= 0.5)),
           "mean score, legit": float(s[y_test == 0].mean())}
    for name, s in torch_scores.items()}).T
loss_comparison.round(3)

# %% [markdown]
# Where does the training loss come from? For the cross-entropy model, the share of the total
# loss contributed by the easy examples (`p_t > 0.9`), under cross-entropy and under focal loss:

# %%
with torch.no_grad():
    logits = nets["cross-entropy"](T_train).squeeze(1)
    ce_each = F.binary_cross_entropy_with_logits(logits, t_train, reduction="none")
    easy = torch.exp(-ce_each) > 0.9
    focal_each = (1 - torch.exp(-ce_each)) ** 2 * ce_each
easy_share_ce = (ce_each[easy].sum() / ce_each.sum()).item()
easy_share_focal = (focal_each[easy].sum() / focal_each.sum()).item()
print(f"{easy.float().mean().item():.1%} of the training rows are easy; they carry {easy_share_ce:.0%} of the "
      f"cross-entropy but {easy_share_focal:.2%} of the focal loss (γ = 2)")
assert easy_share_focal < easy_share_ce / 3

# %% [markdown]
# Is focal loss's PR-AUC really different from cross-entropy's? With about 50 test frauds a
# single split is noisy; resampling the test set with replacement (a paired bootstrap) gives a
# 95 % interval for the difference:

# %%
boot_rng = np.random.default_rng(SEED)
s_ce, s_focal = torch_scores["cross-entropy"], torch_scores["focal, γ = 2"]
differences = []
for _ in range(100):
    i = boot_rng.integers(0, len(y_test), len(y_test))
    differences.append(average_precision_score(y_test[i], s_focal[i]) - average_precision_score(y_test[i], s_ce[i]))
low, high = np.percentile(differences, [2.5, 97.5])
print(f"PR-AUC, focal minus cross-entropy: {loss_comparison.loc['focal, γ = 2', 'PR-AUC'] - loss_comparison.loc['cross-entropy', 'PR-AUC']:+.3f}, "
      f"95 % interval [{low:+.3f}, {high:+.3f}]")

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.4))
plot_pr_curves(y_test, torch_scores, ax=axes[0], min_precision=MIN_PRECISION, title="Same model, four losses")
plot_score_distributions(y_test, s_ce, ax=axes[1], title="Scores: cross-entropy")
plot_score_distributions(y_test, s_focal, ax=axes[2], title="Scores: focal, γ = 2")
plt.tight_layout()
plt.show()

# %% [markdown]
# The mechanism is measurable (focal loss stops the easy majority from dominating the loss, and
# it spreads the scores upward), but on this small tabular problem with a linear model the
# ranking quality is the same within noise. Focal loss earns its keep where easy negatives
# outnumber everything by orders of magnitude, as in dense object detection, and with models
# flexible enough to spend capacity on the hard cases. Measure before adopting it.

# %%
ask("03-data-vs-algorithm-level", "03-bigquery-ml-class-weights", "03-focal-loss-gamma", "03-focal-loss-numeric")

# %% [markdown]
# ### Threshold tuning
#
# A classifier outputs scores; the decision is `score >= threshold`, and 0.5 is only a
# default. With rare positives and unequal costs the threshold is a business decision, made on
# **validation** data and checked once on the test set. Hold out a quarter of the training
# rows for validation, fit on the rest, then compare four ways to choose:

# %%
fit_rows, valid = train_test_split(train, test_size=0.25, stratify=train[LABEL], random_state=SEED)
chosen_model = logistic().fit(fit_rows[list(FEATURES)], fit_rows[LABEL])
y_valid = valid[LABEL].to_numpy()
s_valid = chosen_model.predict_proba(valid[list(FEATURES)])[:, 1]
s_test = chosen_model.predict_proba(X_test)[:, 1]

COST_MISSED_FRAUD, COST_REVIEW = 250, 10  # euros: a fraud that gets through, a legit transaction checked by hand
precision, recall, pr_thresholds = precision_recall_curve(y_valid, s_valid)
f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)


def cost(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    flag = scores >= threshold
    return COST_MISSED_FRAUD * np.sum(~flag & (labels == 1)) + COST_REVIEW * np.sum(flag & (labels == 0))


valid_cost = [cost(y_valid, s_valid, t) for t in pr_thresholds]
thresholds = {
    "default 0.5": 0.5,
    "best F1 on validation": pr_thresholds[np.argmax(f1)],
    "recall @ 50 % precision": operating_point(y_valid, s_valid, MIN_PRECISION).threshold,
    "lowest cost on validation": pr_thresholds[np.argmin(valid_cost)],
}
threshold_table = pd.DataFrame({
    name: {"threshold": t, **{k: v for k, v in imbalance_metrics(y_test, s_test, t).items() if k in ("precision", "recall", "f1")},
           "alerts": int(np.sum(s_test >= t)), "cost (€)": cost(y_test, s_test, t)}
    for name, t in thresholds.items()}).T
threshold_table.round(3)

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 3.2))
axes[0].plot(pr_thresholds, precision[:-1], label="precision")
axes[0].plot(pr_thresholds, recall[:-1], label="recall")
axes[0].plot(pr_thresholds, f1, label="F1")
axes[1].plot(pr_thresholds, valid_cost, color="#55a868")
for name, t in thresholds.items():
    for ax in axes:
        ax.axvline(t, color="grey", linestyle=":", linewidth=1)
    axes[0].annotate(name, (t, 1.0), rotation=90, fontsize="x-small", va="top", ha="right")
axes[0].set(xscale="log", xlabel="threshold (log scale)", title="Validation set")
axes[1].set(xscale="log", xlabel="threshold (log scale)", ylabel="cost (€)", title="Cost on the validation set")
axes[0].legend(fontsize="small", loc="lower left")
plt.tight_layout()
plt.show()

# %%
assert threshold_table.loc["default 0.5", "recall"] < threshold_table.loc["lowest cost on validation", "recall"]
assert threshold_table.loc["lowest cost on validation", "cost (€)"] < threshold_table.loc["default 0.5", "cost (€)"]

# %% [markdown]
# Same model, same scores: only the threshold moved, and the catch rate and the bill changed
# more than with any resampling method above. Note that a threshold chosen for 50 % precision
# on validation need not give 50 % on the test set: with a few dozen frauds per split, every
# such number is noisy, which is one more reason to stratify every split. The threshold belongs to the deployment (a
# config value next to the model in Vertex AI Model Registry, or a business rule in the
# serving code) and is re-checked whenever the model or the data changes.

# %%
ask("03-threshold-tuning", "03-undersampling-probabilities")

# %% [markdown]
# ## On Google Cloud
#
# | Need | Where |
# | --- | --- |
# | A random sample of a BigQuery table | `WHERE RAND() < 0.1` (row by row, different each run); `TABLESAMPLE SYSTEM (10 PERCENT)` (cheap, but samples storage blocks, not rows); a hash of a key, `MOD(ABS(FARM_FINGERPRINT(CAST(id AS STRING))), 10) = 0`, for a repeatable sample or split |
# | A stratified split | Vertex AI tabular datasets: a stratified split on a key column; scikit-learn `train_test_split(stratify=...)` in a Vertex AI custom training job |
# | A fixed-size sample of a stream | Dataflow (Apache Beam), e.g. `Sample.FixedSizeGlobally`, reading from Pub/Sub |
# | Logging a fraction of predictions | Vertex AI endpoint request-response logging to BigQuery with a sampling rate; Vertex AI Model Monitoring samples requests too |
# | Class weights | BigQuery ML `AUTO_CLASS_WEIGHTS = TRUE` or `CLASS_WEIGHTS` in `CREATE MODEL`; Keras `class_weight` or a custom loss (focal) in custom training |
# | Metrics for rare positives | Vertex AI AutoML tabular optimization objectives `maximize-au-prc`, `maximize-recall-at-precision`; `ML.EVALUATE` and `ML.ROC_CURVE` in BigQuery ML |

# %% [markdown]
# ## Summary
#
# * Sampling happens at collection, labelling, splitting, training and monitoring. Ask of every
#   sample: does it reflect the population the model will serve?
# * **Non-probability** sampling (convenience, snowball, judgment, quota) is cheap and biased in
#   its own way: one city's rules, over-connected groups, an expert's taste, non-random quotas.
# * **Probability** sampling: simple random (unbiased, but rare groups fluctuate: 20 ± 4.4
#   frauds per 1,000), weighted (chosen chances; not the same as sample weights in the loss),
#   stratified (exact group shares; use it for every split of imbalanced data), reservoir (a
#   uniform sample of a stream, verified by a chi-square test), importance sampling (estimates
#   under another distribution, unbiased at the price of variance).
# * With rare positives accuracy is meaningless (99.9 % for a model that catches nothing).
#   Report precision, recall, F1, and PR-AUC or recall at a fixed precision; ROC-AUC stays
#   flat when only negatives are added.
# * Data-level fixes (under/oversampling, SMOTE, Tomek links) go *inside* the cross-validation
#   pipeline, on training folds only; oversampling before the split produced a near-perfect,
#   fake score. Algorithm-level fixes (class weights, focal loss) keep the data intact.
# * Measured here, resampling and weighting mostly moved the scores rather than improving the
#   ranking; tuning the threshold on validation data for the business's costs did more.

# %%
ask("03-probability-vs-nonprobability-classify", "03-stratified-split-rare-class", "03-resample-inside-cv",
    "03-metric-choice-pr-auc", "03-data-vs-algorithm-level", "03-reservoir-sampling-stream",
    "03-threshold-tuning", "03-importance-sampling-off-policy", "03-smote-interpolates",
    "03-convenience-one-city-bias", title="Check yourself: chapter 03")

# %% [markdown]
# ## Exercises
#
# Compare the fixes yourself in **[Lab 03](../labs/03_sampling_imbalance.ipynb)**: a fraud
# dataset with 1 % positives, a stratified holdout, six ways to handle the imbalance compared
# by PR-AUC and recall at a fixed precision, and the oversampling-before-the-split mistake
# reproduced on purpose. The worked solution is in
# [solutions/03_sampling_imbalance.ipynb](../solutions/03_sampling_imbalance.ipynb).

# %% [markdown]
# <!-- NAV START -->
# ← [02 · Data pipelines: sources, formats, ETL/ELT](02_data_pipelines.ipynb) · [Contents](00_start_here.ipynb) · [04 · Data leakage](04_leakage.ipynb) → · Practice: [Lab](../labs/03_sampling_imbalance.ipynb) · [Solution](../solutions/03_sampling_imbalance.ipynb)
# <!-- NAV END -->
