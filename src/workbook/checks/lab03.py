"""Checks for Lab 03 · fraud detection with 1 % positives (sampling and class imbalance).

One check per step of the lab. Each check makes its own small inputs with
:func:`workbook.datasets.fraud.fraud_transactions` (a few thousand rows, a seed of its own), so
every step can be checked on its own, in any order. A check shows ✅, ⏳ (the step is still a
placeholder) or ❌ with what is wrong, measured, and a hint; it never raises into the notebook.
Check functions return ``None``; the verdict is displayed and kept in
``workbook.checks.RESULTS[CHECK_NAMES["check_…"]]``.

What the checks verify, as the lab promises: the holdout split is stratified, resampling
touches only the training rows (a spy sampler inside the model records what it was given),
and every reported metric matches a recomputation from the returned scores.

    >>> from workbook.checks.lab03 import check_split
    >>> check_split(lambda df, seed: ...)  # doctest: +SKIP
    ⏳ Step 1 · A stratified holdout: not done yet
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from workbook.checks._report import (
    Check, Stop, checking, kind_of,
)
from workbook.datasets.fraud import FEATURES, LABEL, fraud_transactions
from workbook.imbalance import operating_point

__all__ = ["CHECK_NAMES", "METHODS", "TEST_SIZE", "check_comparison", "check_evaluate", "check_leaky_split",
           "check_models", "check_split"]

CHECK_NAMES = {
    "check_split": "Step 1 · A stratified holdout",
    "check_models": "Step 2 · Six ways to handle the imbalance",
    "check_evaluate": "Step 3 · Evaluate on the untouched holdout",
    "check_comparison": "Step 4 · Compare the methods",
    "check_leaky_split": "Step 5 · The mistake, on purpose: oversample before the split",
}
"""The name each check is displayed and stored under in ``workbook.checks.RESULTS``."""

METHODS = ("baseline", "class_weight", "undersample", "oversample", "smote", "tomek")
"""The methods ``make_model(method, seed)`` builds, in the order the lab compares them."""

TEST_SIZE = 0.25
"""The share of rows in the holdout (test) set."""

_RESULT_KEYS = ("pr_auc", "recall_at_precision", "threshold", "scores")
_SAMPLERS = {"undersample": "RandomUnderSampler", "oversample": "RandomOverSampler", "smote": "SMOTE",
             "tomek": "TomekLinks"}


def _pair(c: Check, out: object, function: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    c.require(isinstance(out, (tuple, list)) and len(out) == 2,
          f"`{function}` should return a tuple (train, test), got {kind_of(out)}", "End with `return train, test`.")
    train, test = out
    for name, part in (("train", train), ("test", test)):
        c.require(isinstance(part, pd.DataFrame), f"{name} should be a pandas DataFrame, got {kind_of(part)}")
        missing = [col for col in ("transaction_id", LABEL, *FEATURES) if col not in part.columns]
        c.require(not missing, f"{name} has no column {', '.join(missing)}", "Keep every column of df.")
    return train, test


def _holdout(n_rows: int, fraud_rate: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified 75/25 split of generated transactions, made by the check itself."""
    from sklearn.model_selection import train_test_split

    df = fraud_transactions(n_rows, fraud_rate=fraud_rate, seed=seed)
    return tuple(train_test_split(df, test_size=TEST_SIZE, stratify=df[LABEL], random_state=seed))


def _fit(c: Check, model: object, X: pd.DataFrame, y: np.ndarray, what: str) -> None:
    """Fit a model the learner built; an error becomes a failure with a hint, and stops the check."""
    try:
        model.fit(X, y)
    except Exception as exc:  # the learner's estimator failed to fit
        hint = ("scikit-learn's Pipeline accepts no samplers: build it with imblearn.pipeline.Pipeline "
                "(or imblearn.pipeline.make_pipeline)." if "transform" in str(exc) or "resample" in str(exc)
                else "Fit the model yourself on a few rows to see the full error.")
        c.expect(False, f"{what} could not be fitted: {type(exc).__name__}: {str(exc)[:160]}", hint)
        raise Stop from exc


