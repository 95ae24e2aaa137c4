"""``paymentDiscrepancies`` and ``receivables``: the reconciliation queue and money owed back (national staff)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal
from caseapi.shared.context import Info
from caseapi.shared.payout_types import (
    Discrepancy,
    Receivable,
    ReceivableStatus,
    discrepancy_view,
    receivable_view,
)
from caseapi.staff.national import national_staff
from domain.errors import StoreUnavailable
from domain.payouts import ports as pp


@strawberry.type
class DiscrepancyList:
    items: list[Discrepancy]


@strawberry.type
class ReceivableList:
    items: list[Receivable]


DiscrepanciesResult = Annotated[
    DiscrepancyList | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("DiscrepanciesResult"),
]
ReceivablesResult = Annotated[
    ReceivableList | e.NotAuthenticated | e.Forbidden | e.TemporarilyUnavailable,
    strawberry.union("ReceivablesResult"),
]


async def payment_discrepancies(info: Info, open_only: bool = True, limit: int = 100) -> DiscrepanciesResult:
    principal = national_staff(info, "Payments are reconciled")
    if not isinstance(principal, Principal):
        return principal
    books = info.context.ports.books
    assert books is not None
    try:
        found = await books.reconciliation.discrepancies(
            status="OPEN" if open_only else None, limit=max(1, min(limit, 500))
        )
    except StoreUnavailable:
        return e.unavailable("The payments database")
    return DiscrepancyList(items=[discrepancy_view(d) for d in found])


async def receivables(info: Info, status: ReceivableStatus | None = None, limit: int = 100) -> ReceivablesResult:
    principal = national_staff(info, "Receivables are followed up")
    if not isinstance(principal, Principal):
        return principal
    books = info.context.ports.books
    assert books is not None
    try:
        rows = await books.receivables.list(
            status=pp.ReceivableStatus(status) if status else None, limit=max(1, min(limit, 500))
        )
    except StoreUnavailable:
        return e.unavailable("The payments database")
    return ReceivableList(items=[receivable_view(r) for r in rows])
