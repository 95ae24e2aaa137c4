"""What-if for policy makers: a decided wave's lottery run again under other parameters, beside the real result.

The what-if takes the wave's frozen joiners, its revealed seed and the records as of the real decision (blacklist,
earlier recipients), exactly as ``verifyWaveSelection`` does, and changes only what a policy maker may vary:

- provincial quotas (a province not named keeps the wave's quota; the national pool still takes what an
  under-subscribed province leaves),
- which of the wave's priority cohorts count (none, some, or all as in the wave),
- the household limit (places per family card, KK; the scheme's by default).

The same parameters give back exactly the real selection (every joiner in both, the same digest). Nothing real is
touched: the verdicts are compared with the real ones and only their counts per province are kept, by (real
reason, what-if reason), from which everything shown is derived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from domain.regions import province_name
from domain.waves.selection import REASONS

MAX_QUOTA = 10_000_000
MAX_HOUSEHOLD_LIMIT = 10
MAX_COHORTS = 20
MAX_KEY_LENGTH = 100


class WhatIfStatus(StrEnum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class WhatIfParams:
    quotas: dict[str, int] = field(default_factory=dict)
    """Provincial quotas that differ from the wave's; the other provinces keep theirs."""
    priority_cohorts: tuple[str, ...] | None = None
    """The wave's priority cohorts that count; ``None``: all of them (as in the wave), ``()``: none."""
    household_limit: int | None = None
    """Places per family card (KK); ``None``: the scheme's (as in the wave)."""

    def to_json(self) -> dict[str, object]:
        cohorts = None if self.priority_cohorts is None else sorted(self.priority_cohorts)
        quotas = dict(sorted(self.quotas.items()))
        return {"quotas": quotas, "priority_cohorts": cohorts, "household_limit": self.household_limit}

    @staticmethod
    def from_json(data: dict) -> WhatIfParams:
        cohorts = data.get("priority_cohorts")
        return WhatIfParams(
            quotas={str(p): int(q) for p, q in (data.get("quotas") or {}).items()},
            priority_cohorts=None if cohorts is None else tuple(str(c) for c in cohorts),
            household_limit=data.get("household_limit"),
        )


def problems(params: WhatIfParams, *, cohorts_of_wave: Iterable[str]) -> list[str]:
    """What is wrong with the parameters, for the caller to show; empty when they can run."""
    found = []
    unknown = sorted(p for p in params.quotas if province_name(p) is None)
    if unknown:
        found.append(f"Unknown province codes: {', '.join(unknown)}.")
    if any(not 0 <= q <= MAX_QUOTA for q in params.quotas.values()):
        found.append(f"A quota is between 0 and {MAX_QUOTA:,}.")
    if params.household_limit is not None and not 1 <= params.household_limit <= MAX_HOUSEHOLD_LIMIT:
        found.append(f"The household limit is between 1 and {MAX_HOUSEHOLD_LIMIT}.")
    if params.priority_cohorts is not None:
        if len(params.priority_cohorts) > MAX_COHORTS or len(set(params.priority_cohorts)) != len(
            params.priority_cohorts
        ):
            found.append(f"At most {MAX_COHORTS} priority cohorts, each once.")
        missing = sorted(set(params.priority_cohorts) - set(cohorts_of_wave))
        if missing:
            found.append(f"The wave has no priority cohort {', '.join(missing)}.")
    return found


@dataclass(frozen=True, slots=True)
class WhatIfCell:
    """How many joiners of a province had one reason in the real result and another in the what-if."""

    province_code: str
    real_reason: str
    what_if_reason: str
    joiners: int


@dataclass(frozen=True, slots=True)
class Side:
    """One selection (real or what-if) of one province."""

    quota: int
    reasons: dict[str, int]
    """Joiners per reason code, every code of ``domain.waves.selection.REASONS`` present."""

    @property
    def selected(self) -> int:
        return sum(n for r, n in self.reasons.items() if r.startswith("SELECTED"))

    @property
    def excluded(self) -> int:
        return sum(n for r, n in self.reasons.items() if not r.startswith("SELECTED"))


@dataclass(frozen=True, slots=True)
class ProvinceComparison:
    province_code: str
    joined: int
    real: Side
    what_if: Side
    in_both: int
    only_real: int
    only_what_if: int


def compare(
    cells: Iterable[WhatIfCell], real_quotas: dict[str, int], what_if_quotas: dict[str, int]
) -> list[ProvinceComparison]:
    """Both selections side by side per province (every province with joiners or a quota), by province code."""
    by_province: dict[str, list[WhatIfCell]] = {p: [] for p in {*real_quotas, *what_if_quotas}}
    for cell in cells:
        by_province.setdefault(cell.province_code, []).append(cell)
    rows = []
    for code, mine in sorted(by_province.items()):
        real: dict[str, int] = dict.fromkeys(REASONS, 0)
        what_if: dict[str, int] = dict.fromkeys(REASONS, 0)
        both = only_real = only_what_if = 0
        for c in mine:
            real[c.real_reason] = real.get(c.real_reason, 0) + c.joiners
            what_if[c.what_if_reason] = what_if.get(c.what_if_reason, 0) + c.joiners
            was, now = c.real_reason.startswith("SELECTED"), c.what_if_reason.startswith("SELECTED")
            both += c.joiners if was and now else 0
            only_real += c.joiners if was and not now else 0
            only_what_if += c.joiners if now and not was else 0
        rows.append(
            ProvinceComparison(
                province_code=code,
                joined=sum(c.joiners for c in mine),
                real=Side(real_quotas.get(code, 0), real),
                what_if=Side(what_if_quotas.get(code, 0), what_if),
                in_both=both,
                only_real=only_real,
                only_what_if=only_what_if,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class WhatIfView:
    what_if_id: int
    wave_id: str
    status: WhatIfStatus
    requested_by: str
    requested_at: dt.datetime
    params: WhatIfParams
    household_limit: int
    """The limit the run applies (the parameter, or the scheme's)."""
    real_quotas: dict[str, int]
    finished_at: dt.datetime | None = None
    selected: int | None = None
    """Selected nationally in the what-if."""
    same_as_real: bool | None = None
    """The what-if's digest equals the published one: exactly the real selection."""
    seconds: float | None = None
    error: str | None = None
    provinces: list[ProvinceComparison] = field(default_factory=list)

    @property
    def what_if_quotas(self) -> dict[str, int]:
        return {**self.real_quotas, **self.params.quotas}


@dataclass(frozen=True, slots=True)
class WhatIfRequested:
    what_if_id: int
    created: bool
    """False: the caller's key was used before (``same_request`` says whether for the same wave and parameters)."""
    same_request: bool = True
    status: WhatIfStatus = WhatIfStatus.QUEUED


def total(rows: Iterable[ProvinceComparison]) -> ProvinceComparison:
    """The sum of some provinces' comparisons (``province_code`` empty)."""
    rows = list(rows)

    def side(pick: Callable[[ProvinceComparison], Side]) -> Side:
        reasons: dict[str, int] = dict.fromkeys(REASONS, 0)
        for r in rows:
            for reason, n in pick(r).reasons.items():
                reasons[reason] = reasons.get(reason, 0) + n
        return Side(sum(pick(r).quota for r in rows), reasons)

    return ProvinceComparison(
        province_code="",
        joined=sum(r.joined for r in rows),
        real=side(lambda r: r.real),
        what_if=side(lambda r: r.what_if),
        in_both=sum(r.in_both for r in rows),
        only_real=sum(r.only_real for r in rows),
        only_what_if=sum(r.only_what_if for r in rows),
    )
