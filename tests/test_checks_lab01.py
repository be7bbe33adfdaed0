"""Tests for workbook.checks.lab01: correct steps pass, each planted mistake fails with a teaching
message, placeholders report "not done yet", and no check ever raises."""
from __future__ import annotations

import functools

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score

from workbook.checks import FAIL, PASS, lab01
from workbook.checks.lab01 import (
    ALPHA, CHURN_RATE, FEATURES, LABEL, MAX_DROP, MIN_ACCURACY, MIN_ROWS, RANGES,
)
from lab_contract import LabCheckContract
from workbook.checks.testing import messages, run_check, with_options
from workbook.lifecycle import drift_report

FEATURES = list(FEATURES)

# ----------------------------------------------------------------------------- reference answers


def train_model(batch, seed, *, seeded=True, with_label=False, columns=None):
    columns = columns or (FEATURES + [LABEL] if with_label else FEATURES)
    model = RandomForestClassifier(n_estimators=20, min_samples_leaf=20, random_state=seed if seeded else None)
    return model.fit(batch[columns], batch[LABEL])


def train_linear(batch, seed):
    return LogisticRegression(max_iter=1000).fit(batch[FEATURES], batch[LABEL])


def validate_batch(batch, *, ranges=True, rate=True, rows=True, name_columns=True):
    missing = [c for c in [*FEATURES, LABEL] if c not in batch.columns]
    if missing:
        return [f"missing column {c}" for c in missing]
    reasons = [f"{c} has missing values" if name_columns else "missing values"
               for c in [*FEATURES, LABEL] if batch[c].isna().any()]
    if ranges:
        reasons += [f"{c} out of range" if name_columns else "a value is out of range"
                    for c, (lo, hi) in RANGES.items() if not batch[c].dropna().between(lo, hi).all()]
    if rate and not CHURN_RATE[0] <= batch[LABEL].mean() <= CHURN_RATE[1]:
        reasons.append(f"{LABEL} rate out of range")
    if rows and len(batch) < MIN_ROWS:
        reasons.append("too few rows")
    return reasons


def should_promote(candidate, production, golden, *, floor=True, compare=True, strict=False):
    def score(model):
        return accuracy_score(golden[LABEL], model.predict(golden[FEATURES]))
    s = score(candidate)
    if floor and s < MIN_ACCURACY:
        return False
    if production is None or not compare:
        return True
    return s > score(production) if strict else s >= score(production)


def needs_retraining(model, reference, current, *, inputs=True, quality=True):
    moved = inputs and drift_report(reference, current, FEATURES, alpha=ALPHA)["drifted"].any()

    def score(batch):
        return accuracy_score(batch[LABEL], model.predict(batch[FEATURES]))
    dropped = quality and score(current) < score(reference) - MAX_DROP
    return bool(moved or dropped)


run = functools.partial(run_check, lab01)

CORRECT = {
    "check_train": (train_model,),
    "check_validate": (validate_batch,),
    "check_gate": (should_promote,),
    "check_trigger": (needs_retraining,),
}

# ----------------------------------------------------------------------------- every check


class TestContract(LabCheckContract):
    lab = lab01
    correct = CORRECT

    def test_correct_answers_pass(self, check_function):
        """A correct answer passes, and the check says what it measured."""
        assert self.passing(check_function).detail


# ----------------------------------------------------------------------------- step 1


def test_a_deterministic_model_without_seed_passes():
    """A model with no randomness (logistic regression) is reproducible without a seed."""
    assert run("check_train", train_linear).status == PASS


def test_unseeded_model_is_caught():
    """A forest without random_state gives different probabilities on two runs: the message says so."""
    result = run("check_train", with_options(train_model, seeded=False))
    assert result.status == FAIL
    assert "two runs with seed=0 gave different probabilities" in messages(result)
    assert "random_state=seed" in messages(result, hints=True)


def test_label_among_inputs_is_too_good():
    """Training with the label as an input is caught: the label does not exist at scoring time."""
    result = run("check_train", with_options(train_model, with_label=True))
    assert result.status == FAIL and "the label churned is among the model's inputs" in messages(result)


def test_useless_model_is_caught():
    """A model trained on an uninformative column barely beats the 'nobody churns' baseline."""
    result = run("check_train", with_options(train_model, columns=["discount"]))
    assert result.status == FAIL and "barely beats" in messages(result)


# ----------------------------------------------------------------------------- step 2


def test_missing_range_rules_let_bad_batches_through():
    """Without range checks the cents batch, negative tenure and the 0/2 labels are accepted."""
    result = run("check_validate", with_options(validate_batch, ranges=False))
    text = messages(result)
    assert result.status == FAIL
    assert "monthly_spend in cents" in text and "negative tenure_months" in text and "labels coded 0/2" in text


def test_missing_rate_and_row_rules_are_named():
    """Without the churn-rate and row-count rules, those two planted batches are reported as accepted."""
    text = messages(run("check_validate", with_options(validate_batch, rate=False, rows=False)))
    assert "no churner at all" in text and "only 20 rows" in text


def test_reasons_must_name_the_column():
    """Reasons that do not name the column at fault fail with a hint to name it."""
    result = run("check_validate", with_options(validate_batch, name_columns=False))
    assert result.status == FAIL and "no reason names monthly_spend" in messages(result)


def test_rejecting_good_batches_fails():
    """A validator that rejects everything is told that normal months (and valid drift) were rejected."""
    result = run("check_validate", lambda batch: ["bad"])
    assert result.status == FAIL and "a normal month was rejected" in messages(result)


# ----------------------------------------------------------------------------- step 3


def test_gate_without_comparison_promotes_worse_models():
    """Ignoring the production model lets a worse candidate replace a better one."""
    result = run("check_gate", with_options(should_promote, compare=False))
    assert result.status == FAIL and "a worse candidate" in messages(result) and "promoted" in messages(result)


def test_gate_without_floor_promotes_a_bad_first_model():
    """Without MIN_ACCURACY, a first model trained on shuffled labels is promoted."""
    result = run("check_gate", with_options(should_promote, floor=False))
    assert result.status == FAIL and "below the floor" in messages(result)


def test_strict_comparison_blocks_ties():
    """Using > instead of >= refuses an equally good model, with a hint about ties."""
    result = run("check_gate", with_options(should_promote, strict=True))
    assert result.status == FAIL and "Ties promote" in messages(result, hints=True)


# ----------------------------------------------------------------------------- step 4


def test_inputs_only_trigger_misses_concept_drift():
    """A trigger that only runs KS tests misses concept drift, and the message explains why."""
    result = run("check_trigger", with_options(needs_retraining, quality=False))
    text = messages(result, hints=True)
    assert result.status == FAIL and "concept drift did not trigger" in text
    assert "Inputs alone cannot see concept drift" in text


def test_quality_only_trigger_still_catches_this_data_drift():
    """Here data drift also costs accuracy, so a quality-only trigger passes (it just fires later in practice)."""
    assert run("check_trigger", with_options(needs_retraining, inputs=False)).status == PASS


def test_always_retraining_is_a_false_alarm():
    """A trigger that always fires is told that a month without drift triggered retraining."""
    result = run("check_trigger", lambda model, reference, current: True)
    assert result.status == FAIL and "a month without drift triggered retraining" in messages(result)
