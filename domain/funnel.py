"""The programme funnel: how many cases reached each step, registered to paid (staff console chart)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FunnelStep(StrEnum):
    """The steps in programme order; a case counted at a step has reached every earlier one in practice."""

    REGISTERED = "REGISTERED"
    """Applied: the case exists in the read model."""
    VALIDATED = "VALIDATED"
    """The registries answered: an eligibility decision (pass or fail) was made."""
    ELIGIBLE = "ELIGIBLE"
    """The eligibility decision passed."""
    JOINED = "JOINED"
    """Joined a wave (with a wave filter: that wave)."""
    SELECTED = "SELECTED"
    """Selected by a wave's lottery (with a wave filter: by that wave's)."""
    ENROLLED = "ENROLLED"
    """A Kartu Prakerja was issued."""
    FIRST_PURCHASE = "FIRST_PURCHASE"
    """Bought at least one training (a later cancellation still counts as a purchase made)."""
    COMPLETED = "COMPLETED"
    """Holds at least one training certificate."""
    PAID = "PAID"
    """At least one incentive transfer settled as paid."""


@dataclass(frozen=True, slots=True)
class FunnelQuery:
    """Which cases the funnel counts; every field narrows it."""

    wave_id: str | None = None
    """Only cases that joined this wave."""
    province_codes: tuple[str, ...] | None = None
    """Domicile provinces; ``None`` means every province (national staff, no province chosen)."""


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """Cases per step, in ``FunnelStep`` order."""

    counts: dict[FunnelStep, int]

    def ordered(self) -> list[tuple[FunnelStep, int]]:
        return [(step, self.counts.get(step, 0)) for step in FunnelStep]
