"""The official LP REST contract's business answers, from the same calls as the partner GraphQL schema."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from caseapi.partner import sandbox_redeem
from caseapi.rest import catalogue as c
from caseapi.rest.ports import AttendanceLink, RedeemDetail, RedeemError
from caseapi.shared import attendance_link
from caseapi.shared import errors as e
from caseapi.shared.context import Context
from caseapi.shared.redeem_calls import commit_redeem, partner_sign_key, redeem_status
from caseapi.shared.signed_claims import derive_key
from domain.errors import ErrorCode
from domain.training.attendance_emails import email_digest
from domain.training.messages import RedeemResult
from domain.training.sandbox import is_sandbox_code
from domain.training.schedules import PartnerApiStore
from domain.training.trainings import SCHEDULED_MODES, PartnerType, TrainingMode

EMAIL_PURPOSE = "attendance-email"


def _error(result: e.Error) -> RedeemError:
    return RedeemError(code=str(getattr(result.code, "value", result.code)), message=result.message)


class WorkflowRedeemGateway:
    """Implements ``caseapi.rest.ports.RedeemGateway`` over the participant workflows and the read model."""

    def __init__(
        self,
        context: Callable[[], Context],
        store: PartnerApiStore | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._context = context
        self._store = store
        self._clock = clock

    async def sign_key(self, client_code: str, kind: PartnerType = PartnerType.TRAINING_PROVIDER) -> str | None:
        return await partner_sign_key(self._context(), client_code, kind)

    async def first_use(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        return await self._context().ports.market.first_use_of_signature(client_code, signature, at)

    async def _detail(self, result: object) -> RedeemDetail | RedeemError:
        if not isinstance(result, RedeemResult):
            assert isinstance(result, e.Error)
            return _error(result)
        course = await self._context().ports.market.course(result.course_code)
        mode = course.mode if course is not None else TrainingMode.SELF_PACED
        schedule = await self._store.schedule_of_voucher(result.voucher_code) if self._store is not None else None
        if schedule is not None:
            return RedeemDetail(result, mode, schedule.schedule_code, (schedule.starts_at, schedule.ends_at))
        sessions = course.sessions if course is not None and mode in SCHEDULED_MODES else ()
        period = (sessions[0], sessions[-1]) if sessions else None
        return RedeemDetail(result, mode, result.schedule_code, period)

    async def status(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemDetail | RedeemError:
        if self._store is not None and is_sandbox_code(redeem_code):
            return await sandbox_redeem.status(self._store, client_code, redeem_code, sequence)
        return await self._detail(await redeem_status(self._context(), client_code, redeem_code, sequence))

    async def commit(
        self, client_code: str, redeem_code: str, sequence: int, training_type: str | None
    ) -> RedeemDetail | RedeemError:
        # The official body carries no idempotency key: a repeated commit of the same code and session by the
        # same provider is a retry and gets the first answer (the status call tells when it was redeemed).
        if self._store is not None and is_sandbox_code(redeem_code):
            return await sandbox_redeem.redeem(self._store, client_code, redeem_code, sequence, self._clock())
        mode = TrainingMode(training_type) if training_type else None
        key = f"rest:{redeem_code.strip()}:{sequence}"
        result = await commit_redeem(self._context(), client_code, redeem_code, sequence, mode, request_key=key)
        return await self._detail(result)

    async def reset(self, client_code: str, redeem_code: str) -> RedeemDetail | RedeemError:
        if self._store is None:
            return RedeemError(ErrorCode.REDEEM_CODE_NOT_FOUND.value, "There is no such sandbox test code.")
        return await sandbox_redeem.reset(self._store, client_code, redeem_code)

    async def attendance_link(
        self, client_code: str, redeem_code: str, sequence: int, redirect_uri: str, email: str, base_url: str = ""
    ) -> AttendanceLink | RedeemError:
        """A signed link for the participant, after the same read the status call makes (the code is the caller's)."""
        detail = await self.status(client_code, redeem_code, sequence, None)
        if isinstance(detail, RedeemError):
            return detail
        if not await self._email_is_theirs(detail, email):
            return RedeemError(c.EMAIL_USED_FOR_TRAINING.code, c.EMAIL_USED_FOR_TRAINING.message)
        state = secrets.token_urlsafe(16)
        expires = int((self._clock() + attendance_link.LINK_TTL).timestamp())
        claims = attendance_link.AttendanceClaims(
            detail.result.redeem_code, client_code, sequence, redirect_uri, state, expires
        )
        token = attendance_link.mint(self._context().config.blind_index_key, claims)
        return AttendanceLink(f"{base_url.rstrip('/')}{attendance_link.PAGE}#{token}", state, detail.mode)

    async def _email_is_theirs(self, detail: RedeemDetail, email: str) -> bool:
        """One e-mail per training (``domain.training.attendance_emails``); sandbox codes are not bound."""
        code = detail.result.redeem_code
        if self._store is None or is_sandbox_code(code):
            return True
        key = derive_key(self._context().config.blind_index_key, EMAIL_PURPOSE)
        return await self._store.bind_attendance_email(detail.result.course_code, email_digest(key, email), code)

    async def confirm_sandbox_link(self, link: str) -> str | None:
        """Redeem the sandbox code of a genuine, unexpired attendance link: the provider's redirect URL with its
        state, or ``None`` (not a link, expired, not a sandbox code, or no sandbox here)."""
        claims = attendance_link.read(
            self._context().config.blind_index_key, link.strip().lstrip("#"), now=self._clock()
        )
        if claims is None or self._store is None or not is_sandbox_code(claims.code):
            return None
        await sandbox_redeem.redeem(self._store, claims.provider, claims.code, claims.sequence, self._clock())
        return attendance_link.back_url(claims)
