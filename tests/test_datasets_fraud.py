"""Tests for workbook.datasets.fraud: deterministic, exactly as rare as asked, and hard to separate."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from workbook.datasets.fraud import FEATURES, LABEL, fraud_transactions


def test_same_seed_gives_the_same_table():
    """Two calls with the same arguments return identical tables."""
    pd.testing.assert_frame_equal(fraud_transactions(3_000, 0.01, seed=4), fraud_transactions(3_000, 0.01, seed=4))


def test_another_seed_gives_other_rows():
    """A different seed gives different transactions."""
    assert not fraud_transactions(1_000, seed=1).equals(fraud_transactions(1_000, seed=2))


@pytest.mark.parametrize("n_rows, rate, frauds", [(1_000, 0.01, 10), (20_000, 0.001, 20), (999, 0.02, 20), (50, 0.001, 1)])
def test_fraud_count_is_exact(n_rows, rate, frauds):
    """The table holds exactly round(n_rows * fraud_rate) frauds, at least one."""
    df = fraud_transactions(n_rows, fraud_rate=rate, seed=0)
    assert len(df) == n_rows and df[LABEL].sum() == frauds


def test_columns_and_types():
    """An int id 1..n, numeric features without missing values, and a 0/1 int label."""
    df = fraud_transactions(2_000, seed=0)
    assert list(df.columns) == ["transaction_id", *FEATURES, LABEL]
    assert df["transaction_id"].tolist() == list(range(1, 2_001))
    assert all(pd.api.types.is_numeric_dtype(df[col]) for col in FEATURES)
    assert df[list(FEATURES)].notna().all().all() and (df[list(FEATURES)] >= 0).all().all()
    assert df[LABEL].dtype == "int64" and set(df[LABEL].unique()) == {0, 1}
    assert df["hour"].between(0, 23).all() and df["merchant_risk"].between(0, 1).all()


def test_frauds_are_shuffled_among_the_rows():
    """Frauds are spread over the table, not stacked at the end."""
    positions = np.flatnonzero(fraud_transactions(10_000, 0.01, seed=0)[LABEL])
    assert positions.min() < 2_000 and positions.max() > 8_000


def test_frauds_differ_in_the_expected_directions():
    """Frauds are larger, farther from home, on younger accounts and more often card-not-present."""
    df = fraud_transactions(50_000, 0.02, seed=3)
    fraud, legit = df[df[LABEL] == 1], df[df[LABEL] == 0]
    assert fraud["amount"].median() > legit["amount"].median()
    assert fraud["distance_km"].median() > legit["distance_km"].median()
    assert fraud["account_age_days"].median() < legit["account_age_days"].median()
    assert fraud["card_present"].mean() < legit["card_present"].mean()


def test_classes_overlap():
    """A logistic regression separates the classes well but far from perfectly (ROC-AUC 0.8-0.97)."""
    df = fraud_transactions(40_000, 0.01, seed=0)
    train, test = train_test_split(df, test_size=0.25, stratify=df[LABEL], random_state=0)
    model = make_pipeline(FunctionTransformer(np.log1p), StandardScaler(), LogisticRegression(max_iter=1_000))
    model.fit(train[list(FEATURES)], train[LABEL])
    auc = roc_auc_score(test[LABEL], model.predict_proba(test[list(FEATURES)])[:, 1])
    assert 0.8 < auc < 0.97


@pytest.mark.parametrize("kwargs, match", [({"n_rows": 5}, "at least 10"), ({"n_rows": 100, "fraud_rate": 0.0}, "between"),
                                           ({"n_rows": 100, "fraud_rate": 0.6}, "between")])
def test_bad_arguments_are_refused(kwargs, match):
    """Too few rows or an impossible fraud rate raise a ValueError that names the limit."""
    with pytest.raises(ValueError, match=match):
        fraud_transactions(**kwargs)
