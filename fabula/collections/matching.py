"""The gift exchange's matching: who writes for whom. A plain function of plain values.

Each participant offers some tags (what they would write) and requests some (what they would
like). Giving from `g` to `r` scores the number of tags `g` offers that `r` requested. We want
every participant to write exactly one gift and receive exactly one, nobody writing for
themselves, and the total score as high as it can be. That is the assignment problem (a
maximum-weight perfect matching of givers to recipients) with the diagonal forbidden, solved
exactly by the Hungarian algorithm (Kuhn–Munkres with potentials) in O(n³): a few hundred
sign-ups match in well under a second.

Ties are broken by the order of the participants (their sign-up order): the algorithm scans in
that order, so the same sign-ups always give the same assignments. A pair with nothing in
common may still be matched when nothing better exists (its score says so, and the maintainers'
page shows it); fewer than two participants cannot be matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

FORBIDDEN = 10**9  # the cost of writing for oneself: never chosen while another way exists


@dataclass(frozen=True)
class Participant:
    key: int  # who: a member id
    offers: frozenset[int]  # tag ids
    requests: frozenset[int]


@dataclass(frozen=True)
class Match:
    giver: int
    recipient: int
    overlap: int


def overlap(giver: Participant, recipient: Participant) -> int:
    return len(giver.offers & recipient.requests)


def match(participants: Sequence[Participant]) -> list[Match]:
    """One gift for each participant, from another, maximising the summed overlap."""
    n = len(participants)
    if n < 2:
        raise ValueError("An exchange needs at least two participants to match.")
    if len({p.key for p in participants}) != n:
        raise ValueError("Each participant signs up once.")
    scores = [[overlap(g, r) for r in participants] for g in participants]
    cost = [[FORBIDDEN if g == r else -scores[g][r] for r in range(n)] for g in range(n)]
    recipient_of = _hungarian(cost)
    return [
        Match(participants[g].key, participants[r].key, scores[g][r])
        for g, r in enumerate(recipient_of)
    ]


def _hungarian(cost: Sequence[Sequence[int]]) -> list[int]:
    """The column each row takes in a minimum-cost perfect assignment of a square matrix.

    The shortest-augmenting-path form with row and column potentials (`u`, `v`); index 0 is a
    sentinel, rows and columns are 1-based inside."""
    n = len(cost)
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    row_of = [0] * (n + 1)  # row_of[col]: the row holding the column, 0 for none
    way = [0] * (n + 1)
    for row in range(1, n + 1):
        row_of[0] = row
        col0 = 0
        least = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[col0] = True
            r0 = row_of[col0]
            delta = inf
            col1 = 0
            for col in range(1, n + 1):
                if used[col]:
                    continue
                reduced = cost[r0 - 1][col - 1] - u[r0] - v[col]
                if reduced < least[col]:
                    least[col] = reduced
                    way[col] = col0
                if least[col] < delta:
                    delta = least[col]
                    col1 = col
            for col in range(n + 1):
                if used[col]:
                    u[row_of[col]] += delta
                    v[col] -= delta
                else:
                    least[col] -= delta
            col0 = col1
            if row_of[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            row_of[col0] = row_of[col1]
            col0 = col1
    taken = [0] * n
    for col in range(1, n + 1):
        taken[row_of[col] - 1] = col - 1
    return taken
