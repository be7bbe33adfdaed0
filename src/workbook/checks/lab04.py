"""Checks for Lab 04 · the leak hunt.

The lab's fraud pipeline hides three leaks: retried payments duplicated across the split, the
``chargeback`` column (known only weeks after a payment), and a merchant fraud rate computed over
all rows before the split. Each fix is one step of the lab, and each check measures the fix the
way the chapter does: it runs a pipeline in which *only that step is yours* (the rest is a leak-free
reference) on a development extract and on a clean holdout, and expects the two ROC AUCs to agree
within :data:`TOLERANCE`. The last check runs your three steps together and names every leak that
remains. Checks build their own data (``leak_hunt(6000, seed=3)``), so they do not depend on the
notebook's sizes, show ✅, ⏳ (a step is still a placeholder) or ❌ with numbers and a hint, never
raise, and return ``None``; the verdict is kept in ``workbook.checks.RESULTS[CHECK_NAMES[...]]``.

    >>> from workbook.checks.lab04 import check_features
    >>> check_features(...)  # doctest: +SKIP
    ⏳ Step 2 · Only what is known when a payment is scored: not done yet
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from workbook.checks._report import Check, checking, kind_of, plural
from workbook.datasets.payments import FEATURES, LABEL, LeakHunt, leak_hunt
from workbook.leakage import check_split as self_check

__all__ = ["CHECK_NAMES", "FEATURES", "LABEL", "TOLERANCE", "check_features", "check_fit_predict",
           "check_leaks_gone", "check_split", "reference_fit_predict", "reference_split"]

CHECK_NAMES = {
    "check_split": "Step 1 · Deduplicate, then split",
    "check_features": "Step 2 · Only what is known when a payment is scored",
    "check_fit_predict": "Step 3 · Encode merchants inside the pipeline",
    "check_leaks_gone": "Step 4 · Leak hunt: validation agrees with the clean holdout",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

TOLERANCE = 0.04
"""How far (ROC AUC) validation and clean holdout may differ for a leak-free pipeline on the check data.

Leak-free pipelines (other split sizes and seeds, logistic regression, random forests) stay within
about 0.015 of the holdout there; each planted leak alone opens a gap of 0.09 or more.
"""

_CHECK_SIZE, _CHECK_SEED = 6000, 3
_POST_OUTCOME = "chargeback"
_NOT_FEATURES = {
    LABEL: "is the label itself",
    _POST_OUTCOME: "is only known weeks after the payment (when the card holder disputes it): at scoring time "
                   "it is 0 for every payment, as in the clean holdout",
    "payment_id": "is an identifier: it names a payment, it does not describe it (and next month's ids are new)",
    "ts": "is a raw timestamp: next month's payments all lie after every training timestamp (use hour instead)",
}


def _step(check_function: str) -> contextlib.AbstractContextManager[Check]:
    """``checking`` the step, with one thread for its model fits."""
    return checking(CHECK_NAMES[check_function], threads=1)


# ----------------------------------------------------------------------------- the reference pieces


@functools.lru_cache(maxsize=1)
def _hunt() -> LeakHunt:
    return leak_hunt(_CHECK_SIZE, seed=_CHECK_SEED, n_holdout=2 * _CHECK_SIZE)


def _data() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fresh copies of the check data: (dev, holdout)."""
    hunt = _hunt()
    return hunt.dev.copy(), hunt.holdout.copy()


