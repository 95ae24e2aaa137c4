"""The official DP payment contract's business answers: the checks send-otp documents, over the same purchase
calls as the partner GraphQL schema (``caseapi.partner.purchase_calls``), plus schedules with a quota."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from caseapi.partner.purchase_calls import buy, cancel, case_for_card, platform_course, send_purchase_otp
from caseapi.rest import catalogue as c
from caseapi.rest.ports import OtpIssued, PaymentReceipt, PurchaseOrder, RedeemError
from caseapi.shared import errors as e
from caseapi.shared.context import Context
from caseapi.shared.redeem_calls import partner_sign_key
from domain.training.messages import OtpSent, PurchaseResult, TrainingView
from domain.training.ports import VoucherRef
from domain.training.schedules import PartnerApiStore, PurchaseRow, Requirements, Schedule, fit_problem
from domain.training.trainings import Course, Partner, PartnerType

VOID_REASON = "Transaksi dibatalkan oleh platform digital (void)."


def mask_name(name: str) -> str:
    """``BUDI SANTOSO`` → ``BUDI S***``: the first word, then each other word's initial."""
    first, *others = name.upper().split() or ["-"]
    return " ".join([first, *(f"{w[0]}***" for w in others)])


def _refusal(entry: c.CatalogueEntry, message: str | None = None) -> RedeemError:
    return RedeemError(entry.code, message or entry.message)


def _error(result: e.Error) -> RedeemError:
    return RedeemError(code=str(getattr(result.code, "value", result.code)), message=result.message)


