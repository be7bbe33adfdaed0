"""A synthetic population of app users in five cities, with a friendship network, for the
sampling-bias experiments of chapter 03 (sampling and class imbalance).

Nothing here is real data. The population is built so that each non-probability sampling
scheme has something to get wrong:

* cities differ in size, age mix and in how age relates to the label (in the largest city,
  the head-office city ``Northbay``, *younger* people subscribe more; elsewhere *older* people
  do), so a sample from one city teaches the wrong rule for the others (convenience sampling);
* ``person_id`` follows sign-up order, and early sign-ups are younger and more active, so "the
  first records" of a log are not typical (convenience within quotas);
* friendships stay mostly within small communities, and one user in eight has no friends at
  all and is less active, so following friendships (snowball sampling) over-represents tightly
  connected groups and never reaches isolated users.

    >>> pop = population(2_000, seed=0)
    >>> list(pop.people.columns)
    ['person_id', 'city', 'community', 'age', 'income_k', 'visits', 'n_friends', 'subscribed']
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CITIES", "Population", "population"]

CITIES = ("Northbay", "Eastfield", "Southport", "Westhaven", "Midvale")
"""The five (fictional) cities, largest first; Northbay is the head-office city."""

_CITY_SHARE = np.array([0.40, 0.20, 0.15, 0.15, 0.10])
_CITY_MEAN_AGE = np.array([33.0, 41.0, 45.0, 43.0, 50.0])
_AGE_EFFECT = np.array([-0.9, 0.7, 0.8, 0.6, 0.7])  # log-odds per 10 years of age, by city
_ISOLATED_SHARE = 0.125
_COMMUNITY_SIZE = 40


@dataclass(frozen=True)
class Population:
    """People (one row each) and their friendships (pairs of ``person_id``, each pair once)."""

    people: pd.DataFrame
    friendships: pd.DataFrame

    def friends(self) -> dict[int, list[int]]:
        """``{person_id: sorted list of friends' person_ids}`` for everyone (empty for the isolated)."""
        a, b = self.friendships["a"].to_numpy(), self.friendships["b"].to_numpy()
        person, friend = np.r_[a, b], np.r_[b, a]
        order = np.lexsort((friend, person))
        person, friend = person[order], friend[order]
        ids = self.people["person_id"].to_numpy()
        starts = np.searchsorted(person, ids, side="left")
        ends = np.searchsorted(person, ids, side="right")
        flat = friend.tolist()
        return {int(p): flat[s:e] for p, s, e in zip(ids, starts, ends)}


def population(n_people: int, seed: int = 0) -> Population:
    """Generate ``n_people`` users (at least 500) with a friendship network.

    People columns: ``person_id`` (1…n in sign-up order), ``city``, ``community`` (friend
    group; -1 for isolated users), ``age``, ``income_k`` (thousands per year), ``visits``
    (per month), ``n_friends`` and the label ``subscribed`` (0/1: took the paid plan).

    >>> pop = population(1_000, seed=1)
    >>> sorted(pop.people["subscribed"].unique().tolist()), list(pop.friendships.columns)
    ([0, 1], ['a', 'b'])
    """
    if n_people < 500:
        raise ValueError(f"n_people must be at least 500, got {n_people}")
    rng = np.random.default_rng(seed)
    order = np.arange(n_people) / n_people  # 0 = first sign-up, 1 = last
    city = rng.choice(len(CITIES), size=n_people, p=_CITY_SHARE)
    isolated = rng.random(n_people) < _ISOLATED_SHARE

    age = _CITY_MEAN_AGE[city] - 14.0 * (0.5 - order) + rng.normal(0, 9, n_people) + 6.0 * isolated
    age = np.clip(np.round(age), 18, 85).astype("int64")
    income = np.round(rng.lognormal(np.log(45) + 0.01 * (age - 40), 0.4), 1)
    community = np.full(n_people, -1, dtype="int64")
    pairs = []
    n_groups = 0
    for c in range(len(CITIES)):
        members = rng.permutation(np.flatnonzero((city == c) & ~isolated))
        for group in np.array_split(members, max(1, len(members) // _COMMUNITY_SIZE)):
            community[group] = n_groups
            n_groups += 1
            pairs.append(_random_pairs(rng, group, mean_degree=5.0))
    taste = np.r_[rng.normal(0, 0.8, n_groups), 0.0][community]  # friends are alike; -1 -> 0

    activity = rng.gamma(2.0, 4.0, n_people) * (1.6 - 1.2 * order) * np.where(isolated, 0.5, 1.0)
    visits = rng.poisson(activity * np.exp(0.3 * taste)).astype("int64")
    logit = (-1.6 + _AGE_EFFECT[city] * (age - 40) / 10 + 0.08 * (visits - 8)
             + 0.3 * (np.log(income) - np.log(45)) + taste)
    subscribed = (rng.random(n_people) < 1 / (1 + np.exp(-logit))).astype("int64")
    connected = np.flatnonzero(~isolated)
    n_bridges = max(1, len(connected) // 50)  # a few friendships across communities and cities
    pairs.append(rng.choice(connected, size=(n_bridges, 2)))
    edges = np.concatenate(pairs)
    edges = np.sort(edges[edges[:, 0] != edges[:, 1]], axis=1)
    edges = np.unique(edges, axis=0) + 1  # person_id is the row number + 1
    degree = np.bincount(edges.ravel() - 1, minlength=n_people)

    people = pd.DataFrame({
        "person_id": np.arange(1, n_people + 1, dtype="int64"),
        "city": np.asarray(CITIES)[city],
        "community": community,
        "age": age,
        "income_k": income,
        "visits": visits,
        "n_friends": degree.astype("int64"),
        "subscribed": subscribed,
    })
    return Population(people, pd.DataFrame({"a": edges[:, 0], "b": edges[:, 1]}))


def _random_pairs(rng: np.random.Generator, members: np.ndarray, mean_degree: float) -> np.ndarray:
    """About ``mean_degree * len(members) / 2`` random friendships inside one group."""
    n_edges = max(1, round(mean_degree * len(members) / 2))
    return rng.choice(members, size=(n_edges, 2))
