"""Tests for workbook.checks.lab04: correct fixes pass, each planted leak fails with a teaching
message and numbers, placeholders report "not done yet", and no check ever raises."""
from __future__ import annotations

import functools
import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

from workbook.checks import FAIL, NOT_DONE, PASS
from workbook.checks import lab04
from lab_contract import LabCheckContract
from workbook.checks.testing import messages, placeholder, run_check, with_options
from workbook.checks.lab04 import FEATURES

HONEST = list(FEATURES)

# ----------------------------------------------------------------------------- reference answers


def split_dev(dev, seed, *, dedupe=True, fixed_seed=None, keep="first", test_size=0.25):
    unique = dev.drop_duplicates(keep=keep) if dedupe else dev
    return train_test_split(unique, test_size=test_size, stratify=unique["is_fraud"],
                            random_state=seed if fixed_seed is None else fixed_seed)


def fit_predict(train, rows, features, *, encode_on_all_rows=False, proba_2d=False, linear=False):
    features = list(features)
    if encode_on_all_rows:  # the team's mistake, moved inside the function
        everything = pd.concat([train, rows])
        rates = everything.groupby("merchant")["is_fraud"].mean()
        train = train.assign(merchant=train["merchant"].map(rates))
        rows = rows.assign(merchant=rows["merchant"].map(rates))
        encoder = ("passthrough", ["merchant"])
    else:
        encoder = (TargetEncoder(cv=StratifiedKFold(5, shuffle=True, random_state=0)), ["merchant"])
    encode = make_column_transformer((OneHotEncoder(handle_unknown="ignore", sparse_output=False), ["device"]),
                                     encoder, remainder="passthrough")
    model = (make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)) if linear
             else HistGradientBoostingClassifier(max_iter=60, early_stopping=False, random_state=0))
    pipeline = make_pipeline(encode, model).fit(train[features], train["is_fraud"])
    scores = pipeline.predict_proba(rows[features])
    return scores if proba_2d else scores[:, 1]


# ----------------------------------------------------------------------------- helpers


run = functools.partial(run_check, lab04)


CORRECT = {
    "check_split": (split_dev,),
    "check_features": (HONEST,),
    "check_fit_predict": (fit_predict,),
    "check_leaks_gone": (split_dev, HONEST, fit_predict),
}
PLACEHOLDERS = {
    "check_split": (placeholder,),
    "check_features": (...,),
    "check_fit_predict": (placeholder,),
    "check_leaks_gone": (placeholder, ..., placeholder),
}

# ----------------------------------------------------------------------------- every check


class TestContract(LabCheckContract):
    lab = lab04
    correct = CORRECT

    def test_correct_answers_pass(self, check_function):
        """A leak-free implementation passes, and the check reports the agreeing AUCs."""
        detail = self.passing(check_function).detail
        assert "clean holdout" in detail and "tolerance" in detail


def test_final_check_waits_for_the_functions_too():
    """With FEATURES written but the functions still placeholders, the final check is "not done yet"."""
    result = run("check_leaks_gone", placeholder, HONEST, placeholder)
    assert result.status == NOT_DONE and "returns nothing yet" in result.detail


# ----------------------------------------------------------------------------- other honest answers


def test_other_leak_free_choices_pass():
    """Another split size, a fixed seed per call and a linear model are all leak-free, so they pass."""
    assert run("check_split", with_options(split_dev, test_size=0.3)).status == PASS
    assert run("check_fit_predict", with_options(fit_predict, linear=True)).status == PASS


# ----------------------------------------------------------------------------- planted mistakes


def test_split_without_deduplication_fails_with_numbers():
    """Splitting the raw extract leaves copies across the split; the check counts them and shows the gap."""
    result = run("check_split", with_options(split_dev, dedupe=False))
    assert result.status == FAIL
    text = messages(result)
    assert "also appear in train: retried payments straddle the split" in text
    assert "validation is too optimistic by" in text


