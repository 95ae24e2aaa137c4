"""A case's history as domain events for staff: what happened, when, who, under which rules and why.

Built from three sources, merged by time: the workflow's event history (updates, signals, timers, payouts —
decoded by the API), the decisions and clawback steps the workflow recorded, and the staff audit log. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from domain.case import Decision
from domain.clawback.saga import Clawback
from domain.operator.actions import AuditEntry


@dataclass(frozen=True, slots=True)
class RawEvent:
    """One workflow history event, reduced to what the timeline needs."""

    run_id: str
    event_id: int
    at: dt.datetime
    kind: str
    """``STARTED``, ``CONTINUED_AS_NEW``, ``UPDATE``, ``SIGNAL``, ``TIMER``, ``ACTIVITY``, ``CLOSED``."""
    name: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    refusal: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    at: dt.datetime
    category: str
    what: str
    actor: str
    source: str
    """``WORKFLOW`` (with ``run_id`` / ``event_id``), ``DECISION``, ``CLAWBACK`` or ``AUDIT``."""
    run_id: str | None = None
    event_id: int | None = None
    ruleset_version: str | None = None
    reasons: tuple[str, ...] = ()


UPDATES: dict[str, tuple[str, str]] = {
    "apply": ("APPLICATION", "applied"),
    "start_ability_test": ("ABILITY_TEST", "started the basic-ability test"),
    "submit_ability_test": ("ABILITY_TEST", "submitted the basic-ability test"),
    "join_wave": ("WAVE", "joined wave {wave_id}"),
    "request_purchase_otp": ("TRAINING", "asked for a purchase OTP"),
    "purchase": ("TRAINING", "bought a training for Rp{price:,}"),
    "redeem": ("TRAINING", "redeemed session {sequence}"),
    "report_completion": ("TRAINING", "reported the training completed"),
    "confirm_completion": ("TRAINING", "confirmed the completion"),
    "verify_completion": ("TRAINING", "verified the completion"),
    "cancel_training": ("TRAINING", "cancelled a training"),
    "report_test_score": ("TRAINING", "reported a {kind}-test score of {score}"),
    "rate_training": ("TRAINING", "rated a training {stars} stars"),
    "submit_skills_task": ("TRAINING", "submitted skills task {sequence}"),
    "grade_skills_task": ("TRAINING", "graded skills task {sequence}: {verdict}"),
    "reopen_skills_task": ("TRAINING", "reopened lapsed skills task {sequence}"),
    "link_payout_account": ("PAYOUT", "linked a {provider} account"),
    "unlink_payout_account": ("PAYOUT", "unlinked the payout account"),
    "change_phone": ("PROFILE", "changed the phone number"),
    "answer_survey": ("PAYOUT", "answered survey {number}"),
    "mark_ineligible": ("CLAWBACK", "marked the case ineligible ({reason_code})"),
    "record_repayment": ("CLAWBACK", "recorded a repayment of Rp{amount:,}"),
    "operator_action": ("OPERATOR", "operator action {action}"),
}


def actor_of(args: dict[str, Any]) -> str:
    """Who sent an update, from its payload: staff, a partner (by client code), or the participant."""
    if args.get("staff_id"):
        return f"staff:{args['staff_id']}"
    actor = str(args.get("actor") or args.get("partner_code") or "")
    if actor.startswith("staff:"):
        return actor
    for key in ("provider_code", "platform_code"):
        if args.get(key):
            return f"partner:{args[key]}"
    if actor:
        return f"partner:{actor}"
    return "participant"


def _describe(template: str, args: dict[str, Any]) -> str:
    try:
        return template.format(**args)
    except (KeyError, ValueError, IndexError):
        return template.split(" {")[0]


def history_events(raw: Iterable[RawEvent]) -> list[TimelineEvent]:
    out: list[TimelineEvent] = []
    for e in raw:
        base = {"at": e.at, "source": "WORKFLOW", "run_id": e.run_id, "event_id": e.event_id}
        if e.kind == "UPDATE" and e.name in UPDATES:
            category, template = UPDATES[e.name]
            what = _describe(template, e.args)
            if e.refusal:
                what += f" — refused: {e.refusal}"
            out.append(TimelineEvent(category=category, what=what, actor=actor_of(e.args), **base))
        elif e.kind == "SIGNAL" and e.name == "wave_decided":
            what = f"wave {e.args.get('wave_id', '')} announced its result".replace("  ", " ")
            out.append(TimelineEvent(category="WAVE", what=what, actor="system:wave", **base))
        elif e.kind == "TIMER":
            out.append(
                TimelineEvent(category="TIMER", what="a durable deadline fell due", actor="system:timer", **base)
            )
        elif e.kind == "ACTIVITY" and e.name == "pay_tranche":
            # an activity task's arguments (a PayInput) or a local activity's result (a PaymentRow)
            n = (e.args.get("claim") or e.args).get("tranche", "?")
            out.append(TimelineEvent(category="PAYOUT", what=f"transfer of incentive {n} sent", actor="system", **base))
        elif e.kind in ("STARTED", "CONTINUED_AS_NEW", "CLOSED"):
            what = {"STARTED": "workflow run started", "CONTINUED_AS_NEW": "continued as a new run"}.get(
                e.kind, "workflow closed"
            )
            out.append(TimelineEvent(category="RUN", what=what, actor="system", **base))
    return out


def decision_events(decisions: Iterable[Decision]) -> list[TimelineEvent]:
    return [
        TimelineEvent(
            at=d.decided_at,
            category="DECISION",
            what=f"{d.kind} {d.outcome.value}: {d.summary}",
            actor="system:rules",
            source="DECISION",
            ruleset_version=d.ruleset_version,
            reasons=tuple(f"{r.rule_id} {r.outcome.value}: {r.reason} ({r.source})" for r in d.rules),
        )
        for d in decisions
    ]


def clawback_events(c: Clawback | None) -> list[TimelineEvent]:
    if c is None:
        return []
    return [TimelineEvent(s.at, "CLAWBACK", f"{s.step.value}: {s.detail}", s.actor, "CLAWBACK") for s in c.steps]


def audit_events(entries: Iterable[AuditEntry]) -> list[TimelineEvent]:
    return [
        TimelineEvent(a.at, "AUDIT", f"{a.action} ({a.reason_code}: {a.reason})", a.actor, "AUDIT") for a in entries
    ]


def merge(*parts: list[TimelineEvent]) -> list[TimelineEvent]:
    """All events, oldest first; history order breaks ties within a run."""
    events = [e for part in parts for e in part]
    return sorted(events, key=lambda e: (e.at, e.event_id or 0))