class WorkflowPaymentGateway:
    """Implements ``caseapi.rest.ports.PaymentGateway``."""

    def __init__(
        self,
        context: Callable[[], Context],
        store: PartnerApiStore,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._context = context
        self._store = store
        self._clock = clock

    async def sign_key(self, client_code: str, kind: PartnerType = PartnerType.DIGITAL_PLATFORM) -> str | None:
        return await partner_sign_key(self._context(), client_code, kind)

    async def first_use(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        return await self._context().ports.market.first_use_of_signature(client_code, signature, at)

    async def _platform(self, client_code: str) -> Partner:
        partner = await self._context().ports.market.partner(client_code)
        assert partner is not None  # the transport verified the signature with this partner's key
        return partner

    async def _course_schedule(self, client_code: str, course_code: str, schedule_code: str):
        course = await platform_course(self._context(), course_code, await self._platform(client_code))
        if isinstance(course, e.Error):
            return _error(course)
        schedule = await self._store.schedule(schedule_code)
        if schedule is None:
            return _refusal(c.SCHEDULE_NOT_FOUND)
        if schedule.course_code != course.course_code:
            return _refusal(c.SCHEDULE_MISMATCH)
        return course, schedule

    async def quota(self, client_code: str, course_code: str, schedule_code: str) -> int | RedeemError:
        found = await self._course_schedule(client_code, course_code, schedule_code)
        return found if isinstance(found, RedeemError) else found[1].remaining

    async def _checked(
        self, client_code: str, prakerja_id: str, course_code: str, schedule_code: str, amount: int
    ) -> tuple[Partner, Course, Schedule, str] | RedeemError:
        """send-otp's documented checks in its order: schedule, course match, start, quota, then the buyer's fit
        (the price, the card's state and the balance are the workflow's own checks, answered by its update)."""
        found = await self._course_schedule(client_code, course_code, schedule_code)
        if isinstance(found, RedeemError):
            return found
        course, schedule = found
        if schedule.starts_at <= self._clock():
            return _refusal(c.SCHEDULE_STARTED)
        if schedule.remaining <= 0:
            return _refusal(c.SCHEDULE_FULL)
        case_id = await case_for_card(self._context(), prakerja_id)
        if not isinstance(case_id, str):
            return _error(case_id)
        requirements = await self._store.requirements(course.course_code)
        if requirements != Requirements():  # the buyer's age and education, read only when the course asks
            record = await self._context().ports.reader.by_id(case_id)
            if record is None:
                return _refusal(c.CARD_NOT_FOUND)
            problem = fit_problem(
                requirements,
                date_of_birth=record.application.date_of_birth,
                education=record.application.education.value,
                today=self._clock().date(),
            )
            if problem is not None:
                return _refusal(c.AGE_NOT_MET if problem == "AGE" else c.EDUCATION_NOT_MET)
        return await self._platform(client_code), course, schedule, case_id

    async def send_otp(
        self, client_code: str, prakerja_id: str, course_code: str, schedule_code: str, amount: int, request_id: str
    ) -> OtpIssued | RedeemError:
        checked = await self._checked(client_code, prakerja_id, course_code, schedule_code, amount)
        if isinstance(checked, RedeemError):
            return checked
        platform, course, _, case_id = checked
        sent = await send_purchase_otp(self._context(), platform, case_id, course, amount, request_id)
        return OtpIssued(request_id, sent.expires_at) if isinstance(sent, OtpSent) else _error(sent)

    async def authorize(self, client_code: str, order: PurchaseOrder) -> PaymentReceipt | RedeemError:
        done = await self._purchase(client_code, order.invoice_code)
        if done is not None:  # a retry: the same receipt, even once the schedule is full or has started
            same = (done.course_code, done.price, done.schedule_code) == (
                order.course_code,
                order.amount,
                order.schedule_code,
            )
            return await self.status(client_code, order.invoice_code) if same else _refusal(c.INVOICE_REUSED)
        checked = await self._checked(
            client_code, order.prakerja_id, order.course_code, order.schedule_code, order.amount
        )
        if isinstance(checked, RedeemError):
            return checked
        platform, course, schedule, case_id = checked
        key = f"{client_code}:{order.invoice_code}"
        claimed = await self._store.claim_seat(key, schedule.schedule_code, order.invoice_url, self._clock())
        if claimed != schedule.schedule_code:
            return _refusal(c.INVOICE_REUSED)
        result = await buy(self._context(), platform, case_id, course, order.amount, order.otp, order.invoice_code)
        if not isinstance(result, PurchaseResult):
            return _error(result)
        # The receipt from the workflow's answer (what status reads back), not a second read of the purchase.
        name = await self._masked_name(case_id)
        return PaymentReceipt(order.invoice_code, result.invoice_code, result.price, "SUCCESS", name,
                              result.purchased_at)  # fmt: skip

    async def _masked_name(self, case_id: str) -> str:
        record = await self._context().ports.reader.by_id(case_id)
        return mask_name(record.application.full_name) if record is not None else ""

    async def _purchase(self, client_code: str, invoice_code: str) -> PurchaseRow | None:
        return await self._store.purchase(f"{client_code}:{invoice_code}")

    async def status(self, client_code: str, invoice_code: str) -> PaymentReceipt | RedeemError:
        row = await self._purchase(client_code, invoice_code)
        if row is None:
            return _refusal(c.INVOICE_NOT_FOUND)
        name = await self._masked_name(row.case_id)
        status = "SUCCESS" if row.status == "ACTIVE" else "CANCELLED"
        return PaymentReceipt(invoice_code, row.transaction_code, row.price, status, name, row.created_at)

    async def void(self, client_code: str, invoice_code: str, transaction_code: str) -> RedeemError | None:
        row = await self._purchase(client_code, invoice_code)
        if row is None or row.transaction_code != transaction_code:
            return _refusal(c.TRANSACTION_NOT_FOUND)
        if row.status != "ACTIVE":
            return _refusal(c.ALREADY_CANCELLED)
        ref = VoucherRef(row.case_id, row.voucher_code, row.redeem_code, "", row.platform_code, row.purchase_key)
        result = await cancel(self._context(), await self._platform(client_code), ref, VOID_REASON)
        return None if isinstance(result, TrainingView) else _error(result)
