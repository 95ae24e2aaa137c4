"""GraphQL views of a what-if: the real and the what-if selection side by side, per province in the caller's scope."""

from __future__ import annotations

import datetime as dt

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from domain.regions import province_name
from domain.waves import what_if as wi

WhatIfStatus = strawberry.enum(wi.WhatIfStatus, description="QUEUED → RUNNING → DONE (or FAILED).")


@strawberry.type(description="Joiners with one reason code of domain.waves.selection (SELECTED_LOTTERY…).")
class ReasonCount:
    reason: str
    joiners: int


@strawberry.type(description="One selection (the real one or the what-if) of a province, or of several.")
class SelectionCounts:
    quota: int
    selected: int
    excluded: int = strawberry.field(description="Not selected, whatever the reason.")
    reasons: list[ReasonCount] = strawberry.field(description="Every reason code, selected and not.")


@strawberry.type(description="The real selection and the what-if's side by side.")
class WhatIfComparison:
    province_code: str | None = strawberry.field(description="Null for the total over the provinces shown.")
    joined: int
    real: SelectionCounts
    what_if: SelectionCounts
    in_both: int = strawberry.field(description="Selected in the real result and in the what-if.")
    only_real: int = strawberry.field(description="Selected in the real result, not in the what-if.")
    only_what_if: int = strawberry.field(description="Selected in the what-if, not in the real result.")

    @strawberry.field
    def province_name(self) -> str | None:
        return province_name(self.province_code) if self.province_code else None


@strawberry.type(description="A province whose quota the what-if changes.")
class WhatIfQuota:
    province_code: str
    real: int
    what_if: int


@strawberry.type(description="A decided wave's lottery re-run under other parameters; the real result is untouched.")
class WhatIf:
    id: strawberry.ID
    wave_id: strawberry.ID
    status: WhatIfStatus  # type: ignore[valid-type]
    requested_by: str
    requested_at: dt.datetime
    finished_at: dt.datetime | None
    seconds: float | None = strawberry.field(description="How long the run took.")
    error: str | None
    household_limit: int = strawberry.field(description="Places per family card (KK) the what-if applies.")
    priority_cohorts: list[str] | None = strawberry.field(
        description="The wave's priority cohorts that count; null: all of them, as in the wave."
    )
    quota_changes: list[WhatIfQuota] = strawberry.field(description="Changed quotas (of the provinces you see).")
    same_as_real: bool | None = strawberry.field(
        description="Once done: the what-if selects exactly the published selection (same digest)."
    )
    total: WhatIfComparison | None = strawberry.field(description="Once done: the provinces you see, summed.")
    provinces: list[WhatIfComparison] = strawberry.field(description="Once done: each province you see.")


@strawberry.type(description="The wave is not closed yet: its joiners are not frozen.")
class WaveNotClosed(e.Error):
    pass


@strawberry.type(description="The wave is closed but its lottery has not run: its seed is not revealed yet.")
class SeedNotRevealed(e.Error):
    pass


@strawberry.type(description="No what-if with that ID.")
class WhatIfNotFound(e.Error):
    pass


def _counts(side: wi.Side) -> SelectionCounts:
    reasons = [ReasonCount(reason=r, joiners=n) for r, n in side.reasons.items()]
    return SelectionCounts(quota=side.quota, selected=side.selected, excluded=side.excluded, reasons=reasons)


def _comparison(row: wi.ProvinceComparison) -> WhatIfComparison:
    return WhatIfComparison(
        province_code=row.province_code or None,
        joined=row.joined,
        real=_counts(row.real),
        what_if=_counts(row.what_if),
        in_both=row.in_both,
        only_real=row.only_real,
        only_what_if=row.only_what_if,
    )


def what_if_view(view: wi.WhatIfView, principal: Principal) -> WhatIf:
    """The what-if as ``principal`` may see it: only the provinces of their scope (national staff: all)."""
    shown = [row for row in view.provinces if principal.covers(row.province_code)]
    changes = [
        WhatIfQuota(province_code=p, real=view.real_quotas.get(p, 0), what_if=q)
        for p, q in sorted(view.params.quotas.items())
        if principal.covers(p)
    ]
    done = view.status is wi.WhatIfStatus.DONE
    cohorts = view.params.priority_cohorts
    return WhatIf(
        id=strawberry.ID(str(view.what_if_id)),
        wave_id=strawberry.ID(view.wave_id),
        status=view.status,
        requested_by=view.requested_by,
        requested_at=view.requested_at,
        finished_at=view.finished_at,
        seconds=view.seconds,
        error=view.error,
        household_limit=view.household_limit,
        priority_cohorts=None if cohorts is None else list(cohorts),
        quota_changes=changes,
        same_as_real=view.same_as_real,
        total=_comparison(wi.total(shown)) if done else None,
        provinces=[_comparison(row) for row in shown],
    )
