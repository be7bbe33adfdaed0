"""Checks for Lab 01 · a small retraining pipeline.

The lab automates four steps of a monthly churn model's life: a reproducible training step, a
validation step that rejects a bad batch with a reason, a quality gate that refuses to promote a
worse model, and a drift trigger that decides when to retrain. Each check builds its own data
with :func:`workbook.datasets.drifting.monthly_churn` (so it does not depend on the notebook's
sizes), calls your function on it, and measures the result: predictions of two runs, reasons
given for planted bad batches, decisions on models of known quality, decisions on batches with no
drift, data drift and concept drift. Checks show ✅, ⏳ (a step is still a placeholder) or ❌ with
numbers and a hint, never raise, and return ``None``; the verdict is kept in
``workbook.checks.RESULTS[CHECK_NAMES[...]]``.

    >>> from workbook.checks.lab01 import check_validate
    >>> check_validate(...)  # doctest: +SKIP
    ⏳ Step 2 · Reject a bad batch, with a reason: not done yet
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from workbook.checks._report import Check, checking, kind_of, plural
from workbook.datasets.drifting import FEATURES, LABEL, monthly_churn
from workbook.lifecycle import drift_report

__all__ = ["ALPHA", "CHECK_NAMES", "FEATURES", "LABEL", "MAX_DROP", "MIN_ACCURACY", "MIN_ROWS", "RANGES",
           "check_gate", "check_train", "check_trigger", "check_validate"]

CHECK_NAMES = {
    "check_train": "Step 1 · A reproducible training step",
    "check_validate": "Step 2 · Reject a bad batch, with a reason",
    "check_gate": "Step 3 · A quality gate",
    "check_trigger": "Step 4 · A drift trigger",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

MIN_ROWS = 100
"""A batch with fewer rows is rejected."""
RANGES = {"tenure_months": (0, 120), "monthly_spend": (5, 500), "support_calls": (0, 50), "discount": (0, 1),
          LABEL: (0, 1)}
"""The valid range (inclusive) of every column."""
CHURN_RATE = (0.05, 0.60)
"""A batch whose churn rate lies outside this range is rejected."""
MIN_ACCURACY = 0.73
"""The quality gate's floor: no model below this accuracy on the golden set reaches production."""
ALPHA = 0.01
"""The drift trigger flags a feature whose KS-test p-value is below ALPHA."""
MAX_DROP = 0.05
"""The drift trigger fires when accuracy on the new labelled batch is this much below the reference."""

_SEED = 11


def _step(check_function: str) -> contextlib.AbstractContextManager[Check]:
    """``checking`` the step, with one thread for its model fits."""
    return checking(CHECK_NAMES[check_function], threads=1)


@functools.lru_cache(maxsize=1)
def _worlds() -> dict[str, pd.DataFrame]:
    return {drift: monthly_churn(2000, 8, drift=drift, start=6, seed=_SEED) for drift in ("none", "data", "concept")}


def _reference() -> pd.DataFrame:
    """Months 0–2: the batch a model is trained on."""
    df = _worlds()["none"]
    return df[df["month"] < 3].reset_index(drop=True)


def _month(drift: str, month: int) -> pd.DataFrame:
    df = _worlds()[drift]
    return df[df["month"] == month].reset_index(drop=True)


@functools.lru_cache(maxsize=1)
def _golden() -> pd.DataFrame:
    return monthly_churn(4000, 1, seed=_SEED + 1)


_WEAKER = ["support_calls", "monthly_spend", "discount"]  # without tenure: above the floor, below the full model


def _reference_model(batch: pd.DataFrame, *, shuffle: bool = False, features: list[str] | None = None):
    """Scaled logistic regression on FEATURES (using only ``features`` of them, if given)."""
    from sklearn.compose import make_column_transformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    y = batch[LABEL].to_numpy()
    if shuffle:
        y = np.random.default_rng(0).permutation(y)
    keep = make_column_transformer((StandardScaler(), features or list(FEATURES)))
    return make_pipeline(keep, LogisticRegression()).fit(batch[list(FEATURES)], y)


def _inputs(model) -> list[str]:
    """The columns a model was fitted on (scikit-learn remembers them), else FEATURES."""
    names = getattr(model, "feature_names_in_", None)
    return list(FEATURES) if names is None else [str(n) for n in names]


def _accuracy(model, batch: pd.DataFrame) -> float:
    return float((np.asarray(model.predict(batch[_inputs(model)])) == batch[LABEL].to_numpy()).mean())


# ----------------------------------------------------------------------------- Step 1


