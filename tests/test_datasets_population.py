"""Tests for workbook.datasets.population: deterministic, and biased in the ways chapter 03 measures."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbook.datasets.population import CITIES, population


@pytest.fixture(scope="module")
def pop():
    """A population of 20,000 users, seed 0."""
    return population(20_000, seed=0)


def test_same_seed_gives_the_same_population():
    """Two calls with the same seed return identical people and friendships."""
    a, b = population(2_000, seed=3), population(2_000, seed=3)
    pd.testing.assert_frame_equal(a.people, b.people)
    pd.testing.assert_frame_equal(a.friendships, b.friendships)


def test_another_seed_gives_other_people():
    """A different seed gives a different population."""
    assert not population(1_000, seed=1).people.equals(population(1_000, seed=2).people)


def test_columns_ids_and_labels(pop):
    """person_id is 1..n in order, cities are the five known ones, the label is 0/1."""
    people = pop.people
    assert list(people.columns) == ["person_id", "city", "community", "age", "income_k", "visits", "n_friends",
                                    "subscribed"]
    assert people["person_id"].tolist() == list(range(1, len(people) + 1))
    assert set(people["city"]) == set(CITIES)
    assert set(people["subscribed"].unique()) == {0, 1}
    assert people["age"].between(18, 85).all()


def test_friendships_are_simple_pairs_counted_in_n_friends(pop):
    """Each friendship is stored once as a < b, without self-loops, and n_friends is each person's degree."""
    f = pop.friendships
    assert (f["a"] < f["b"]).all() and not f.duplicated().any()
    degree = np.bincount(np.r_[f["a"], f["b"]], minlength=len(pop.people) + 1)[1:]
    assert (degree == pop.people["n_friends"].to_numpy()).all()


def test_friends_lookup_is_symmetric(pop):
    """friends() lists every friendship in both directions, and nothing else."""
    friends = pop.friends()
    assert len(friends) == len(pop.people)
    assert sum(len(v) for v in friends.values()) == 2 * len(pop.friendships)
    a, b = pop.friendships.iloc[0]
    assert b in friends[a] and a in friends[b]


def test_isolated_users_exist_and_are_less_active(pop):
    """About one user in eight belongs to no community and has no friends; they visit and subscribe less."""
    people = pop.people
    isolated = people["community"] == -1
    assert 0.10 < isolated.mean() < 0.15 and 0.10 < (people["n_friends"] == 0).mean() < 0.16
    assert (people.loc[isolated, "n_friends"] == 0).all()
    assert people.loc[isolated, "visits"].mean() < people.loc[~isolated, "visits"].mean()
    assert people.loc[isolated, "subscribed"].mean() < people.loc[~isolated, "subscribed"].mean()


def test_age_effect_is_reversed_in_northbay(pop):
    """In Northbay younger people subscribe more; in every other city older people do."""
    people = pop.people
    for city in CITIES:
        group = people[people["city"] == city]
        older = group.loc[group["age"] > 40, "subscribed"].mean() - group.loc[group["age"] <= 40, "subscribed"].mean()
        assert (older < 0) if city == "Northbay" else (older > 0), city


def test_early_sign_ups_are_younger_and_more_active(pop):
    """The first tenth of person_ids is younger and visits more than the last tenth."""
    people = pop.people
    first, last = people.head(len(people) // 10), people.tail(len(people) // 10)
    assert first["age"].mean() < last["age"].mean() - 5
    assert first["visits"].mean() > last["visits"].mean()


def test_too_small_a_population_is_refused():
    """Fewer than 500 people raise a ValueError that names the limit."""
    with pytest.raises(ValueError, match="at least 500"):
        population(100)
