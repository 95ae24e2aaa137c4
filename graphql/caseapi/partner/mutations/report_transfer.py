"""``reportTransfer`` (payment partner): the result of a transfer the partner accepted earlier, by the transfer's
idempotency key: settled with the partner's reference, or failed with its reason code (``domain.payouts.reports``).

The result is recorded in the ``payments`` books first (a row settles once), then the case is told with the
``transfer_reported`` signal routed by the key's case; a lost signal is harmless, the case's status check finds
the recorded result. Repeated and out-of-order reports are answered from the books: ``DUPLICATE`` or ``CONFLICT``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated

import strawberry
from temporalio.service import RPCError

from caseapi.partner.calling_partner import calling_partner
from caseapi.shared import errors as e
from caseapi.shared.context import Info
from domain.errors import ErrorCode, StoreUnavailable
from domain.payouts import reports as rp
from domain.payouts.ports import PaymentRow
from domain.training.trainings import Partner, PartnerType
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import workflow_id_for

log = logging.getLogger(__name__)

ReportedOutcome = strawberry.enum(rp.ReportedOutcome, description="What became of the transfer.")
ReportVerdict = strawberry.enum(rp.ReportVerdict, description="What your report did.")


@strawberry.input(description="The result of a transfer you accepted earlier.")
class TransferReportInput:
    key: str = strawberry.field(description="The transfer's idempotency key, as the programme sent it.")
    outcome: ReportedOutcome
    partner_reference: str | None = strawberry.field(default=None, description="Your reference (SETTLED).")
    reason_code: str | None = strawberry.field(default=None, description="Why it failed (FAILED), e.g. ACCOUNT_CLOSED.")


@strawberry.type(description="The transfer as the programme's books hold it after your report.")
class TransferReportReceipt:
    key: str
    verdict: ReportVerdict = strawberry.field(description="APPLIED, or DUPLICATE/CONFLICT: settled before.")
    outcome: ReportedOutcome = strawberry.field(description="The recorded result (the first report's).")
    amount: int = strawberry.field(description="Integer rupiah.")
    partner_reference: str | None
    reason_code: str | None
    settled_at: dt.datetime | None


@strawberry.type(description="No transfer to an account at your bank or e-wallet has this key.")
class TransferNotFound(e.Error):
    pass


ReportTransferResult = Annotated[
    TransferReportReceipt | TransferNotFound | e.InvalidArgument | e.NotAuthenticated | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("ReportTransferResult"),
]  # fmt: skip


def _receipt(row: PaymentRow, verdict: rp.ReportVerdict) -> TransferReportReceipt:
    settled = row.failure_code is None
    return TransferReportReceipt(
        key=row.key,
        verdict=verdict,
        outcome=rp.ReportedOutcome.SETTLED if settled else rp.ReportedOutcome.FAILED,
        amount=row.amount,
        partner_reference=row.partner_ref,
        reason_code=row.failure_code,
        settled_at=row.settled_at,
    )


async def report_transfer(info: Info, input: TransferReportInput) -> ReportTransferResult:
    partner = await calling_partner(info, PartnerType.PAYMENT_PARTNER)
    if not isinstance(partner, Partner):
        return partner
    provider = rp.provider_of(partner.client_code)
    if provider is None:
        return e.forbidden(f"Client {partner.client_code} names no bank or e-wallet the programme pays through.")
    books = info.context.ports.books
    if books is None:
        return e.unavailable("The payments books")
    report = rp.TransferReport(input.key.strip(), rp.ReportedOutcome(input.outcome), input.partner_reference,
                               input.reason_code)  # fmt: skip
    if (problem := rp.problem(report)) is not None:
        return e.InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=problem)
    missing = TransferNotFound(code=ErrorCode.TRANSFER_NOT_FOUND, message="No transfer of yours has this key.")
    try:
        found = await books.payments.by_keys([report.key])
        if not found or found[0].provider != provider:
            return missing  # another partner's transfer looks missing
        row, applied = await books.payments.settle_once(report.key, rp.as_result(report, dt.datetime.now(dt.UTC)))
    except StoreUnavailable:
        return e.unavailable("The payments books")
    verdict = rp.verdict(row, applied, report)
    if verdict is not rp.ReportVerdict.CONFLICT:
        await _tell_the_case(info, row)
    return _receipt(row, verdict)


async def _tell_the_case(info: Info, row: PaymentRow) -> None:
    """Signal the case (again, for a duplicate: the first report's signal may have been lost)."""
    handle = info.context.ports.client.get_workflow_handle(workflow_id_for(row.case_id))
    try:
        await handle.signal(ParticipantWorkflow.transfer_reported, row.key)
    except RPCError as exc:  # closed, or the engine unreachable: the case's status check finds the books' result
        log.warning("transfer report not signalled", extra={"case": row.case_id[:8], "error": type(exc).__name__})
