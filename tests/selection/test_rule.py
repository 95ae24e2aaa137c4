"""The published selection rule (pure reference implementation)."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import Counter

import pytest

from domain.waves.selection import Joiner, SelectionInput, commitment, digest, lottery_rank, select, split_quota

SEED = "5eed" * 16


def hexid(rnd: random.Random) -> str:
    return rnd.randbytes(32).hex()


def inp(joiners, quotas, **kw) -> SelectionInput:
    fields = {
        "seed": SEED,
        "priority": frozenset(),
        "blacklisted": frozenset(),
        "recipients": frozenset(),
        "kk_recipients": {},
        "max_per_kk": 2,
    } | kw
    return SelectionInput(joiners=tuple(joiners), quotas=quotas, **fields)


def singles(rnd: random.Random, province: str, n: int) -> list[Joiner]:
    return [Joiner(hexid(rnd), province, hexid(rnd)) for _ in range(n)]


def by_rank(seed: str, joiners) -> list[Joiner]:
    return sorted(joiners, key=lambda j: (lottery_rank(seed, j.case_id), j.case_id))


def test_lottery_rank_is_hmac_sha256_of_the_case_id_keyed_by_the_seed():
    assert lottery_rank("k", "m") == hmac.new(b"k", b"m", hashlib.sha256).hexdigest()
    assert commitment("seed") == hashlib.sha256(b"seed").hexdigest()
    assert digest(["b", "a"]) == hashlib.sha256(b"a\nb").hexdigest()
    assert digest([]) == hashlib.sha256(b"").hexdigest()


def test_quotas_are_filled_exactly_per_province_in_lottery_order():
    rnd = random.Random(1)
    joiners = singles(rnd, "31", 50) + singles(rnd, "32", 80)
    verdicts = select(inp(joiners, {"31": 7, "32": 11}))
    chosen = Counter(j.province_code for j in joiners if verdicts[j.case_id].selected)
    assert chosen == {"31": 7, "32": 11}
    for province, quota in (("31", 7), ("32", 11)):
        ranked = by_rank(SEED, [j for j in joiners if j.province_code == province])
        assert [verdicts[j.case_id].reason for j in ranked] == ["SELECTED_LOTTERY"] * quota + ["NOT_SELECTED_QUOTA"] * (
            len(ranked) - quota
        )
    assert all(v.rank == lottery_rank(SEED, c) for c, v in verdicts.items())


def test_the_priority_cohort_is_drawn_first():
    rnd = random.Random(2)
    joiners = singles(rnd, "33", 40)
    few = frozenset(j.case_id for j in joiners[:3])
    verdicts = select(inp(joiners, {"33": 5}, priority=few))
    assert {c for c, v in verdicts.items() if v.reason == "SELECTED_PRIORITY"} == few
    assert sum(v.reason == "SELECTED_LOTTERY" for v in verdicts.values()) == 2
    assert all(verdicts[c].priority for c in few)

    many = frozenset(j.case_id for j in joiners[:10])  # more priority candidates than places: ranked among them
    verdicts = select(inp(joiners, {"33": 4}, priority=many))
    winners = by_rank(SEED, [j for j in joiners if j.case_id in many])[:4]
    assert {c for c, v in verdicts.items() if v.selected} == {j.case_id for j in winners}
    assert all(verdicts[j.case_id].reason == "SELECTED_PRIORITY" for j in winners)


def test_household_limit_counts_earlier_recipients_of_the_kk():
    rnd = random.Random(3)
    fresh, one_before, two_before = hexid(rnd), hexid(rnd), hexid(rnd)
    families = {kk: [Joiner(hexid(rnd), "35", kk) for _ in range(4)] for kk in (fresh, one_before, two_before)}
    joiners = [j for members in families.values() for j in members]
    star = families[fresh][3].case_id  # priority beats rank inside the household too
    verdicts = select(
        inp(joiners, {"35": 100}, priority=frozenset({star}), kk_recipients={one_before: 1, two_before: 2})
    )
    for kk, slots in ((fresh, 2), (one_before, 1), (two_before, 0)):
        members = families[kk]
        order = sorted(members, key=lambda j: (j.case_id != star, lottery_rank(SEED, j.case_id), j.case_id))
        assert [verdicts[j.case_id].selected for j in order] == [True] * slots + [False] * (4 - slots)
        assert all(verdicts[j.case_id].reason == "NOT_SELECTED_HOUSEHOLD" for j in order[slots:])
    assert verdicts[star].reason == "SELECTED_PRIORITY"


def test_blacklist_and_earlier_recipients_are_excluded_before_the_household_count():
    rnd = random.Random(4)
    kk = hexid(rnd)
    joiners = [Joiner(hexid(rnd), "36", kk) for _ in range(4)]
    banned, old = joiners[0].case_id, joiners[1].case_id
    verdicts = select(
        inp(
            joiners,
            {"36": 10},
            blacklisted=frozenset({banned}),
            recipients=frozenset({banned, old}),
            kk_recipients={kk: 1},
        )
    )
    assert verdicts[banned].reason == "NOT_SELECTED_BLACKLISTED"  # the blacklist wins over an earlier receipt
    assert verdicts[old].reason == "NOT_SELECTED_ALREADY_RECIPIENT"
    rest = sorted((j for j in joiners[2:]), key=lambda j: lottery_rank(SEED, j.case_id))
    assert [verdicts[j.case_id].reason for j in rest] == ["SELECTED_LOTTERY", "NOT_SELECTED_HOUSEHOLD"]


def test_unused_quota_is_redistributed_nationally_in_lottery_order():
    rnd = random.Random(5)
    small, big, unlisted = singles(rnd, "11", 3), singles(rnd, "12", 20), singles(rnd, "13", 20)
    verdicts = select(inp(small + big + unlisted, {"11": 10, "12": 2}))
    assert all(verdicts[j.case_id].reason == "SELECTED_LOTTERY" for j in small)
    leftovers = [j for j in big + unlisted if verdicts[j.case_id].reason != "SELECTED_LOTTERY"]
    assert sum(verdicts[j.case_id].reason == "SELECTED_LOTTERY" for j in big) == 2
    expected = by_rank(SEED, leftovers)[:7]  # 10 - 3 unused places
    assert {c for c, v in verdicts.items() if v.reason == "SELECTED_REDISTRIBUTION"} == {j.case_id for j in expected}
    assert {j.province_code for j in expected} == {"12", "13"}  # a province without a quota can benefit
    assert sum(v.selected for v in verdicts.values()) == 12


def test_same_seed_same_result_and_another_seed_another_ranking():
    rnd = random.Random(6)
    joiners = singles(rnd, "51", 60)
    first, again = select(inp(joiners, {"51": 10})), select(inp(joiners, {"51": 10}))
    assert first == again
    other = select(inp(joiners, {"51": 10}, seed="another seed"))
    assert {c for c, v in first.items() if v.selected} != {c for c, v in other.items() if v.selected}
    assert by_rank(SEED, joiners) != by_rank("another seed", joiners)


def test_split_quota_largest_remainder_is_exact():
    weights = {"11": 5.3, "12": 14.8, "31": 10.6, "32": 48.3, "94": 1.4, "99": 0}
    split = split_quota(800_000, weights)
    assert sum(split.values()) == 800_000 and split["99"] == 0
    total = sum(weights.values())
    assert all(abs(split[c] - 800_000 * w / total) < 1 for c, w in weights.items())
    assert split_quota(7, {"a": 1, "b": 2, "c": 4}) == {"a": 1, "b": 2, "c": 4}
    assert split_quota(0, {"a": 1}) == {"a": 0}


def test_split_quota_ties_go_to_the_lowest_province_code():
    assert split_quota(10, {"33": 1, "11": 1, "22": 1}) == {"33": 3, "11": 4, "22": 3}
    assert split_quota(1, {"33": 3, "11": 3}) == {"33": 0, "11": 1}
    assert split_quota(5, {"a": 0.1, "b": 0.2, "c": 0.3, "d": -2}) == {"a": 1, "b": 2, "c": 2, "d": 0}
    assert split_quota(2, {"x": 1, "y": 1, "z": 1}) == {"x": 1, "y": 1, "z": 0}


def test_split_quota_needs_a_positive_weight():
    with pytest.raises(ValueError):
        split_quota(10, {"a": 0, "b": -1})
    with pytest.raises(ValueError):
        split_quota(10, {})