# ----------------------------------------------------------------------------- Step 1 · Split


def check_split(split_holdout: Callable) -> None:
    """``split_holdout(df, seed)`` returns ``(train, test)``: 75/25, stratified by is_fraud, reproducible.

    On 4,000 generated transactions with 40 frauds it verifies: train and test share no
    transaction and together hold all of them; test holds 25 % of the rows; for seeds 0 to 4
    the test set holds 10 frauds (± 1), which a stratified split guarantees and a random one
    misses by several for most seeds; the same seed gives the same split and another seed a
    different one; ``df`` is not modified.
    """
    with checking(CHECK_NAMES["check_split"]) as c:
        df = fraud_transactions(4_000, fraud_rate=0.01, seed=5)
        original = df.copy()
        train, test = _pair(c, c.call(split_holdout, df, 0), "split_holdout")
        c.expect(df.equals(original), "`split_holdout` changed the DataFrame it was given",
                 "Split a copy; train_test_split never modifies its input.")
        ids_train, ids_test = set(train["transaction_id"]), set(test["transaction_id"])
        shared = ids_train & ids_test
        c.expect(not shared, f"train and test share {len(shared):,} transactions", "Each row goes to exactly one side.")
        lost = set(df["transaction_id"]) - ids_train - ids_test
        c.expect(not lost, f"{len(lost):,} transactions are in neither train nor test")
        expected_test = round(len(df) * TEST_SIZE)
        c.expect(abs(len(test) - expected_test) <= 1, f"test has {len(test):,} of {len(df):,} rows, expected "
                 f"{expected_test:,} ({TEST_SIZE:.0%})", f"test_size={TEST_SIZE}.")
        expected_frauds = round(df[LABEL].sum() * TEST_SIZE)
        splits = {0: test, **{seed: _pair(c, c.call(split_holdout, df.copy(), seed), "split_holdout")[1]
                              for seed in range(1, 5)}}
        frauds = {seed: int(part[LABEL].sum()) for seed, part in splits.items()}
        seed, worst = max(frauds.items(), key=lambda item: abs(item[1] - expected_frauds))
        c.expect(abs(worst - expected_frauds) <= 1,
                 f"with seed={seed} the test set holds {worst} frauds ({worst / len(splits[seed]):.2%}) although the "
                 f"data has {df[LABEL].mean():.2%}; a stratified split holds {expected_frauds}",
                 "Stratify on the label: train_test_split(df, test_size=0.25, stratify=df['is_fraud'], random_state=seed).")
        again = _pair(c, c.call(split_holdout, df.copy(), 0), "split_holdout")[1]
        c.expect(set(again["transaction_id"]) == ids_test, "the same seed gave a different split",
                 "Pass random_state=seed so that a rerun gives the same split.")
        c.expect(set(splits[1]["transaction_id"]) != ids_test, "seed=0 and seed=1 gave the same split",
                 "Pass random_state=seed (do not hard-code it).")
        c.note(f"frauds in the test set for seeds 0-4: {list(frauds.values())} (expected {expected_frauds} each).")


# ----------------------------------------------------------------------------- Step 2 · Models


