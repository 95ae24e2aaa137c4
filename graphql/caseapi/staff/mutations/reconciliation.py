"""``runReconciliation`` (one day, now, besides the daily schedule) and ``resolveDiscrepancy`` (national staff)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.payout_types import ReconciliationRun
from caseapi.staff.national import national_staff
from domain.errors import ErrorCode, StoreUnavailable
from workflows.reconciliation import ReconciliationWorkflow

RunReconciliationResult = Annotated[
    ReconciliationRun | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("RunReconciliationResult"),
]


@strawberry.type
class DiscrepancyResolved:
    id: int


ResolveDiscrepancyResult = Annotated[
    DiscrepancyResolved | e.InvalidArgument | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("ResolveDiscrepancyResult"),
]


async def run_reconciliation(info: Info, day: dt.date) -> RunReconciliationResult:
    principal = national_staff(info, "Payments are reconciled")
    if not isinstance(principal, Principal):
        return principal
    if day > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1):
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="That day has not happened yet.")
    ctx = info.context
    try:
        r = await ctx.ports.client.execute_workflow(
            ReconciliationWorkflow.run,
            day,
            id=f"reconciliation-{day.isoformat()}-{uuid.uuid4().hex[:8]}",
            task_queue=ctx.config.task_queue,
            execution_timeout=dt.timedelta(minutes=5),
        )
    except RPCError:
        return e.unavailable("The workflow engine")
    return ReconciliationRun(
        day=r.day,
        statement_lines=r.statement_lines,
        payments=r.payments,
        discrepancies=r.discrepancies,
        new_discrepancies=r.new_discrepancies,
    )


async def resolve_discrepancy(info: Info, id: int, note: str) -> ResolveDiscrepancyResult:
    principal = national_staff(info, "Payments are reconciled")
    if not isinstance(principal, Principal):
        return principal
    if not note.strip():
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="Say how the discrepancy was resolved.")
    books = info.context.ports.books
    assert books is not None
    try:
        done = await books.reconciliation.resolve(
            id, by=principal.subject, note=note.strip(), at=dt.datetime.now(dt.UTC)
        )
    except StoreUnavailable:
        return e.unavailable("The payments database")
    if not done:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message="No open discrepancy with that id.")
    return DiscrepancyResolved(id=id)
