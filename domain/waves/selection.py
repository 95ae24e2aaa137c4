"""Wave selection: the published, auditable rule (reference implementation; the database runs the same rule in SQL).

Before a wave opens, the programme draws a secret seed and publishes its commitment, the SHA-256 of the seed.
After the wave closes the joiner list is frozen, selection runs once, and the seed is revealed with the result,
so anyone can recompute the result from the joiner list and check it against the published digest.

1. Every joiner gets a lottery rank: the lowercase hex HMAC-SHA256 of their case ID keyed with the seed.
   Ordering is always (priority cohort first, then rank ascending, then case ID ascending).
2. A blacklisted joiner is not selected (NOT_SELECTED_BLACKLISTED); otherwise a joiner who already received the
   benefit in an earlier wave is not selected (NOT_SELECTED_ALREADY_RECIPIENT).
3. Household limit: a family card (KK) has ``max_per_kk`` places minus its earlier recipients (never below zero).
   The KK's remaining joiners, in the order above, take those places; the rest are NOT_SELECTED_HOUSEHOLD.
4. Provincial round: in each province the remaining candidates, in the order above, fill the province's quota
   (a province without a quota has quota 0). They are SELECTED_PRIORITY when in the priority cohort,
   otherwise SELECTED_LOTTERY.
5. Redistribution: the quota left unused by under-subscribed provinces forms a national pool, filled by the
   still-unselected candidates of all provinces in the order above (SELECTED_REDISTRIBUTION).
6. Everyone else is NOT_SELECTED_QUOTA.

The digest of a result is the SHA-256 hex of the sorted selected case IDs joined with newlines.
Provincial quotas are split from the national quota by the largest-remainder method (``split_quota``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

SELECTED_PRIORITY = "SELECTED_PRIORITY"
SELECTED_LOTTERY = "SELECTED_LOTTERY"
SELECTED_REDISTRIBUTION = "SELECTED_REDISTRIBUTION"
NOT_SELECTED_BLACKLISTED = "NOT_SELECTED_BLACKLISTED"
NOT_SELECTED_ALREADY_RECIPIENT = "NOT_SELECTED_ALREADY_RECIPIENT"
NOT_SELECTED_HOUSEHOLD = "NOT_SELECTED_HOUSEHOLD"
NOT_SELECTED_QUOTA = "NOT_SELECTED_QUOTA"
REASONS = (
    SELECTED_PRIORITY,
    SELECTED_LOTTERY,
    SELECTED_REDISTRIBUTION,
    NOT_SELECTED_BLACKLISTED,
    NOT_SELECTED_ALREADY_RECIPIENT,
    NOT_SELECTED_HOUSEHOLD,
    NOT_SELECTED_QUOTA,
)
MAX_PER_KK = 2


@dataclass(frozen=True)
class Joiner:
    case_id: str
    province_code: str
    kk_index: str


@dataclass(frozen=True)
class SelectionInput:
    seed: str
    joiners: tuple[Joiner, ...]
    quotas: dict[str, int]
    priority: frozenset[str]
    blacklisted: frozenset[str]
    recipients: frozenset[str]
    kk_recipients: dict[str, int]
    max_per_kk: int = MAX_PER_KK


@dataclass(frozen=True)
class Verdict:
    case_id: str
    selected: bool
    reason: str
    priority: bool
    rank: str


@dataclass(frozen=True)
class SelectionSummary:
    wave_id: str
    selected: int
    per_province: dict[str, tuple[int, int, int]]  # province -> (joined, quota, selected)
    digest: str
    seconds: float


def lottery_rank(seed: str, case_id: str) -> str:
    return hmac.new(seed.encode("utf-8"), case_id.encode("utf-8"), hashlib.sha256).hexdigest()


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def digest(selected_ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(selected_ids)).encode("utf-8")).hexdigest()


def select(inp: SelectionInput) -> dict[str, Verdict]:
    """Apply the rule above; one verdict per joiner, keyed by case ID."""
    ranks = {j.case_id: lottery_rank(inp.seed, j.case_id) for j in inp.joiners}

    def order(j: Joiner) -> tuple[bool, str, str]:
        return (j.case_id not in inp.priority, ranks[j.case_id], j.case_id)

    reasons: dict[str, str] = {}
    by_kk: dict[str, list[Joiner]] = defaultdict(list)
    for j in inp.joiners:
        if j.case_id in inp.blacklisted:
            reasons[j.case_id] = NOT_SELECTED_BLACKLISTED
        elif j.case_id in inp.recipients:
            reasons[j.case_id] = NOT_SELECTED_ALREADY_RECIPIENT
        else:
            by_kk[j.kk_index].append(j)

    by_province: dict[str, list[Joiner]] = defaultdict(list)
    for kk, members in by_kk.items():
        slots = max(0, inp.max_per_kk - inp.kk_recipients.get(kk, 0))
        for n, j in enumerate(sorted(members, key=order), start=1):
            if n > slots:
                reasons[j.case_id] = NOT_SELECTED_HOUSEHOLD
            else:
                by_province[j.province_code].append(j)

    unselected: list[Joiner] = []
    pool = 0
    for province, quota in inp.quotas.items():
        pool += max(0, quota - len(by_province.get(province, ())))
    for province, members in by_province.items():
        quota = inp.quotas.get(province, 0)
        for n, j in enumerate(sorted(members, key=order), start=1):
            if n <= quota:
                reasons[j.case_id] = SELECTED_PRIORITY if j.case_id in inp.priority else SELECTED_LOTTERY
            else:
                unselected.append(j)

    for n, j in enumerate(sorted(unselected, key=order), start=1):
        reasons[j.case_id] = SELECTED_REDISTRIBUTION if n <= pool else NOT_SELECTED_QUOTA

    return {
        j.case_id: Verdict(
            case_id=j.case_id,
            selected=reasons[j.case_id].startswith("SELECTED"),
            reason=reasons[j.case_id],
            priority=j.case_id in inp.priority,
            rank=ranks[j.case_id],
        )
        for j in inp.joiners
    }


def split_quota(national: int, weights: dict[str, float | int]) -> dict[str, int]:
    """Largest-remainder split of ``national`` places by weight; sums exactly to ``national``.

    Each province gets floor(national * w / W); the units left go one each to the largest fractional
    remainders, ties broken by province code ascending. Zero or negative weights get 0.
    """
    if national < 0:
        raise ValueError("national quota must not be negative")
    positive = {code: Fraction(w) for code, w in weights.items() if w > 0}  # exact: no float ties
    total = sum(positive.values(), Fraction(0))
    if total <= 0:
        raise ValueError("at least one province needs a positive weight")
    shares = {code: national * w / total for code, w in positive.items()}
    result = {code: 0 for code in weights}
    result.update({code: int(share) for code, share in shares.items()})
    left = national - sum(result.values())
    by_remainder = sorted(positive, key=lambda code: (-(shares[code] - int(shares[code])), code))
    for code in by_remainder[:left]:
        result[code] += 1
    return result
