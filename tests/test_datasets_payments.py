"""Tests for workbook.datasets.payments: the lab's planted leaks are there, and counted honestly."""
from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from workbook.datasets.payments import FEATURES, LABEL, leak_hunt, payments


def test_same_seed_same_data():
    """Two calls with the same arguments return identical extracts and holdouts."""
    a, b = leak_hunt(500, seed=2), leak_hunt(500, seed=2)
    pd.testing.assert_frame_equal(a.dev, b.dev)
    pd.testing.assert_frame_equal(a.holdout, b.holdout)


def test_duplicates_are_exact_and_counted():
    """dev holds every payment once plus n_duplicates exact copies of retried payments."""
    hunt = leak_hunt(1000, seed=0, duplicate_share=0.4)
    assert hunt.n_duplicates == 400 and len(hunt.dev) == 1400
    assert int(hunt.dev.duplicated().sum()) == 400
    assert hunt.dev["payment_id"].nunique() == 1000
    assert not hunt.holdout.duplicated().any()


def test_chargeback_is_known_only_in_development():
    """chargeback marks most frauds in dev and is 0 everywhere in the holdout."""
    hunt = leak_hunt(4000, seed=1)
    dev = hunt.dev.drop_duplicates()
    assert roc_auc_score(dev[LABEL], dev["chargeback"]) > 0.8
    assert hunt.holdout["chargeback"].eq(0).all()


def test_holdout_is_the_next_month():
    """The holdout's payments are new ids, all later than the extract's."""
    hunt = leak_hunt(800, seed=3, n_holdout=1200)
    assert len(hunt.holdout) == 1200
    assert hunt.holdout["ts"].min() > hunt.dev["ts"].max()
    assert not set(hunt.holdout["payment_id"]) & set(hunt.dev["payment_id"])


def test_honest_features_carry_signal():
    """Fraud is more frequent at night, on new accounts and abroad, in every seed."""
    df = payments(20_000, seed=4)
    assert set(FEATURES) < set(df.columns)
    rate = df[LABEL].mean()
    assert df.loc[df["hour"] < 6, LABEL].mean() > 1.5 * rate
    assert df.loc[df["account_age_days"] < 60, LABEL].mean() > 1.5 * rate
    assert df.loc[df["foreign"] == 1, LABEL].mean() > 1.5 * rate


def test_merchants_are_the_same_world_across_seeds():
    """A merchant's riskiness does not depend on the seed: rates per merchant correlate across seeds."""
    a, b = payments(60_000, seed=1), payments(60_000, seed=2)
    rates = pd.concat([a.groupby("merchant")[LABEL].mean(), b.groupby("merchant")[LABEL].mean()], axis=1).dropna()
    assert rates.corr().iloc[0, 1] > 0.3


def test_too_few_payments_is_refused():
    """Fewer than 100 payments raise a ValueError naming the limit."""
    with pytest.raises(ValueError, match="at least 100"):
        payments(10)
