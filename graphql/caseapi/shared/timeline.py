"""``case(id).timeline`` (staff): the case's workflow histories, decisions, clawback steps and audit log as one
list of domain events, each workflow event linked to its raw event in the Temporal Web UI."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import strawberry

from caseapi.shared.context import Info
from caseapi.shared.history import raw_events
from domain.messages import CaseRecord
from domain.timeline import audit_events, clawback_events, decision_events, history_events, merge


@strawberry.type(description="One thing that happened to a case: when, who, what, under which rules and why.")
class TimelineEvent:
    at: dt.datetime
    category: str
    what: str
    actor: str = strawberry.field(
        description="participant, partner:<client code>, staff:<user>, supervisor:<user>, system:timer…"
    )
    source: str = strawberry.field(description="WORKFLOW, DECISION, CLAWBACK or AUDIT.")
    ruleset_version: str | None
    reasons: list[str]
    run_id: str | None
    event_id: int | None
    temporal_ui_url: str | None = strawberry.field(description="The raw event in the Temporal Web UI.")


async def timeline(info: Info, record: CaseRecord) -> list[TimelineEvent]:
    ctx = info.context
    cfg = ctx.config
    raw = await raw_events(ctx.ports.client, record.workflow_id)
    audit = await ctx.ports.desk.audit_for_case(record.case_id) if ctx.ports.desk is not None else []
    events = merge(
        history_events(raw), decision_events(record.decisions), clawback_events(record.clawback), audit_events(audit)
    )
    base = f"{cfg.temporal_ui_url}/namespaces/{cfg.temporal_namespace}/workflows/{quote(record.workflow_id)}"
    return [
        TimelineEvent(
            at=e.at,
            category=e.category,
            what=e.what,
            actor=e.actor,
            source=e.source,
            ruleset_version=e.ruleset_version,
            reasons=list(e.reasons),
            run_id=e.run_id,
            event_id=e.event_id,
            temporal_ui_url=f"{base}/{e.run_id}/history/events/{e.event_id}" if e.run_id else None,
        )
        for e in events
    ]
