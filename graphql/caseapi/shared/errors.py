"""Expected failures as GraphQL types with stable codes (never entries in ``errors``)."""

from __future__ import annotations

import strawberry

from domain.errors import ErrorCode as DomainErrorCode

ErrorCode = strawberry.enum(DomainErrorCode, description="Stable codes clients can switch on.")


@strawberry.interface(description="An expected failure: the request was understood and refused.")
class Error:
    code: ErrorCode
    message: str


@strawberry.type(description="No or an invalid bearer token for this endpoint.")
class NotAuthenticated(Error):
    pass


@strawberry.type(description="The caller's role or scope does not allow this.")
class Forbidden(Error):
    pass


@strawberry.type(description="A dependency (workflow engine, database) is unavailable; retry with the same key.")
class TemporarilyUnavailable(Error):
    pass


@strawberry.type(description="One problem with one input field.")
class FieldError:
    field: str
    code: str
    message: str


@strawberry.type(description="The application has problems; nothing was recorded.")
class ApplicationInvalid(Error):
    field_errors: list[FieldError]


@strawberry.type(description="This NIK already has a case; one case per NIK, ever.")
class AlreadyApplied(Error):
    pass


@strawberry.type(description="This account already has a case for another NIK.")
class AccountHasCase(Error):
    pass


@strawberry.type(description="No case with that identifier in your scope.")
class CaseNotFound(Error):
    pass


@strawberry.type(description="You have not applied yet.")
class NoCaseYet(Error):
    pass


@strawberry.type(description="An argument is out of range or malformed.")
class InvalidArgument(Error):
    pass


def not_authenticated(info_error: str | None) -> NotAuthenticated:
    return NotAuthenticated(
        code=DomainErrorCode.UNAUTHENTICATED, message=info_error or "Sign in: a bearer token is required."
    )


def forbidden(message: str = "Your role does not allow this.") -> Forbidden:
    return Forbidden(code=DomainErrorCode.FORBIDDEN, message=message)


def unavailable(what: str = "The case engine") -> TemporarilyUnavailable:
    return TemporarilyUnavailable(
        code=DomainErrorCode.TEMPORARILY_UNAVAILABLE,
        message=f"{what} is temporarily unavailable. Retry with the same request ID.",
    )


@strawberry.type(description="The case is not eligible, so this step is closed.")
class NotEligible(Error):
    pass


@strawberry.type(description="The basic-ability test was already passed.")
class AbilityTestAlreadyPassed(Error):
    pass


@strawberry.type(description="Every attempt at the basic-ability test was used.")
class NoAttemptsLeft(Error):
    pass


@strawberry.type(description="There is no test attempt in progress with that number.")
class NoTestInProgress(Error):
    pass


@strawberry.type(description="The attempt's 25 minutes are over; the answers were not recorded.")
class AbilityTestExpired(Error):
    pass


@strawberry.type(description="You must pass the basic-ability test first.")
class AbilityTestNotPassed(Error):
    pass


@strawberry.type(description="You are already in a wave (one at a time).")
class AlreadyInWave(Error):
    pass


@strawberry.type(description="You were already selected in a wave.")
class AlreadySelected(Error):
    pass


@strawberry.type(description="No wave with that ID.")
class WaveNotFound(Error):
    pass


@strawberry.type(description="The wave is not open (not yet, or already closed).")
class WaveNotOpen(Error):
    pass


@strawberry.type(description="The wave has no places for your domicile province.")
class WrongProvince(Error):
    pass


@strawberry.type(description="A wave with that ID or number already exists with another plan.")
class WaveExists(Error):
    pass


@strawberry.type(description="No active Kartu Prakerja with that number.")
class CardNotFound(Error):
    pass


@strawberry.type(description="No active course with that code (for your platform).")
class CourseNotFound(Error):
    pass


@strawberry.type(
    description="The purchase was refused and nothing was debited: card inactive, deadline passed, a training "
    "unfinished, balance short, price or OTP wrong, or the idempotency key reused for another purchase."
)
class PurchaseRefused(Error):
    pass


@strawberry.type(
    description="The redeem code cannot be used: not found, training type mismatch, another provider's code, "
    "code or transaction cancelled, already used, outside the session's window, or a bad sequence."
)
class RedeemRefused(Error):
    pass


@strawberry.type(description="This action does not fit the training's state or is not yours to take.")
class TrainingActionRefused(Error):
    pass


@strawberry.type(
    description="The skills task (TPM/UK) action was refused: no such task open, its 3×24-hour window has passed "
    "(the provider can reopen it), it does not fit the task's state, or tasks are still pending."
)
class SkillsTaskRefused(Error):
    pass


@strawberry.type(description="A partner with this client code is already registered.")
class PartnerExists(Error):
    pass


@strawberry.type(description="The course has problems; nothing was saved.")
class CourseInvalid(Error):
    problems: list[str]


@strawberry.type(
    description="The account or payout action was refused: not enrolled, account not found, holder's NIK not "
    "yours, not KYC-verified, closed, already linked (unlink first), none linked, a transfer in progress, or the "
    "phone cannot change while an account is linked."
)
class PayoutRefused(Error):
    pass


@strawberry.type(description="The survey cannot be answered: no such survey, not open yet, or closed.")
class SurveyRefused(Error):
    pass


@strawberry.type(
    description="The clawback action was refused: already marked ineligible for another reason, no receivable, "
    "or a repayment above what is outstanding."
)
class ClawbackRefused(Error):
    pass


@strawberry.type(
    description="The action cannot be requested or approved: four-eyes (own request, not a supervisor), expired, "
    "already decided, unknown request, or it no longer fits the case."
)
class ActionRefused(Error):
    pass
