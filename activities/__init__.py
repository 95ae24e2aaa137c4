"""Thin activities over ports. ``WorkerPorts`` is the worker's one bundle of dependencies, built once by its
composition root (``worker.py``) or a test; ``build_activities`` turns it into the registered activities."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from activities.ability_test import AbilityTestActivities
from activities.calendar import CalendarActivities
from activities.cases import CaseActivities
from activities.complaints import ComplaintActivities
from activities.payouts import FaultHook, PayoutActivities
from activities.quality import QualityActivities
from activities.training import TrainingActivities
from activities.validation import ValidationActivities
from activities.wave_enrolment import BulkEnrolment, CaseRows
from activities.waves import WaveActivities
from activities.what_if import WhatIfActivities
from domain.ability_test.ports import QuestionBankSource
from domain.application.registries import RegistryPort
from domain.operator.complaints import ComplaintDesk
from domain.operator.ports import OperatorDesk
from domain.payouts.ports import PaymentPartner, PaymentStore, ReceivableStore, ReconciliationStore
from domain.ports import CaseStore
from domain.quality.ports import QualityPorts
from domain.training.ports import NotificationOutbox, TrainingLedger
from domain.waves.ports import SelectionEngine, WaveStore
from domain.waves.what_if_ports import WhatIfDesk
from domain.working_days import WorkingCalendar


@dataclass(frozen=True, slots=True)
class WorkerPorts:
    """Everything the worker's activities reach the outside world through."""

    case_store: CaseStore
    registries: list[RegistryPort]
    question_bank: QuestionBankSource
    wave_store: WaveStore
    selection: SelectionEngine
    blind_key: bytes
    """Keys the NIK and KK HMACs (case IDs, household index) and the purchase OTPs."""
    training_ledger: TrainingLedger
    outbox: NotificationOutbox
    partner: PaymentPartner
    payments: PaymentStore
    receivables: ReceivableStore
    reconciliation: ReconciliationStore
    calendar: WorkingCalendar
    """Public holidays and cuti bersama, for working-day service levels."""
    complaints: ComplaintDesk
    audit: OperatorDesk
    """The append-only audit log (escalations are audited)."""
    what_ifs: WhatIfDesk | None = None
    """Policy makers' what-ifs of decided waves (their activities are registered only with it)."""
    quality: QualityPorts | None = None
    """Course reviews and the quality bodies (the course review workflow's steps); absent in stage-only tests."""
    case_reader: CaseRows | None = None
    """The read model's read side (the same store): the wave's fan-out writes the selected's enrolled rows from it."""
    wave_fanout: str = "signals"
    """How a wave's fan-out wakes the selected: ``signals`` (paged, one by one) or ``batch`` (a batch operation)."""


def build_activities(ports: WorkerPorts, *, fault_hook: FaultHook | None = None) -> list[Callable[..., Any]]:
    cases = CaseActivities(ports.case_store, ports.outbox)
    # Short per-registry budget: the check runs inside the apply's workflow task (local activity); a slower
    # registry is recorded as pending and asked again on a durable timer.
    validation = ValidationActivities(ports.registries, blind_key=ports.blind_key, call_timeout=3.0)
    tests = AbilityTestActivities(ports.question_bank)
    bulk = BulkEnrolment(ports.case_reader, ports.outbox) if ports.case_reader else None
    waves = WaveActivities(
        ports.wave_store, ports.selection, blind_key=ports.blind_key, fanout=ports.wave_fanout, enrolment=bulk
    )
    otp_key = hmac.new(ports.blind_key, b"purchase-otp", hashlib.sha256).digest()
    training = TrainingActivities(ports.training_ledger, ports.outbox, otp_key=otp_key)
    payouts = PayoutActivities(
        ports.partner, ports.payments, ports.receivables, ports.reconciliation, fault_hook=fault_hook
    )
    calendar = CalendarActivities(ports.calendar)
    complaints = ComplaintActivities(ports.complaints, ports.audit)
    what_ifs = WhatIfActivities(ports.what_ifs) if ports.what_ifs is not None else None
    quality = QualityActivities(ports.quality.reviews, ports.quality.bodies) if ports.quality else None
    reviews = [] if quality is None else [
        quality.assign_assessor, quality.open_review_layer, quality.escalate_review_layer,
        quality.record_review_decision,
    ]  # fmt: skip
    return [
        *reviews,
        *((what_ifs.run_what_if, what_ifs.fail_what_if) if what_ifs else ()),
        calendar.working_days_after,
        complaints.escalate_complaint,
        cases.register_case,
        cases.project_case,
        validation.check_registries,
        tests.draw_ability_test,
        tests.score_ability_test,
        waves.register_joiner,
        waves.wave_result,
        waves.open_wave,
        waves.close_wave,
        waves.extend_wave,
        waves.run_selection,
        waves.notify_joiners,
        waves.mark_announced,
        training.enroll,
        training.issue_otp,
        training.record_purchase,
        training.cancel_voucher,
        training.revoke_card,
        training.reinstate_card,
        training.issue_certificate,
        training.notify,
        payouts.check_account,
        payouts.pay_tranche,
        payouts.check_transfer,
        payouts.open_receivable,
        payouts.record_repayment,
        payouts.set_receivable_status,
        payouts.reconcile,
    ]
