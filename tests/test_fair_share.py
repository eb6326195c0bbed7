"""The cluster's fair-share arithmetic, as a table: how many partitions a worker holds, and
which it lets go of when others join or leave."""

from __future__ import annotations

from collections import Counter

import pytest

from prospector.cluster.keys import PARTITIONS
from prospector.cluster.membership import fair_share, to_drain


@pytest.mark.parametrize(("alive", "share"), [(0, 64), (1, 64), (2, 32), (3, 22), (5, 13), (64, 1), (100, 1)])
def test_the_share_of_each_worker(alive: int, share: int) -> None:
    assert PARTITIONS == 64
    assert fair_share(alive) == share


HOLDING = Counter({1: 5, 2: 0, 3: 2, 4: 1, 5: 0})

CASES = [
    # (owned, draining, share, to drain), with HOLDING in flight
    ({1, 2, 3, 4}, set(), 4, set()),  # its share exactly: nothing
    ({1, 2, 3, 4}, set(), 2, {2, 4}),  # two joined: the two with least in flight
    ({1, 2, 3, 4}, {2}, 2, {2, 4}),  # one already draining counts
    ({1, 2, 3, 4}, {2, 4}, 2, {2, 4}),  # enough draining: unchanged
    ({1, 2, 3, 4}, {2, 3, 4}, 3, {2}),  # one left again: keep draining only the lowest numbered
    ({1, 2, 3, 4}, {2, 3}, 4, set()),  # back to its whole share: nothing drains
    ({1, 2}, set(), 3, set()),  # below its share: it claims, never drains
    ({1, 3, 5}, set(), 1, {5, 3}),  # 5 holds nothing, 3 holds less than 1
]


@pytest.mark.parametrize(("owned", "draining", "share", "drained"), CASES)
def test_which_partitions_drain(owned: set[int], draining: set[int], share: int, drained: set[int]) -> None:
    assert to_drain(owned, set(draining), HOLDING, share) == drained
