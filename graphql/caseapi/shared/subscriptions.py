"""Live updates over graphql-transport-ws, fed by PostgreSQL LISTEN/NOTIFY (triggers on the read model and the
staff queues): a participant's own case status, and for staff the cases and queues of their provinces."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.language import Lang, lang_of, say_code
from caseapi.shared.payout_types import IncentiveProgress
from caseapi.shared.types import Stage, record_next_action
from domain.case import Stage as DomainStage
from domain.change_feed import CASE_CHANGES, STAFF_QUEUES
from domain.errors import ErrorCode
from domain.messages import CaseRecord
from domain.payouts.tranches import TrancheStatus
from domain.texts import DEFAULT_LANG


@strawberry.type(description="A case changed: its stage, version, what the participant should do next, and the "
                 "incentive payments (a survey opening, a payment landing).")  # fmt: skip
class CaseStatusUpdate:
    case_id: str
    province_code: str
    stage: Stage
    version: int
    next_action: str
    updated_at: dt.datetime
    incentives: list[IncentiveProgress]


@strawberry.type(description="A staff queue changed: a four-eyes request or a complaint was filed or moved.")
class QueueChange:
    queue: str = strawberry.field(description="operator_requests or complaints.")
    id: str
    case_id: str
    province_code: str
    status: str


CaseStatusEvent = Annotated[
    CaseStatusUpdate | e.NoCaseYet | e.NotAuthenticated | e.Forbidden, strawberry.union("CaseStatusEvent")
]
QueueEvent = Annotated[QueueChange | e.NotAuthenticated | e.Forbidden, strawberry.union("QueueEvent")]


_PROGRESS = ("number", "kind", "amount", "status", "due_at", "survey_due_at", "paid_at")
"""The fields of a tranche the live status shows (the notification carries the same ones)."""


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _update(m: dict[str, Any]) -> CaseStatusUpdate:
    """From a ``case_changes`` notification (the trigger of migration 0013; 0010's carried no incentives)."""
    return CaseStatusUpdate(
        case_id=m["case_id"],
        province_code=m["province_code"],
        stage=DomainStage(m["stage"]),
        version=int(m["version"]),
        next_action=m["next_action"],
        updated_at=dt.datetime.fromisoformat(m["updated_at"]),
        incentives=[
            IncentiveProgress(
                number=int(t["number"]),
                kind=t["kind"],
                amount=int(t["amount"]),
                status=TrancheStatus(t["status"]),
                due_at=dt.datetime.fromisoformat(t["due_at"]),
                survey_due_at=_when(t.get("survey_due_at")),
                paid_at=_when(t.get("paid_at")),
            )
            for t in m.get("incentives") or ()
        ],
    )


async def _in_language(update: CaseStatusUpdate, info: Info) -> CaseStatusUpdate:
    """The notification carries the stored (Indonesian) next action; another language re-reads the record."""
    if lang_of(info) == DEFAULT_LANG:
        return update
    record = await info.context.ports.reader.by_account(update_account(info))
    if record is None or record.version < update.version:
        return update
    return _current(record, lang_of(info))  # this version, or a newer one (its own notification follows)


def update_account(info: Info) -> str:
    p = info.context.principal
    assert p is not None
    return p.subject


def _current(record: CaseRecord, lang: Lang = DEFAULT_LANG) -> CaseStatusUpdate:
    """The status a subscription starts with, read from the read model."""
    return CaseStatusUpdate(
        case_id=record.case_id,
        province_code=record.application.domicile.province_code,
        stage=record.stage,
        version=record.version,
        next_action=record_next_action(record, lang),
        updated_at=record.updated_at,
        incentives=[IncentiveProgress(**{f: getattr(t, f) for f in _PROGRESS}) for t in record.incentives],
    )


def _in_scope(p: Principal, province: str, wanted: str | None) -> bool:
    return p.covers(province) and (wanted is None or province == wanted)


async def my_case_status(info: Info) -> AsyncGenerator[CaseStatusEvent, None]:
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        yield principal
        return
    feed = info.context.ports.feed
    assert feed is not None
    # Listen first (nothing falls between the read and the feed), to this account's changes only.
    async with feed.subscribe(CASE_CHANGES, key=principal.subject) as messages:
        record = await info.context.ports.reader.by_account(principal.subject)
        if record is None:
            yield e.NoCaseYet(code=ErrorCode.CASE_NOT_FOUND, message=say_code(info, "error.CASE_NOT_FOUND", ""))
            return
        seen, shown = record.version, record.stage.value
        yield _current(record, lang_of(info))
        async for m in messages:
            if m.get("account_id") != principal.subject:
                continue
            # A newer version, or the same version in another stage: a wave's result folded into the row by its
            # fan-out (the version belongs to the workflow and is not bumped).
            if int(m["version"]) > seen or (int(m["version"]) == seen and m["stage"] != shown):
                seen, shown = int(m["version"]), m["stage"]
                yield await _in_language(_update(m), info)


async def case_status_changes(info: Info, province_code: str | None = None) -> AsyncGenerator[CaseStatusEvent, None]:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        yield principal
        return
    if province_code is not None and not principal.covers(province_code):
        yield e.forbidden("That province is outside your scope.")
        return
    feed = info.context.ports.feed
    assert feed is not None
    async with feed.subscribe(CASE_CHANGES) as messages:
        async for m in messages:
            if _in_scope(principal, m["province_code"], province_code):
                yield _update(m)


async def queue_changes(info: Info) -> AsyncGenerator[QueueEvent, None]:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        yield principal
        return
    feed = info.context.ports.feed
    assert feed is not None
    async with feed.subscribe(STAFF_QUEUES) as messages:
        async for m in messages:
            if _in_scope(principal, m["province_code"], None):
                yield QueueChange(
                    queue=m["queue"], id=m["id"], case_id=m["case_id"], province_code=m["province_code"],
                    status=m["status"],
                )  # fmt: skip
