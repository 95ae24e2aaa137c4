"""Wire contracts: workflow inputs, update payloads, activity inputs and results.

One frozen dataclass per call so that workflows depend on this module, never on activity modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from domain.application import ApplicationForm
from domain.case import Decision, Stage


@dataclass(slots=True)
class CaseState:
    """Everything a participant workflow carries across continue-as-new."""

    case_id: str
    """HMAC of the NIK; the workflow ID is ``participant-<case_id>``."""
    scheme_id: str
    account_id: str | None = None
    stage: Stage = Stage.STARTED
    application: ApplicationForm | None = None
    applied_at: dt.datetime | None = None
    apply_request_id: str | None = None
    """Idempotency key of the accepted application; a retry with it gets the same answer."""
    decisions: list[Decision] = field(default_factory=list)
    version: int = 0
    """Bumped on every change; guards read-model writes so an older write never wins."""


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """Start (and continue-as-new) input of ``ParticipantWorkflow``."""

    case_id: str
    scheme_id: str
    state: CaseState | None = None


@dataclass(frozen=True, slots=True)
class ApplyRequest:
    """Update payload of ``ParticipantWorkflow.apply``."""

    request_id: str
    account_id: str
    form: ApplicationForm


@dataclass(frozen=True, slots=True)
class ApplyResult:
    case_id: str
    stage: Stage
    applied_at: dt.datetime


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """Read-model projection of a case, written by the workflow through an activity."""

    case_id: str
    workflow_id: str
    account_id: str
    scheme_id: str
    stage: Stage
    version: int
    application: ApplicationForm
    decisions: tuple[Decision, ...]
    next_action: str
    applied_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RegisterCaseResult:
    """What ``register_case`` found: ``REGISTERED``, or the conflict that stopped it."""

    status: str
    """``REGISTERED`` | ``NIK_TAKEN`` | ``ACCOUNT_TAKEN``."""
