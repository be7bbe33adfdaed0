"""Synthetic screening records of a small clinic network, with knobs that plant data leaks.

Used by Chapter 04 (data leakage). Nothing here is real data: every patient, visit and lab
value is drawn from a seeded NumPy generator, so the same arguments always give the same table.

Each row is one screening visit: who (``patient_id``, ``age``, ``sex``, ``bmi``, ``postcode``),
where and when (``hospital``, ``scanner``, ``visit_date``), a panel of lab values ``lab_01`` …
(some missing), and the label ``disease`` (0/1), a chronic condition fixed per patient. A few
lab values carry a modest, honest signal; everything else is noise or patient identity.

The knobs each plant one kind of leak, and leave the table clean at their defaults:

* ``duplicate_share``: that share of visits is exported twice (an exact copy of the row);
* ``referral_bias``: sick patients are sent to the specialist ``"referral"`` hospital, whose
  scanner model only it uses, so hospital and scanner become proxies for the label that do not
  hold once the model is deployed at other sites;
* ``visits_per_patient``: patients come back, and a model can memorise a patient from one visit
  and "recognise" them in another.

A *clean holdout* is the same call with a different ``seed`` and the knobs that describe
deployment (no duplicates, no referral bias): new patients, as the model will meet them.

>>> screenings(200, seed=1).shape
(200, 21)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["HOSPITALS", "LAB_COLUMNS", "SCANNERS", "screenings"]

HOSPITALS = ("north", "south", "east", "referral")
"""The hospitals of the network; ``"referral"`` is the specialist centre."""
SCANNERS = {"north": "XR-2", "south": "XR-2", "east": "XR-5", "referral": "XR-9"}
"""The scanner model each hospital uses (the referral centre's is unique to it)."""
N_LABS = 12
LAB_COLUMNS = tuple(f"lab_{j:02d}" for j in range(1, N_LABS + 1))
"""The lab panel; ``lab_01`` to ``lab_04`` carry the signal."""
N_POSTCODES = 2000
START = pd.Timestamp("2022-01-01")
SPAN_DAYS = 3 * 365

_SIGNAL = np.array([0.9, 0.7, 0.6, 0.5] + [0.0] * (N_LABS - 4))


def screenings(n_patients: int, *, seed: int = 0, visits_per_patient: int = 1, duplicate_share: float = 0.0,
               referral_bias: float = 0.0, missing_share: float = 0.1) -> pd.DataFrame:
    """One row per screening visit of ``n_patients`` synthetic patients, with optional planted leaks.

    Args:
        n_patients: distinct patients (at least 20).
        seed: seeds everything; patient ids start at ``seed * 1_000_000 + 1``, so two seeds never
            share a patient.
        visits_per_patient: visits of each patient (the same disease, similar lab values).
        duplicate_share: share of visits exported a second time, as an exact copy (0 to 1).
        referral_bias: 0 (hospital unrelated to disease) to 1 (sick patients are sent to the
            referral hospital four times out of five).
        missing_share: share of lab values that are missing (NaN).

    Returns:
        A DataFrame with ``patient_id``, ``visit_date``, ``hospital``, ``scanner``, ``age``,
        ``sex``, ``bmi``, ``postcode``, the lab columns and ``disease``, rows in random order.

    >>> df = screenings(500, seed=3, duplicate_share=0.2)
    >>> len(df), int(df.duplicated().sum())
    (600, 100)
    """
    if n_patients < 20:
        raise ValueError(f"screenings needs at least 20 patients, got {n_patients}")
    if not 0 <= duplicate_share <= 1 or not 0 <= referral_bias <= 1:
        raise ValueError("duplicate_share and referral_bias must be between 0 and 1")
    rng = np.random.default_rng(seed)
    n, k = n_patients, visits_per_patient

    # Patients: identity, a latent risk and the disease it drives.
    age = rng.integers(30, 86, n)
    sex = rng.choice(np.array(["F", "M"]), n)
    bmi = np.round(rng.normal(27, 4, n), 1)
    postcode_risk = rng.normal(0, 0.4, N_POSTCODES)
    postcode = rng.integers(0, N_POSTCODES, n)
    risk = rng.normal(0, 1, n) + postcode_risk[postcode]
    disease = (rng.random(n) < _sigmoid(-1.4 + 0.6 * risk + 0.03 * (age - 57))).astype("int64")
    persistent = rng.normal(0, 1, (n, N_LABS))  # each patient's own lab baseline, stable across visits

    # Hospital: unrelated to disease, unless sick patients are referred to the specialist centre.
    p_referral = np.where(disease == 1, 0.15 + 0.65 * referral_bias, 0.15)
    referral = rng.random(n) < p_referral
    other = rng.choice(np.array(HOSPITALS[:3]), n)
    hospital = np.where(referral, "referral", other)

    # Visits: the patient's baseline plus visit noise; the disease shifts the signal labs.
    who = np.repeat(np.arange(n), k)
    labs = (persistent[who] + 0.35 * rng.normal(0, 1, (n * k, N_LABS)) + np.outer(disease[who], _SIGNAL))
    labs = np.round(labs, 3)
    labs[rng.random(labs.shape) < missing_share] = np.nan
    days = rng.integers(0, SPAN_DAYS, n * k)
    df = pd.DataFrame({
        "patient_id": (seed * 1_000_000 + 1 + who).astype("int64"),
        "visit_date": START + pd.to_timedelta(days, unit="D"),
        "hospital": hospital[who],
        "scanner": pd.Series(hospital[who]).map(SCANNERS).to_numpy(),
        "age": age[who].astype("int64"),
        "sex": sex[who],
        "bmi": bmi[who],
        "postcode": np.char.add("P", np.char.zfill(postcode[who].astype(str), 4)),
    })
    df[list(LAB_COLUMNS)] = labs
    df["disease"] = disease[who]

    n_copies = int(round(duplicate_share * len(df)))
    if n_copies:
        df = pd.concat([df, df.iloc[rng.choice(len(df), n_copies, replace=False)]], ignore_index=True)
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))