def _trained(c: Check, train_model: Callable, batch: pd.DataFrame, seed: int, holdout: pd.DataFrame) -> np.ndarray:
    model = c.call(train_model, batch.copy(), seed)
    c.require(hasattr(model, "predict_proba") and hasattr(model, "predict"),
              f"`train_model` should return a fitted classifier (with predict and predict_proba), got {kind_of(model)}",
              "End with `return model.fit(batch[FEATURES], batch[LABEL])`.")
    columns = _inputs(model)
    unknown = [col for col in columns if col not in holdout.columns]
    c.require(not unknown, f"the model was fitted on columns that are not in a batch: {', '.join(unknown)}",
              "Fit on batch[FEATURES] and batch[LABEL].")
    c.require(LABEL not in columns, f"the label {LABEL} is among the model's inputs: at scoring time it does not exist",
              "Fit on batch[FEATURES] only (the label goes in the second argument of fit).")
    proba = np.asarray(model.predict_proba(holdout[columns]))
    c.require(proba.ndim == 2 and len(proba) == len(holdout),
              f"predict_proba on {len(holdout):,} rows returned shape {proba.shape}",
              "Return the fitted classifier itself.")
    return proba


def check_train(train_model: Callable) -> None:
    """``train_model(batch, seed)`` returns a fitted classifier; the same seed gives the same model.

    It trains on three months of check data (6,000 rows) twice with ``seed=0``, with NumPy's global
    random state set differently before each call, and expects identical predicted probabilities on
    a later month; it also expects the model to beat the "nobody churns" baseline by 0.02 accuracy,
    and not to be perfect (a perfect score on new data means the label is among the inputs).
    """
    with _step("check_train") as c:
        batch, holdout = _reference(), _month("none", 4)
        np.random.seed(1)
        first = _trained(c, train_model, batch, 0, holdout)
        np.random.seed(2)
        second = _trained(c, train_model, batch, 0, holdout)
        differ = int((np.abs(first - second) > 1e-12).any(axis=1).sum())
        c.expect(not differ, f"two runs with seed=0 gave different probabilities for {plural(differ, 'row')} "
                 f"of {len(holdout):,}: something random is not seeded",
                 "Pass random_state=seed to the model (and to anything else that draws random numbers).")
        model = c.call(train_model, batch.copy(), 0)
        accuracy = _accuracy(model, holdout)
        baseline = float(max(holdout[LABEL].mean(), 1 - holdout[LABEL].mean()))
        c.note(f"accuracy on a later month {accuracy:.3f} (predicting 'nobody churns' scores {baseline:.3f}).")
        c.expect(accuracy < 0.99, f"accuracy {accuracy:.3f} on a later month is too good to be true",
                 f"Train on FEATURES only ({', '.join(FEATURES)}): is the label among your inputs?")
        c.expect(accuracy >= baseline + 0.02, f"accuracy {accuracy:.3f} barely beats predicting 'nobody churns' "
                 f"({baseline:.3f})", "Fit on batch[FEATURES] and batch[LABEL] of the batch you are given.")


# ----------------------------------------------------------------------------- Step 2


def _bad_batches(good: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, str]]:
    """Planted problems: description → (batch, the column a reason should name, or '' for whole-batch problems)."""
    cents = good.assign(monthly_spend=good["monthly_spend"] * 100)
    holes = good.copy()
    holes.loc[holes.index[::50], "monthly_spend"] = np.nan
    negative = good.copy()
    negative.loc[negative.index[:5], "tenure_months"] = -12
    relabelled = good.assign(**{LABEL: good[LABEL].replace({1: 2})})
    return {
        "the column support_calls missing": (good.drop(columns="support_calls"), "support_calls"),
        "missing values in monthly_spend": (holes, "monthly_spend"),
        "monthly_spend in cents (max {:,.0f})".format(cents["monthly_spend"].max()): (cents, "monthly_spend"),
        "negative tenure_months": (negative, "tenure_months"),
        f"labels coded 0/2 in {LABEL}": (relabelled, LABEL),
        "no churner at all (a broken join)": (good.assign(**{LABEL: 0}), LABEL),
        f"only 20 rows (fewer than {MIN_ROWS})": (good.head(20), ""),
    }


def check_validate(validate_batch: Callable) -> None:
    """``validate_batch(batch)`` returns a list of reasons: empty for a good batch, not empty for a bad one.

    It expects no reason for three good batches (one of them with data drift: new, but valid), and
    at least one reason, naming the column at fault, for each of seven planted problems: a missing
    column, missing values, a unit change (cents), negative values, a recoded label, a churn rate
    of zero, and too few rows.
    """
    with _step("check_validate") as c:
        good = _month("none", 3)
        for name, batch in {"a normal month": good, "another normal month": _month("none", 5),
                            "a month with new, pricier plans (data drift, valid values)": _month("data", 7)}.items():
            reasons = c.call(validate_batch, batch.copy())
            c.require(isinstance(reasons, (list, tuple)) and all(isinstance(r, str) for r in reasons),
                      f"`validate_batch` should return a list of reasons (strings), got {kind_of(reasons)}",
                      "Return [] for a good batch and e.g. ['monthly_spend above 500'] for a bad one.")
            c.expect(not reasons, f"{name} was rejected: {'; '.join(reasons)}",
                     "Check only the rules of the step: columns, missing values, ranges, churn rate, row count.")
        caught = 0
        for problem, (batch, column) in _bad_batches(good).items():
            reasons = c.call(validate_batch, batch.copy())
            if not isinstance(reasons, (list, tuple)) or not reasons:
                c.expect(False, f"a batch with {problem} was accepted",
                         f"Add a rule for it; the ranges are {RANGES}, churn rate {CHURN_RATE}, at least {MIN_ROWS} rows.")
                continue
            caught += 1
            if column:
                c.expect(any(column in str(r) for r in reasons),
                         f"a batch with {problem} was rejected, but no reason names {column}: {'; '.join(map(str, reasons))}",
                         "A reason should say what to fix: include the column's name.")
        c.note(f"{caught} of {len(_bad_batches(good))} planted problems rejected.")


