"""Tests for workbook.datasets.clinic: deterministic screenings whose knobs plant exactly the leaks they name."""
from __future__ import annotations

import pandas as pd
import pytest

from workbook.datasets.clinic import HOSPITALS, LAB_COLUMNS, SCANNERS, screenings


def test_same_seed_same_table():
    """Two calls with the same arguments return identical tables."""
    pd.testing.assert_frame_equal(screenings(300, seed=4, duplicate_share=0.2), screenings(300, seed=4, duplicate_share=0.2))


def test_seeds_never_share_patients():
    """Different seeds draw different patients with disjoint ids (a clean holdout is truly new)."""
    a, b = screenings(200, seed=1), screenings(200, seed=2)
    assert not set(a["patient_id"]) & set(b["patient_id"])
    assert not a[list(LAB_COLUMNS)].equals(b[list(LAB_COLUMNS)])


def test_clean_defaults():
    """By default: one visit per patient, no duplicated row, hospital unrelated to disease beyond noise."""
    df = screenings(4000, seed=0)
    assert df["patient_id"].is_unique and not df.duplicated().any()
    rates = df.groupby("hospital")["disease"].mean()
    assert set(rates.index) == set(HOSPITALS) and rates.max() - rates.min() < 0.08


def test_duplicate_share_plants_exact_copies():
    """duplicate_share adds that share of rows again, as exact copies."""
    df = screenings(1000, seed=3, duplicate_share=0.25)
    assert len(df) == 1250 and int(df.duplicated().sum()) == 250


def test_referral_bias_makes_the_hospital_a_proxy():
    """With referral bias the referral hospital concentrates the disease, and only it uses scanner XR-9."""
    df = screenings(4000, seed=0, referral_bias=0.8)
    rates = df.groupby("hospital")["disease"].mean()
    assert rates["referral"] > 0.4 > 0.2 > rates.drop("referral").max()
    assert (df["scanner"] == df["hospital"].map(SCANNERS)).all()
    assert set(df.loc[df["scanner"] == "XR-9", "hospital"]) == {"referral"}


def test_visits_share_the_patient_and_the_label():
    """Repeated visits keep the patient's identity columns and diagnosis, and differ in lab values."""
    df = screenings(300, seed=5, visits_per_patient=3)
    assert len(df) == 900 and df.groupby("patient_id").size().eq(3).all()
    per_patient = df.groupby("patient_id")[["age", "bmi", "sex", "disease", "hospital"]].nunique()
    assert per_patient.eq(1).all().all()
    assert df.groupby("patient_id")["lab_05"].nunique(dropna=True).max() > 1


def test_labs_carry_signal_and_gaps():
    """The first lab values shift with disease, later ones do not, and about 10 % of lab values are missing."""
    df = screenings(5000, seed=0)
    shift = df.groupby("disease")[list(LAB_COLUMNS)].mean().diff().iloc[1]
    assert shift["lab_01"] > 0.6 and abs(shift["lab_12"]) < 0.15
    assert 0.08 < df[list(LAB_COLUMNS)].isna().mean().mean() < 0.12


def test_bad_arguments_are_refused():
    """Too few patients or shares outside 0..1 raise a ValueError naming the problem."""
    with pytest.raises(ValueError, match="at least 20"):
        screenings(5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        screenings(100, duplicate_share=1.5)