def _recorder_class():
    """A classifier that only records the rows it is fitted on (built lazily: scikit-learn is heavy)."""
    from sklearn.base import BaseEstimator, ClassifierMixin

    class _Recorder(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.classes_ = np.unique(y)
            self.y_seen_ = np.asarray(y)
            self.X_seen_ = np.asarray(X, dtype=float)
            return self

        def predict_proba(self, X):
            return np.tile([0.5, 0.5], (len(X), 1))

    return _Recorder


def _final_step(model: object) -> object:
    steps = getattr(model, "steps", None)
    return steps[-1][1] if steps else model


def _sampler_names(model: object) -> list[str]:
    return [type(step).__name__ for _, step in getattr(model, "steps", []) if hasattr(step, "fit_resample")]


def _what_the_classifier_saw(c: Check, model: object, X: pd.DataFrame, y: np.ndarray, method: str):
    """Refit a copy of ``model`` whose last step records its input; return (labels, rows) it received."""
    from sklearn.base import clone

    copy = clone(model)
    recorder = _recorder_class()()
    if getattr(copy, "steps", None):
        copy.set_params(**{copy.steps[-1][0]: recorder})
        _fit(c, copy, X, y, f"make_model({method!r}, 0)")
    else:
        recorder.fit(X, y)
    return recorder.y_seen_, recorder.X_seen_


def check_models(make_model: Callable) -> None:
    """``make_model(method, seed)`` returns an unfitted model for each of :data:`METHODS`.

    Each model is fitted on 2,000 generated transactions (40 frauds) and must give one
    probability per row of 1,000 others. A copy whose final step records its input shows what
    the classifier itself was trained on: unchanged data for ``baseline`` and ``class_weight``
    (which sets ``class_weight="balanced"``), as many legitimate rows as frauds for
    ``undersample``, as many frauds (copies) as legitimate rows for ``oversample``, as many
    frauds (new, synthetic rows) for ``smote``, and a few legitimate rows fewer for ``tomek``.
    The same seed must give the same scores.
    """
    with checking(CHECK_NAMES["check_models"]) as c:
        data = fraud_transactions(3_000, fraud_rate=0.02, seed=6)
        fit_rows, other = data.iloc[:2_000], data.iloc[2_000:]
        X, y, X_other = fit_rows[list(FEATURES)], fit_rows[LABEL].to_numpy(), other[list(FEATURES)]
        n_neg, n_pos = int((y == 0).sum()), int((y == 1).sum())
        seen = {}
        for method in METHODS:
            model = c.call(make_model, method, 0)
            c.require(hasattr(model, "fit") and hasattr(model, "predict_proba"),
                  f"make_model({method!r}, 0) returned {kind_of(model)}, not a model with fit and predict_proba",
                  "Return an (unfitted) estimator or an imblearn Pipeline ending in a classifier.")
            samplers = _sampler_names(model)
            wanted = _SAMPLERS.get(method)
            if wanted:
                c.expect(samplers == [wanted], f"make_model({method!r}, 0) contains the samplers {samplers or 'none'}, "
                         f"expected one {wanted}", f"Pipeline([..., ('resample', {wanted}(...)), ..., ('model', ...)]).")
            else:
                c.expect(not samplers, f"make_model({method!r}, 0) contains the samplers {samplers}: {method} "
                         "does not resample", "Only the four resampling methods contain a sampler.")
            weight = getattr(_final_step(model), "class_weight", None)
            if method == "class_weight":
                c.expect(weight is not None, "make_model('class_weight', 0): the classifier has no class_weight",
                         "LogisticRegression(class_weight='balanced') weights each class by n / (2 * n_class).")
            else:
                c.expect(weight is None, f"make_model({method!r}, 0): the classifier has class_weight={weight!r}",
                         "Keep the methods apart: only 'class_weight' weights the classes.")
            _fit(c, model, X, y, f"make_model({method!r}, 0)")
            proba = np.asarray(model.predict_proba(X_other))
            c.expect(proba.shape == (len(X_other), 2),
                     f"make_model({method!r}, 0).predict_proba gave shape {proba.shape} for {len(X_other):,} rows",
                     "Predictions come one per row: a sampler must only act during fit (imblearn's Pipeline skips "
                     "samplers in predict).")
            again = c.call(make_model, method, 0)
            _fit(c, again, X, y, f"make_model({method!r}, 0)")
            c.expect(np.allclose(np.asarray(again.predict_proba(X_other)), proba),
                     f"make_model({method!r}, 0) gave different scores on a second fit",
                     "Pass random_state=seed to every sampler (and to the classifier if it is random).")
            labels, rows = _what_the_classifier_saw(c, model, X, y, method)
            seen[method] = (int((labels == 0).sum()), int((labels == 1).sum()),
                            len(np.unique(rows[labels == 1], axis=0)) if (labels == 1).any() else 0)

        problems = []
        for method in ("baseline", "class_weight"):
            if seen[method][:2] != (n_neg, n_pos):
                problems.append(f"{method} trained on {seen[method][0]:,} legit / {seen[method][1]:,} fraud rows, "
                                f"expected the data as it is ({n_neg:,} / {n_pos:,})")
        neg, pos, _ = seen["undersample"]
        if (neg, pos) != (n_pos, n_pos):
            problems.append(f"undersample trained on {neg:,} legit / {pos:,} fraud rows, expected {n_pos} / {n_pos}")
        for method, how in (("oversample", "copies"), ("smote", "synthetic rows")):
            neg, pos, distinct = seen[method]
            if (neg, pos) != (n_neg, n_neg):
                problems.append(f"{method} trained on {neg:,} legit / {pos:,} fraud rows, expected {n_neg:,} / {n_neg:,}")
            elif method == "oversample" and distinct != n_pos:
                problems.append(f"oversample's {pos:,} fraud rows hold {distinct:,} distinct rows; random "
                                f"oversampling repeats the {n_pos} real frauds ({how})")
            elif method == "smote" and distinct <= n_pos:
                problems.append(f"smote's {pos:,} fraud rows hold only {distinct} distinct rows; SMOTE creates new "
                                f"rows between neighbouring frauds ({how})")
        neg, pos, _ = seen["tomek"]
        if pos != n_pos or not 0 < n_neg - neg < 0.05 * n_neg:
            problems.append(f"tomek trained on {neg:,} legit / {pos:,} fraud rows; Tomek links remove a few legit rows "
                            f"(here between 1 and {int(0.05 * n_neg)}) and keep all {n_pos} frauds")
        c.expect(not problems, "what the classifier was trained on: " + "; ".join(problems),
                 "Put exactly one sampler before the classifier, in an imblearn Pipeline.")
        c.note("the classifier saw (legit, fraud): " + ", ".join(f"{m} {s[0]:,}/{s[1]:,}" for m, s in seen.items()) + ".")


# ----------------------------------------------------------------------------- Step 3 · Evaluate


def _spy_model(log: list):
    """A logistic regression behind a sampler that records what it is asked to resample, and changes nothing."""
    from imblearn import FunctionSampler
    from imblearn.pipeline import Pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    def record(X, y):
        log.append((np.asarray(X).shape, np.asarray(y).copy(), list(getattr(X, "columns", []))))
        return X, y

    return Pipeline([("spy", FunctionSampler(func=record, validate=False)), ("log", FunctionTransformer(np.log1p)),
                     ("scale", StandardScaler()), ("model", LogisticRegression(max_iter=1_000))])


def _result(c: Check, out: object, what: str) -> dict:
    c.require(isinstance(out, dict), f"{what} should return a dict, got {kind_of(out)}",
          "Return {'pr_auc': ..., 'recall_at_precision': ..., 'threshold': ..., 'scores': ...}.")
    missing = [key for key in _RESULT_KEYS if key not in out]
    c.require(not missing, f"{what} returned no {', '.join(missing)}", f"Return a dict with the keys {', '.join(_RESULT_KEYS)}.")
    return out


def _metric_problems(result: dict, y_test: np.ndarray, min_precision: float) -> list[str]:
    """Differences between the reported metrics and a recomputation from the returned scores."""
    from sklearn.metrics import average_precision_score

    scores = np.asarray(result["scores"], dtype=float).ravel()
    if len(scores) != len(y_test):
        return [f"{len(scores):,} scores for a test set of {len(y_test):,} rows"]
    point = operating_point(y_test, scores, min_precision)
    expected = {"pr_auc": average_precision_score(y_test, scores), "recall_at_precision": point.recall,
                "threshold": point.threshold}
    problems = []
    for key, value in expected.items():
        got = float(result[key])
        if not (np.isclose(got, value, rtol=1e-6, atol=1e-9) or (np.isinf(got) and np.isinf(value))):
            problems.append(f"{key} is {got:.4f}, but the scores give {value:.4f}")
    return problems


def check_evaluate(evaluate: Callable) -> None:
    """``evaluate(model, train, test, min_precision)`` fits on train, scores test and reports metrics.

    The check passes a logistic regression behind a *spy* sampler that records what it is
    asked to resample (and changes nothing). It verifies: the spy saw exactly the training rows
    (never a test row), with the feature columns only (not the label or the id); one score per
    test row, in the test set's order, equal to the check's own fit on train; and ``pr_auc``
    (average precision), ``recall_at_precision`` and ``threshold`` (``operating_point``) equal a
    recomputation from the returned scores, for ``min_precision`` 0.5 and 0.3.
    """
    from sklearn.base import clone

    with checking(CHECK_NAMES["check_evaluate"]) as c:
        train, test = _holdout(3_000, fraud_rate=0.02, seed=7)
        y_test = test[LABEL].to_numpy()
        log: list = []
        model = _spy_model(log)
        reference = clone(model).fit(train[list(FEATURES)], train[LABEL]).predict_proba(test[list(FEATURES)])[:, 1]
        log.clear()
        result = _result(c, c.call(evaluate, model, train.copy(), test.copy(), 0.5), "`evaluate`")
        c.require(log, "the model was never fitted", "Call model.fit(train[FEATURES], train['is_fraud']).")
        shapes = [entry[0][0] for entry in log]
        fit_rows, labels, columns = log[-1]
        c.expect(len(log) == 1, f"the model was fitted {len(log)} times (on {shapes} rows); fit it once, on train")
        c.expect(fit_rows[0] == len(train),
                 f"the model's sampler was given {fit_rows[0]:,} rows, but train has {len(train):,}"
                 + (": test rows reached the resampling" if fit_rows[0] > len(train) else ""),
                 "Fit on the training rows only: the test set must stay exactly as production will see it.")
        c.expect(int(labels.sum()) == int(train[LABEL].sum()) or fit_rows[0] != len(train),
                 f"the labels given to fit hold {int(labels.sum())} frauds, train has {int(train[LABEL].sum())}")
        extra = [col for col in columns if col not in FEATURES]
        c.expect(not extra and fit_rows[1] == len(FEATURES),
                 f"the model was fitted on {fit_rows[1]} columns{' including ' + ', '.join(extra) if extra else ''}; "
                 f"expected the {len(FEATURES)} FEATURES",
                 "Use train[list(FEATURES)] as X: the label and the id are not features.")
        scores = np.asarray(result["scores"], dtype=float).ravel()
        c.require(len(scores) == len(test), f"`evaluate` returned {len(scores):,} scores for a test set of {len(test):,} rows",
              "Score every test row once, as it is: model.predict_proba(test[FEATURES])[:, 1].")
        c.expect(np.allclose(scores, reference, atol=1e-6),
                 "the scores differ from the model fitted on train and applied to test (largest difference "
                 f"{np.max(np.abs(scores - reference)):.3g})",
                 "Return the fraud probability (column 1 of predict_proba) of each test row, in the test set's order.")
        problems = _metric_problems(result, y_test, 0.5)
        c.expect(not problems, "reported metrics do not match the scores: " + "; ".join(problems),
                 "pr_auc = average_precision_score(y_test, scores); use operating_point(y_test, scores, min_precision) "
                 "for recall_at_precision and threshold.")
        other = _result(c, c.call(evaluate, _spy_model([]), train.copy(), test.copy(), 0.3), "`evaluate`")
        problems = _metric_problems(other, y_test, 0.3)
        c.expect(not problems, "with min_precision=0.3: " + "; ".join(problems),
                 "Use the min_precision argument; do not hard-code 0.5.")
        c.note(f"PR-AUC {float(result['pr_auc']):.3f}, recall {float(result['recall_at_precision']):.2f} at 50 % "
               f"precision on {len(test):,} test rows ({int(y_test.sum())} frauds).")


# ----------------------------------------------------------------------------- Step 4 · Comparison


def check_comparison(compare_methods: Callable) -> None:
    """``compare_methods(train, test, seed, min_precision)`` returns ``{method: evaluate(...) result}``.

    On a stratified split of 4,000 generated transactions it verifies: every method of
    :data:`METHODS` has a result; each holds one score per test row; each reported PR-AUC,
    recall at the precision and threshold equal a recomputation from its scores; and the
    methods did not all return the same scores (each needs its own model).
    """
    with checking(CHECK_NAMES["check_comparison"]) as c:
        train, test = _holdout(4_000, fraud_rate=0.02, seed=8)
        y_test = test[LABEL].to_numpy()
        out = c.call(compare_methods, train.copy(), test.copy(), 0, 0.5)
        c.require(isinstance(out, dict), f"`compare_methods` should return a dict {{method: result}}, got {kind_of(out)}",
              "results[method] = evaluate(make_model(method, seed), train, test, min_precision).")
        missing = [m for m in METHODS if m not in out]
        c.require(not missing, f"`compare_methods` returned no result for {', '.join(missing)}",
              "Loop over METHODS.")
        wrong = {}
        for method in METHODS:
            result = _result(c, out[method], f"the result for {method!r}")
            problems = _metric_problems(result, y_test, 0.5)
            if problems:
                wrong[method] = problems
        c.expect(not wrong, "reported metrics do not match the scores: "
                 + "; ".join(f"{m}: {', '.join(p)}" for m, p in wrong.items()),
                 "Use evaluate() for every method, so every number is computed the same way from the test scores.")
        scores = [np.asarray(out[m]["scores"], dtype=float).ravel() for m in METHODS]
        c.expect(not all(len(s) == len(scores[0]) and np.allclose(s, scores[0]) for s in scores[1:]),
                 "every method returned the same scores", "Build a new model per method: make_model(method, seed).")
        c.note("PR-AUC: " + ", ".join(f"{m} {float(out[m]['pr_auc']):.3f}" for m in METHODS) + ".")


# ----------------------------------------------------------------------------- Step 5 · The leak


def check_leaky_split(oversample_then_split: Callable) -> None:
    """``oversample_then_split(df, seed)`` oversamples *all* rows to 50/50, then splits 75/25 (the mistake).

    On 2,000 generated transactions (40 frauds) it verifies that the mistake was made as asked:
    together the two parts hold the oversampled data (as many frauds as legitimate rows), the
    test set holds about 50 % fraud, and most test frauds are copies of training frauds (the
    same ``transaction_id``), which is what inflates the score.
    """
    with checking(CHECK_NAMES["check_leaky_split"]) as c:
        df = fraud_transactions(2_000, fraud_rate=0.02, seed=9)
        n_neg = int((df[LABEL] == 0).sum())
        train, test = _pair(c, c.call(oversample_then_split, df.copy(), 0), "oversample_then_split")
        rate = float(test[LABEL].mean())
        c.require(0.4 <= rate <= 0.6,
              f"the test set holds {rate:.1%} fraud; after oversampling every row before the split it should hold about 50 %",
              "This step reproduces the mistake on purpose: RandomOverSampler(random_state=seed).fit_resample(df, "
              "df['is_fraud']) on the whole table first, then split_holdout (or train_test_split) the result.")
        total, frauds = len(train) + len(test), int(train[LABEL].sum() + test[LABEL].sum())
        c.expect(total == 2 * n_neg and frauds == n_neg,
                 f"train and test hold {total:,} rows with {frauds:,} frauds; oversampling {len(df):,} rows to 50/50 "
                 f"gives {2 * n_neg:,} rows with {n_neg:,} frauds", "Oversample once, then split everything it returned.")
        c.expect(abs(len(test) - round(total * TEST_SIZE)) <= 1,
                 f"test has {len(test):,} of {total:,} rows, expected {TEST_SIZE:.0%}", f"test_size={TEST_SIZE}.")
        test_frauds = test.loc[test[LABEL] == 1, "transaction_id"]
        copied = float(test_frauds.isin(train.loc[train[LABEL] == 1, "transaction_id"]).mean())
        c.expect(copied >= 0.5, f"only {copied:.0%} of the test frauds also appear in train",
                 "Oversample with copies (RandomOverSampler) and keep the transaction_id column.")
        c.note(f"{copied:.0%} of the test frauds have a copy in the training set: the model is graded on rows it has seen.")
