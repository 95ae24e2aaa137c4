"""Wire contracts: workflow inputs, update payloads, activity inputs and results.

One frozen dataclass per call so that workflows depend on this module, never on activity modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from domain.ability_test.attempts import TestAttempt
from domain.application.form import ApplicationForm
from domain.application.registries import RegistryAnswer
from domain.case import Decision, Stage
from domain.clawback.saga import Clawback
from domain.enrollment.enrollment import Enrollment, OtpChallenge
from domain.enrollment.ledger import LedgerEntry
from domain.notifications import Notification
from domain.payouts.tranches import PayoutAccount, Tranche
from domain.training.trainings import Training
from domain.waves.lifecycle import WaveEntry


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
    registry_answers: list[RegistryAnswer] = field(default_factory=list)
    """Definitive answers kept across retries and continue-as-new; only missing registries are re-asked."""
    ability_test: list[TestAttempt] = field(default_factory=list)
    waves: list[WaveEntry] = field(default_factory=list)
    """Every wave joined, with its outcome; applied wave IDs are carried so a repeated signal is ignored."""
    version: int = 0
    """Bumped on every change; guards read-model writes so an older write never wins."""
    enrollment: Enrollment | None = None
    ledger: list[LedgerEntry] = field(default_factory=list)
    """Mirror of the card's PostgreSQL ledger (every entry is written through this workflow)."""
    trainings: list[Training] = field(default_factory=list)
    """Every purchase; its key is carried so a retried purchase is answered the same after continue-as-new."""
    otps: list[OtpChallenge] = field(default_factory=list)
    payout_account: PayoutAccount | None = None
    link_count: int = 0
    """Accounts linked over the case's life; numbers each link so a relink gets new transfer attempts."""
    incentives: list[Tranche] = field(default_factory=list)
    """The incentive schedule, created when the prerequisites are first met."""
    prerequisites_met_at: dt.datetime | None = None
    clawback: Clawback | None = None
    incentives_settled_at: dt.datetime | None = None
    """When the last tranche was paid, lapsed or stopped: the job-search period starts."""


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """Start (and continue-as-new) input of ``ParticipantWorkflow``."""

    case_id: str
    scheme_id: str
    state: CaseState | None = None
    generation: int = 0
    """The workflow code generation the run started in (``workflows.participant.generations.GENERATION``); 0 for
    runs started before generations existed, which ask ``workflow.patched`` for every change."""


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
    ability_test: tuple[TestAttempt, ...] = ()
    waves: tuple[WaveEntry, ...] = ()
    enrollment: Enrollment | None = None
    trainings: tuple[Training, ...] = ()
    balance: int = 0
    payout_account: PayoutAccount | None = None
    incentives: tuple[Tranche, ...] = ()
    clawback: Clawback | None = None
    notifications: tuple[Notification, ...] = ()
    """SMS and e-mail announcing this change, queued by the same local activity (not part of the row)."""


class Registration(StrEnum):
    """Claiming a NIK and an account for a new case (unique in PostgreSQL)."""

    REGISTERED = "REGISTERED"
    NIK_TAKEN = "NIK_TAKEN"
    ACCOUNT_TAKEN = "ACCOUNT_TAKEN"


@dataclass(frozen=True, slots=True)
class RegisterCaseResult:
    """What ``register_case`` found: registered, or the conflict that stopped it."""

    status: Registration


