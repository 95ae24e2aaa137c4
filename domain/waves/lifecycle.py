"""Waves (gelombang): lifecycle, participation, and what participants see of the outcome (selection is automatic and
random within province quotas, announced on the dashboard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.training.messages import EnrollResult


class WaveStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    """Joiners frozen; selection running."""
    SELECTED = "SELECTED"
    """Results written and the seed revealed; participants are being notified."""
    ANNOUNCED = "ANNOUNCED"
    """Every joiner's workflow has been told."""


@dataclass(frozen=True, slots=True)
class WaveEntry:
    """One wave a participant joined, and what came of it (the dashboard's 'Riwayat Gelombang')."""

    wave_id: str
    joined_at: dt.datetime
    outcome: str | None = None
    """``SELECTED`` / ``NOT_SELECTED`` once decided."""
    reason: str | None = None
    """A reason code from ``domain.selection`` (``SELECTED_LOTTERY``, ``NOT_SELECTED_QUOTA``…)."""
    decided_at: dt.datetime | None = None


REASON_TEXT = {
    "SELECTED_PRIORITY": "Selected: you were in a priority cohort proposed by a ministry.",
    "SELECTED_LOTTERY": "Selected by the wave's lottery within your province's quota.",
    "SELECTED_REDISTRIBUTION": "Selected from the national pool of unused provincial places, in lottery order.",
    "NOT_SELECTED_QUOTA": "Not selected: your province's quota was filled by the lottery. Join a later wave.",
    "NOT_SELECTED_HOUSEHOLD": "Not selected: your family card (KK) already has the maximum number of recipients.",
    "NOT_SELECTED_BLACKLISTED": "Not selected: this NIK is blacklisted from the programme.",
    "NOT_SELECTED_ALREADY_RECIPIENT": "Not selected: this NIK is already a programme recipient.",
}


def reason_text(code: str | None) -> str:
    return REASON_TEXT.get(code or "", code or "")


@dataclass(frozen=True, slots=True)
class JoinWaveRequest:
    """Update payload of ``ParticipantWorkflow.join_wave``."""

    account_id: str
    wave_id: str


@dataclass(frozen=True, slots=True)
class RegisterJoinerInput:
    wave_id: str
    case_id: str
    province_code: str
    kk_number: str
    wake_all: bool = True
    """The wave's fan-out wakes this joiner whatever its result; false (generation 3): only if selected, the
    others read their result at their next interaction."""


class JoinOutcome(StrEnum):
    """Registering a joiner of a wave; the last three are refusals (codes of ``ErrorCode``)."""

    JOINED = "JOINED"
    ALREADY_JOINED = "ALREADY_JOINED"
    WAVE_NOT_FOUND = "WAVE_NOT_FOUND"
    WAVE_NOT_OPEN = "WAVE_NOT_OPEN"
    WRONG_PROVINCE = "WRONG_PROVINCE"


@dataclass(frozen=True, slots=True)
class RegisterJoinerResult:
    status: JoinOutcome
    joined_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class WaveResultInput:
    wave_id: str
    case_id: str


@dataclass(frozen=True, slots=True)
class WaveResult:
    """One participant's outcome, read from PostgreSQL by their own workflow."""

    decided: bool
    selected: bool = False
    reason: str | None = None
    decided_at: dt.datetime | None = None
    """When the wave was decided (the time every joiner's case shows for its result)."""


@dataclass(frozen=True, slots=True)
class WaveInput:
    """Start (and continue-as-new) input of ``WaveWorkflow``."""

    wave_id: str
    scheme_id: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    status: WaveStatus = WaveStatus.SCHEDULED
    fanout_cursor: str = ""
    """Last case_id notified (fan-out resumes after it)."""
    notified: int = 0


@dataclass(frozen=True, slots=True)
class CloseWaveRequest:
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class ExtendWaveRequest:
    actor: str
    reason: str
    closes_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NotifyPageInput:
    wave_id: str
    after_case_id: str
    page_size: int


@dataclass(frozen=True, slots=True)
class NotifyPageResult:
    notified: int
    last_case_id: str
    done: bool


@dataclass(frozen=True, slots=True)
class WaveTransition:
    """Activity input to record a wave's status change (and publish the seed commitment at open)."""

    wave_id: str
    status: WaveStatus
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class WaveDecided:
    """Signal to a participant workflow: read your own result of this wave."""

    wave_id: str
    result: WaveResult | None = None
    """Generation 3: the joiner's result itself (the woken case need not read it)."""
    card: EnrollResult | None = None
    """Generation 3: a selected joiner's card and credit, issued by the selection (the case records them)."""


@dataclass(frozen=True, slots=True)
class SelectionOutcome:
    selected: int
    digest: str


@dataclass(frozen=True, slots=True)
class WaveCloseInput:
    wave_id: str
    actor: str
    reason: str


@dataclass(frozen=True, slots=True)
class WaveExtendInput:
    wave_id: str
    actor: str
    reason: str
    closes_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RunSelectionInput:
    wave_id: str
    max_per_kk: int