# ----------------------------------------------------------------------------- Step 3


def check_gate(should_promote: Callable) -> None:
    """``should_promote(candidate, production, golden)`` decides with the golden set's accuracy.

    Models of known quality (a good one, a weaker one without ``tenure_months``, and one trained on
    shuffled labels) are compared on the
    check's golden set (4,000 rows): a good first model is promoted; a bad first model is not (it is
    below MIN_ACCURACY); a worse candidate never replaces a better production model; a better one
    does; an equally good one (the same model) does.
    """
    with _step("check_gate") as c:
        golden = _golden()
        good, bad = _reference_model(_reference()), _reference_model(_reference(), shuffle=True)
        weaker = _reference_model(_reference(), features=_WEAKER)
        good_acc, bad_acc, weak_acc = _accuracy(good, golden), _accuracy(bad, golden), _accuracy(weaker, golden)
        c.note(f"on the golden set: good model {good_acc:.3f}, weaker model {weak_acc:.3f}, model trained on "
               f"shuffled labels {bad_acc:.3f}, floor {MIN_ACCURACY}.")
        cases = [
            ("a good first model (no production model yet)", good, None, True,
             f"With production None, promote when the candidate reaches MIN_ACCURACY ({MIN_ACCURACY})."),
            (f"a first model below the floor ({bad_acc:.3f} < {MIN_ACCURACY})", bad, None, False,
             "With no production model, the candidate must still reach MIN_ACCURACY."),
            (f"a worse candidate ({weak_acc:.3f}) against production ({good_acc:.3f})", weaker, good, False,
             "Score both models on the golden set; keep production unless the candidate is at least as good."),
            (f"a better candidate ({good_acc:.3f}) against production ({weak_acc:.3f})", good, weaker, True,
             "Promote a candidate that beats production on the golden set (and reaches the floor)."),
            ("a candidate as good as production (the same model)", good, good, True,
             "Ties promote: a model retrained on fresh data with the same score may replace the old one (use >=)."),
        ]
        for name, candidate, production, expected, hint in cases:
            decision = c.call(should_promote, candidate, production, golden.copy())
            c.require(isinstance(decision, (bool, np.bool_)),
                      f"`should_promote` should return True or False, got {kind_of(decision)}",
                      "Return a comparison, e.g. `return score >= floor`.")
            c.expect(bool(decision) == expected,
                     f"{name}: {'promoted' if decision else 'refused'}, expected {'promote' if expected else 'refuse'}",
                     hint)


# ----------------------------------------------------------------------------- Step 4


def check_trigger(needs_retraining: Callable) -> None:
    """``needs_retraining(model, reference, current)`` fires on data drift and on concept drift, not otherwise.

    A model trained on the reference months decides about three labelled months: one without
    drift (expected: no retraining), one with data drift (pricier plans) and one with concept drift
    (the churn rule changed, the inputs did not). The messages give the KS p-values and the
    accuracies, so a trigger that watches only the inputs sees why it misses concept drift.
    """
    with _step("check_trigger") as c:
        reference = _reference()
        model = _reference_model(reference)
        base = _accuracy(model, reference)
        for drift, expected in (("none", False), ("data", True), ("concept", True)):
            current = _month(drift, 7)
            decision = c.call(needs_retraining, model, reference.copy(), current.copy())
            c.require(isinstance(decision, (bool, np.bool_)),
                      f"`needs_retraining` should return True or False, got {kind_of(decision)}",
                      "Return a comparison or `any(...)`.")
            if bool(decision) == expected:
                continue
            p_min = float(drift_report(reference, current, FEATURES, alpha=ALPHA)["p_value"].min())
            acc = _accuracy(model, current)
            facts = (f"smallest KS p-value {p_min:.3g} (alpha {ALPHA}), accuracy {acc:.3f} against "
                     f"{base:.3f} on the reference (max drop {MAX_DROP})")
            if drift == "none":
                c.expect(False, f"a month without drift triggered retraining: {facts}",
                         f"Fire only when some p-value < {ALPHA} or accuracy drops by more than {MAX_DROP}.")
            elif drift == "data":
                c.expect(False, f"a month with data drift (monthly_spend up 25 EUR) did not trigger: {facts}",
                         "Run a KS test (scipy.stats.ks_2samp, or workbook.lifecycle.drift_report) on every feature.")
            else:
                c.expect(False, f"a month with concept drift did not trigger: {facts}; the inputs look exactly "
                         "as before, only the labels changed",
                         "Inputs alone cannot see concept drift: also compare the model's accuracy on the labelled "
                         "batch with its accuracy on the reference.")
        if not c.result.failures:
            c.note("no drift: no retraining; data drift and concept drift: retrain.")
