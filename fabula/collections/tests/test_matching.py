"""The exchange's matching: a perfect assignment, nobody to themselves, the most overlap,
always the same for the same sign-ups."""

from __future__ import annotations

import itertools
import random

import pytest

from fabula.collections.matching import Participant, match, overlap


def _people(spec: dict[int, tuple[str, str]]) -> list[Participant]:
    """Participants from their offers and requests, tags written as digits ("1 2")."""
    return [
        Participant(key, frozenset(map(int, offers.split())), frozenset(map(int, requests.split())))
        for key, (offers, requests) in spec.items()
    ]


def _best_by_brute_force(people: list[Participant]) -> int:
    best = -1
    for order in itertools.permutations(range(len(people))):
        if any(g == r for g, r in enumerate(order)):
            continue
        best = max(best, sum(overlap(people[g], people[r]) for g, r in enumerate(order)))
    return best


def test_two_participants_swap():
    found = match(_people({1: ("7", "8"), 2: ("8", "7")}))
    assert {(m.giver, m.recipient, m.overlap) for m in found} == {(1, 2, 1), (2, 1, 1)}


def test_it_finds_the_best_total_and_never_self():
    rng = random.Random(14)
    tags = range(6)
    for _ in range(40):
        n = rng.randint(2, 7)
        people = [
            Participant(
                i,
                frozenset(rng.sample(tags, rng.randint(1, 3))),
                frozenset(rng.sample(tags, rng.randint(1, 3))),
            )
            for i in range(n)
        ]
        found = match(people)
        assert sorted(m.giver for m in found) == list(range(n))
        assert sorted(m.recipient for m in found) == list(range(n))
        assert all(m.giver != m.recipient for m in found)
        assert sum(m.overlap for m in found) == _best_by_brute_force(people)


def test_the_same_sign_ups_give_the_same_matches():
    people = _people({k: ("1", "1") for k in range(5)})
    assert match(people) == match(list(people))


def test_too_few_or_doubled_participants_are_refused():
    with pytest.raises(ValueError, match="at least two"):
        match(_people({1: ("1", "2")}))
    twice = _people({1: ("1", "2")}) * 2
    with pytest.raises(ValueError, match="once"):
        match(twice)
