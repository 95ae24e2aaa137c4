"""Enrollment and training activities: thin calls into the ledger and the outbox (local activities, short writes)."""

from __future__ import annotations

import hashlib
import hmac

from temporalio import activity

from activities.metrics import count
from domain.enrollment.enrollment import otp_digest
from domain.enrollment.ledger import LedgerEntry
from domain.notifications import Channel, Notification, otp_text
from domain.training.messages import (
    CancelVoucherInput,
    CertificateInput,
    EnrollInput,
    EnrollResult,
    IssuedOtp,
    IssueOtpInput,
    NotifyInput,
    PurchaseOutcome,
    RecordedPurchase,
    RecordPurchaseInput,
    ReinstateInput,
    RevokeInput,
)
from domain.training.ports import KeyReusedError, NotificationOutbox, TrainingLedger


class TrainingActivities:
    def __init__(self, ledger: TrainingLedger, outbox: NotificationOutbox, *, otp_key: bytes) -> None:
        self._ledger = ledger
        self._outbox = outbox
        self._otp_key = otp_key

    @activity.defn
    async def enroll(self, inp: EnrollInput) -> EnrollResult:
        card_number, credit = await self._ledger.enroll(inp.case_id, inp.scheme_id, inp.amount, inp.at)
        return EnrollResult(card_number, credit)

    @activity.defn
    async def issue_otp(self, inp: IssueOtpInput) -> IssuedOtp:
        """Send the purchase OTP by SMS. The OTP is derived from a secret and the challenge, so a retry sends
        (and the outbox de-duplicates) the same code; the workflow keeps only a salted digest."""
        mac = hmac.new(self._otp_key, f"{inp.case_id}:{inp.challenge_id}".encode(), hashlib.sha256).digest()
        otp = f"{int.from_bytes(mac[:8], 'big') % 1_000_000:06d}"
        sms = Notification(
            dedupe_key=f"{inp.case_id}:otp:{inp.challenge_id}",
            case_id=inp.case_id,
            channel=Channel.SMS,
            recipient=inp.phone,
            kind="PURCHASE_OTP",
            body=otp_text(otp, inp.course_title, inp.price),
            created_at=inp.at,
        )
        await self._outbox.add((sms,))
        return IssuedOtp(salt=inp.challenge_id, digest=otp_digest(inp.challenge_id, otp))

    @activity.defn
    async def record_purchase(self, inp: RecordPurchaseInput) -> RecordedPurchase:
        try:
            recorded = await self._ledger.record_purchase(inp)
            count("prakerja_purchases", "Training purchases recorded, by status.", status=recorded.status.value)
            return recorded
        except KeyReusedError:
            # The platform sent the same order key for another participant: refuse, never retry.
            return RecordedPurchase(status=PurchaseOutcome.IDEMPOTENCY_KEY_REUSED)

    @activity.defn
    async def cancel_voucher(self, inp: CancelVoucherInput) -> LedgerEntry:
        """Cancel the voucher and refund its price (both idempotent)."""
        await self._ledger.cancel_voucher(inp.voucher_code, inp.kind)
        return await self._ledger.append(inp.case_id, inp.refund)

    @activity.defn
    async def revoke_card(self, inp: RevokeInput) -> None:
        await self._ledger.revoke(inp.case_id, forfeit=inp.forfeit, reason=inp.reason, at=inp.at)

    @activity.defn
    async def reinstate_card(self, inp: ReinstateInput) -> None:
        await self._ledger.reinstate(inp.case_id, restore=inp.restore, at=inp.at)

    @activity.defn
    async def issue_certificate(self, inp: CertificateInput) -> str:
        return await self._ledger.issue_certificate(inp.case_id, inp.voucher_code, inp.course_code, inp.at)

    @activity.defn
    async def notify(self, inp: NotifyInput) -> int:
        return await self._outbox.add(inp.notifications)