def test_dropping_every_copy_loses_payments():
    """drop_duplicates(keep=False) removes retried payments altogether, and the check says how many."""
    result = run("check_split", with_options(split_dev, keep=False))
    assert "are in neither train nor valid" in messages(result)


def test_ignoring_the_seed_fails():
    """A split with a hard-coded random_state gives the same split for different seeds."""
    result = run("check_split", with_options(split_dev, fixed_seed=42))
    assert "seed=0 and seed=1 gave the same split" in messages(result)


def test_chargeback_as_a_feature_fails():
    """Keeping chargeback is reported as a column from after the payment, with its AUC alone."""
    result = run("check_features", HONEST + ["chargeback"])
    assert result.status == FAIL
    text = messages(result)
    assert "chargeback is only known weeks after the payment" in text and "alone it scores AUC" in text
    assert "clean holdout" in result.detail


def test_identifiers_and_timestamps_are_not_features():
    """payment_id and ts are rejected with the reason for each."""
    text = messages(run("check_features", HONEST + ["payment_id", "ts"]))
    assert "payment_id is an identifier" in text and "ts is a raw timestamp" in text


def test_dropping_honest_columns_fails():
    """Leaving out a column known at scoring time is reported by name."""
    result = run("check_features", [f for f in HONEST if f != "merchant"])
    assert "honest signal dropped: merchant is known when a payment is scored" in messages(result)


def test_the_teams_encoded_column_is_explained():
    """Listing merchant_fraud_rate points at leak 3 and at step 3."""
    result = run("check_features", HONEST + ["merchant_fraud_rate"])
    assert "merchant_fraud_rate is the team's all-rows encoding, leak 3" in messages(result)


def test_encoding_with_the_scored_rows_fails_the_label_probe():
    """Encoding merchants with the labels of the rows being scored is caught by flipping those labels."""
    result = run("check_fit_predict", with_options(fit_predict, encode_on_all_rows=True))
    assert result.status == FAIL
    text = messages(result)
    assert "when we flipped their labels: their labels reach the model" in text
    assert "too optimistic" in text


def test_two_column_probabilities_are_explained():
    """Returning predict_proba's two columns is reported with the fix."""
    result = run("check_fit_predict", with_options(fit_predict, proba_2d=True))
    assert "returned two columns per row" in messages(result)


@pytest.mark.parametrize("pieces, remaining", [
    ((with_options(split_dev, dedupe=False), HONEST, fit_predict), "retried payments straddle the split (step 1)"),
    ((split_dev, HONEST + ["chargeback"], fit_predict), "chargeback is among the features"),
    ((split_dev, HONEST, with_options(fit_predict, encode_on_all_rows=True)), "labels of the scored rows reach the model"),
], ids=["duplicates", "chargeback", "encoding"])
def test_final_check_names_each_remaining_leak(pieces, remaining):
    """With one leak left, the final check fails and names exactly that leak."""
    result = run("check_leaks_gone", *pieces)
    assert result.status == FAIL
    leaks = [f.message for f in result.failures if f.message.startswith("leak remaining")]
    assert len(leaks) == 1 and remaining in leaks[0]


def test_final_check_with_every_leak_lists_all_three():
    """The team's three mistakes together are all listed, and validation is far above the holdout."""
    result = run("check_leaks_gone", with_options(split_dev, dedupe=False), HONEST + ["chargeback"],
                 with_options(fit_predict, encode_on_all_rows=True))
    leaks = [f.message for f in result.failures if f.message.startswith("leak remaining")]
    assert len(leaks) == 3
    gap = next(f.message for f in result.failures if "validation AUC" in f.message)
    assert "too optimistic" in gap


def test_check_data_is_not_modified_by_the_learner():
    """A learner function that changes its input in place cannot spoil the next check's data."""
    def vandal(dev, seed):
        dev.drop(columns="chargeback", inplace=True)
        dev["is_fraud"] = 0
        return split_dev(dev.assign(chargeback=0, is_fraud=np.random.default_rng(0).integers(0, 2, len(dev))), seed)
    run("check_split", vandal)
    assert run("check_split", split_dev).status == PASS
