"""GraphQL views of waves, wave history and lottery verification."""

from __future__ import annotations

import datetime as dt

import strawberry

from caseapi.shared.context import Info
from caseapi.shared.language import say_code
from domain.regions import province_name
from domain.waves import lifecycle as w
from domain.waves.ports import WaveView


@strawberry.type(description="Live counts of one province in a wave.")
class ProvinceCount:
    province_code: str
    quota: int
    joined: int
    selected: int
    excluded_at_close: int = strawberry.field(description="Blacklisted, already recipients, or over the KK limit.")

    @strawberry.field
    def province_name(self) -> str | None:
        return province_name(self.province_code)


@strawberry.type(description="A wave (gelombang) and its published lottery commitment.")
class Wave:
    id: strawberry.ID
    number: int
    scheme_id: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    status: str
    national_quota: int
    seed_commitment: str | None = strawberry.field(description="SHA-256 of the secret seed, published at opening.")
    revealed_seed: str | None = strawberry.field(description="The seed itself, revealed after closing.")
    result_digest: str | None = strawberry.field(description="SHA-256 of the sorted selected case IDs.")
    selected_count: int | None

    @strawberry.field(description="Per-province quota, joined and selected counts (staff only).")
    async def provinces(self, info: Info) -> list[ProvinceCount] | None:
        p = info.context.principal
        if p is None or not p.is_staff:
            return None
        counts = await info.context.ports.waves.counts(str(self.id))
        return [
            ProvinceCount(
                province_code=c.province_code,
                quota=c.quota,
                joined=c.joined,
                selected=c.selected,
                excluded_at_close=c.excluded_at_close,
            )
            for c in counts
        ]


def wave_view(v: WaveView) -> Wave:
    return Wave(
        id=strawberry.ID(v.plan.wave_id),
        number=v.plan.number,
        scheme_id=v.plan.scheme_id,
        opens_at=v.plan.opens_at,
        closes_at=v.plan.closes_at,
        status=v.status,
        national_quota=v.national_quota,
        seed_commitment=v.seed_commitment,
        revealed_seed=v.revealed_seed,
        result_digest=v.result_digest,
        selected_count=v.selected_count,
    )


@strawberry.type(description="A wave the participant joined and its outcome ('Riwayat Gelombang').")
class WaveHistoryEntry:
    wave_id: str
    joined_at: dt.datetime
    outcome: str | None = strawberry.field(description="SELECTED, NOT_SELECTED, or null while the wave runs.")
    reason: str | None
    decided_at: dt.datetime | None

    @strawberry.field(description="The reason in the request's language (Bahasa Indonesia by default).")
    def reason_text(self, info: Info) -> str | None:
        return say_code(info, f"wave.{self.reason}", w.reason_text(self.reason)) if self.reason else None


def history_entry(e: w.WaveEntry) -> WaveHistoryEntry:
    return WaveHistoryEntry(
        wave_id=e.wave_id,
        joined_at=e.joined_at,
        outcome=e.outcome,
        reason=e.reason,
        decided_at=e.decided_at,
    )


@strawberry.type(description="Anyone can re-run a wave's lottery from its revealed seed and frozen joiners.")
class WaveVerification:
    wave_id: str
    commitment_ok: bool = strawberry.field(
        description="SHA-256(revealed seed) equals the commitment published at opening."
    )
    identical: bool = strawberry.field(description="The recomputed selection equals the published one.")
    recomputed_digest: str | None
    published_digest: str | None
    differences: int