def reference_split(dev: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A leak-free split: drop duplicate rows, then 75/25 stratified by the label."""
    from sklearn.model_selection import train_test_split

    unique = dev.drop_duplicates()
    train, valid = train_test_split(unique, test_size=0.25, random_state=seed, stratify=unique[LABEL])
    return train, valid


def reference_fit_predict(train: pd.DataFrame, rows: pd.DataFrame, features: Sequence[str]) -> np.ndarray:
    """A leak-free model: one-hot ``device``, target-encode ``merchant`` inside the pipeline, boosted trees."""
    from sklearn.compose import make_column_transformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, TargetEncoder

    features = list(features)
    steps = []
    if "device" in features:
        steps.append((OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["device"]))
    if "merchant" in features:
        steps.append((TargetEncoder(cv=StratifiedKFold(5, shuffle=True, random_state=0)), ["merchant"]))
    model = make_pipeline(make_column_transformer(*steps, remainder="passthrough"),
                          HistGradientBoostingClassifier(max_iter=60, early_stopping=False, random_state=0))
    model.fit(train[features], train[LABEL])
    return model.predict_proba(rows[features])[:, 1]


def _auc(y: pd.Series, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, scores))


def _rows(valid: pd.DataFrame, holdout: pd.DataFrame) -> pd.DataFrame:
    """The rows to score: the validation rows, then the holdout with its labels hidden (NaN), as in production."""
    return pd.concat([valid, holdout.assign(**{LABEL: np.nan})], ignore_index=True)


def _scored(c: Check, fit_predict: Callable, train: pd.DataFrame, valid: pd.DataFrame, holdout: pd.DataFrame,
            features: Sequence[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Call ``fit_predict(train, valid + unlabelled holdout, features)``; return the scores and the rows scored."""
    rows = _rows(valid, holdout)
    out = c.call(fit_predict, train.copy(), rows.copy(), list(features))
    scores = np.asarray(out)
    if scores.ndim == 2 and scores.shape[1] == 2:
        c.require(False, "`fit_predict` returned two columns per row (the output of predict_proba)",
                  "Return the probability of fraud only: model.predict_proba(rows[features])[:, 1].")
    c.require(scores.ndim == 1 and len(scores) == len(rows),
              f"`fit_predict` should return one score per row of `rows` ({len(rows):,}), got {kind_of(out)}"
              + (f" of shape {scores.shape}" if hasattr(scores, "shape") else ""),
              "Return model.predict_proba(rows[features])[:, 1], in the order of `rows`.")
    c.require(np.issubdtype(scores.dtype, np.number) and np.isfinite(scores).all(),
              "`fit_predict` returned values that are not finite numbers", "Return fraud probabilities.")
    return scores, rows


def _gap(scores: np.ndarray, valid: pd.DataFrame, holdout: pd.DataFrame) -> tuple[float, float]:
    """(validation AUC, holdout AUC) of scores for the validation rows followed by the holdout rows."""
    n = len(valid)
    return _auc(valid[LABEL], scores[:n]), _auc(holdout[LABEL], scores[n:])


def _agreement(c: Check, valid_auc: float, holdout_auc: float, setting: str, hint: str) -> None:
    gap = valid_auc - holdout_auc
    c.note(f"{setting}: validation AUC {valid_auc:.3f}, clean holdout {holdout_auc:.3f} "
           f"(gap {gap:+.3f}, tolerance ±{TOLERANCE}).")
    c.expect(abs(gap) <= TOLERANCE,
             f"validation AUC {valid_auc:.3f} but clean holdout {holdout_auc:.3f}: validation is "
             f"{'too optimistic' if gap > 0 else 'too pessimistic'} by {abs(gap):.3f} (tolerance {TOLERANCE})", hint)


def _split(c: Check, split_dev: Callable, dev: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    out = c.call(split_dev, dev.copy(), seed)
    c.require(isinstance(out, (tuple, list)) and len(out) == 2,
              f"`split_dev` should return a tuple (train, valid), got {kind_of(out)}",
              "End with `return train, valid`.")
    train, valid = out
    for name, part in (("train", train), ("valid", valid)):
        c.require(isinstance(part, pd.DataFrame), f"{name} should be a pandas DataFrame, got {kind_of(part)}")
        missing = [col for col in dev.columns if col not in part.columns]
        c.require(not missing, f"{name} has no column {', '.join(missing)}",
                  "Keep every column of dev; choose features later.")
    return train, valid


def _copies_across(train: pd.DataFrame, valid: pd.DataFrame) -> int:
    return self_check(train, valid, features=[col for col in train.columns if col != LABEL]).findings[0].count


def _label_probe(c: Check, fit_predict: Callable, train: pd.DataFrame, rows: pd.DataFrame, scores: np.ndarray,
                 features: Sequence[str]) -> float:
    """Largest change in the scores when the labels of the scored rows are flipped."""
    flipped = rows.assign(**{LABEL: 1 - rows[LABEL]})
    again = np.asarray(c.call(fit_predict, train.copy(), flipped, list(features)), dtype=float)
    if again.shape != scores.shape:
        return float("inf")
    return float(np.max(np.abs(again - scores))) if len(scores) else 0.0


_LABEL_HINT = ("Fit every statistic on `train` only: put the encoder in the Pipeline (TargetEncoder on merchant), "
               "fit the pipeline on train[features], and only call predict_proba on `rows`.")


# ----------------------------------------------------------------------------- Step 1


def check_split(split_dev: Callable) -> None:
    """``split_dev(dev, seed)`` returns ``(train, valid)``: duplicates removed first, then a 75/25-ish split.

    On the check data (9,000 rows, 3,000 of them retries) it verifies: two DataFrames with dev's
    columns; every payment on exactly one side and no row twice; no validation row repeats a
    training row (the self-check of chapter 04); a validation share of 15 to 35 %; the same seed
    gives the same split and another seed another one. Then it measures the fix: the reference
    model trained on your train rows scores your valid rows and the clean holdout, and the two
    AUCs must agree within the tolerance.
    """
    with _step("check_split") as c:
        dev, holdout = _data()
        train, valid = _split(c, split_dev, dev, 0)
        n_payments = dev["payment_id"].nunique()
        both = set(train["payment_id"]) & set(valid["payment_id"])
        lost = set(dev["payment_id"]) - set(train["payment_id"]) - set(valid["payment_id"])
        copies = _copies_across(train, valid)
        c.expect(not copies, f"{plural(copies, 'validation row')} of {len(valid):,} also appear in train: "
                 f"retried payments straddle the split",
                 "Remove duplicate rows first (dev.drop_duplicates()), then split the unique payments.")
        if not copies:
            c.expect(not both, f"{plural(len(both), 'payment_id')} are on both sides",
                     "Each payment goes to one side only.")
        c.expect(not lost, f"{plural(len(lost), 'payment')} of {n_payments:,} are in neither train nor valid",
                 "Keep one row of every payment: drop duplicates, do not drop payments.")
        repeated = int(train.duplicated().sum() + valid.duplicated().sum())
        c.expect(not repeated, f"{plural(repeated, 'row')} still appear twice within train or valid",
                 "A retried payment is one payment: drop the duplicate rows before splitting.")
        share = valid["payment_id"].nunique() / max(n_payments, 1)
        c.expect(0.15 <= share <= 0.35, f"valid holds {share:.0%} of the payments, expected about 25 % (15 to 35 %)",
                 "train_test_split(..., test_size=0.25).")
        again = _split(c, split_dev, dev, 0)[1]
        other = _split(c, split_dev, dev, 1)[1]
        c.expect(set(again["payment_id"]) == set(valid["payment_id"]), "the same seed gave a different split",
                 "Pass random_state=seed.")
        c.expect(set(other["payment_id"]) != set(valid["payment_id"]), "seed=0 and seed=1 gave the same split",
                 "Pass random_state=seed (do not hard-code it).")
        valid_auc, holdout_auc = _gap(reference_fit_predict(train, _rows(valid, holdout), FEATURES), valid, holdout)
        _agreement(c, valid_auc, holdout_auc, "with your split and the reference model",
                   "Copies of a payment on both sides let the model recognise validation rows: "
                   "deduplicate, then split.")


# ----------------------------------------------------------------------------- Step 2


def check_features(features: object) -> None:
    """``FEATURES`` lists the columns known when a payment is scored, and nothing else.

    It verifies that every name is a column of the extract; that the label, ``chargeback``
    (filled in weeks later), ``payment_id`` and ``ts`` are not features; and that the seven honest
    columns are all kept. Then it measures: the reference split and model, with your features,
    must give validation and clean-holdout AUCs that agree within the tolerance.
    """
    with _step("check_features") as c:
        features = c.value(features, "FEATURES")
        c.require(isinstance(features, (list, tuple)) and all(isinstance(f, str) for f in features),
                  f"FEATURES should be a list of column names, got {kind_of(features)}",
                  "FEATURES = ['amount', 'hour', ...].")
        dev, holdout = _data()
        unknown = [f for f in features if f not in dev.columns]
        c.require(not unknown, f"not columns of the extract: {', '.join(unknown)}"
                  + (" (merchant_fraud_rate is the team's all-rows encoding, leak 3: list `merchant` and encode "
                     "it inside the model in step 3)" if "merchant_fraud_rate" in unknown else ""),
                  f"Choose among {', '.join(dev.columns)}.")
        for column, why in _NOT_FEATURES.items():
            if column in features:
                message = f"{column} {why}"
                if column == _POST_OUTCOME:
                    auc_dev = _auc(dev[LABEL], dev[column])
                    message += f"; alone it scores AUC {auc_dev:.2f} on the extract and 0.50 on the holdout"
                c.expect(False, message, f"Remove {column} from FEATURES.")
        dropped = [f for f in FEATURES if f not in features]
        c.expect(not dropped, f"honest signal dropped: {', '.join(dropped)} "
                 f"{'is' if len(dropped) == 1 else 'are'} known when a payment is scored",
                 "Keep every column that exists at scoring time; only leaks go.")
        if c.result.failures:
            train, valid = reference_split(dev, 0)
            usable = [f for f in features if f in FEATURES or f == _POST_OUTCOME]
            if usable:
                scores = reference_fit_predict(train, _rows(valid, holdout), usable)
                valid_auc, holdout_auc = _gap(scores, valid, holdout)
                c.note(f"with your features and the reference split and model: validation AUC {valid_auc:.3f}, "
                       f"clean holdout {holdout_auc:.3f} (gap {valid_auc - holdout_auc:+.3f}).")
            return
        train, valid = reference_split(dev, 0)
        valid_auc, holdout_auc = _gap(reference_fit_predict(train, _rows(valid, holdout), features), valid, holdout)
        _agreement(c, valid_auc, holdout_auc, "with your features, the reference split and model",
                   "A column filled in after the payment is 0 at scoring time; drop it.")


# ----------------------------------------------------------------------------- Step 3


def check_fit_predict(fit_predict: Callable) -> None:
    """``fit_predict(train, rows, features)`` fits on ``train`` only and returns fraud probabilities for ``rows``.

    With the reference split and the honest features of the check data it calls your function on
    the validation rows followed by the clean holdout (its labels hidden, as in production), and
    verifies: one finite score per row;
    the scores do not move when the labels of the scored rows are flipped (so those labels never
    reach the model); and validation and clean-holdout AUCs agree within the tolerance.
    """
    with _step("check_fit_predict") as c:
        dev, holdout = _data()
        train, valid = reference_split(dev, 0)
        scores, rows = _scored(c, fit_predict, train, valid, holdout, FEATURES)
        moved = _label_probe(c, fit_predict, train, rows, scores, FEATURES)
        c.expect(moved <= 1e-9, f"the scores of the rows being scored changed by up to {moved:.3f} when we flipped "
                 "their labels: their labels reach the model", _LABEL_HINT)
        valid_auc, holdout_auc = _gap(scores, valid, holdout)
        _agreement(c, valid_auc, holdout_auc, "with your model, the reference split and features", _LABEL_HINT)


# ----------------------------------------------------------------------------- Step 4


def check_leaks_gone(split_dev: Callable, features: object, fit_predict: Callable) -> None:
    """Your three steps together: no leak left, and validation agrees with the clean holdout.

    It runs ``split_dev`` on the check extract, ``fit_predict`` with ``FEATURES`` on your validation
    rows and on the clean holdout, and reports each of the three leaks: copies across the split,
    a post-outcome column among the features, labels of scored rows reaching the model (the flip
    probe). It passes when none remains and the two AUCs agree within the tolerance.
    """
    with _step("check_leaks_gone") as c:
        features = c.value(features, "FEATURES")
        c.require(isinstance(features, (list, tuple)) and all(isinstance(f, str) for f in features),
                  f"FEATURES should be a list of column names, got {kind_of(features)}")
        dev, holdout = _data()
        unknown = [f for f in features if f not in dev.columns]
        c.require(not unknown, f"FEATURES names columns that are not in the extract: {', '.join(unknown)}",
                  "Finish step 2 first.")
        train, valid = _split(c, split_dev, dev, 0)
        scores, rows = _scored(c, fit_predict, train, valid, holdout, features)
        moved = _label_probe(c, fit_predict, train, rows, scores, features)
        copies = _copies_across(train, valid)
        leaks = [
            (copies, f"{plural(copies, 'validation row')} also in train: retried payments straddle the split (step 1)",
             "check_split shows the copies; deduplicate, then split."),
            (_POST_OUTCOME in features, f"{_POST_OUTCOME} is among the features: it is filled in weeks after "
             "the payment (step 2)", "check_features lists what is known at scoring time."),
            (moved > 1e-9, f"the labels of the scored rows reach the model: flipping them moved the scores by "
             f"up to {moved:.3f} (step 3)", _LABEL_HINT),
        ]
        for found, leak, hint in leaks:
            c.expect(not found, f"leak remaining: {leak}", hint)
        valid_auc, holdout_auc = _gap(scores, valid, holdout)
        _agreement(c, valid_auc, holdout_auc, "your pipeline",
                   "Fix the leaks listed above: each one makes validation look better than production.")
        if not any(found for found, _, _ in leaks):
            c.note("None of the three leaks remains.")
