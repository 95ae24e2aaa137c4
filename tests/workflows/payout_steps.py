"""A participant carried to a certificate on the time-skipping server, with the real PostgreSQL books and the
fake payment partner: the steps the payout tests share."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from temporalio.api.enums.v1 import EventType
from temporalio.service import RPCError

from activities import WorkerPorts
from adapters.db.marketplace import PgMarketplace
from adapters.db.outbox import PgOutbox
from adapters.db.payments import PgPaymentStore
from adapters.db.receivables import PgReceivableStore
from adapters.db.reconciliation import PgReconciliationStore
from adapters.db.training_ledger import PgTrainingLedger
from adapters.holiday_calendar import IndonesianCalendar
from adapters.payments.fake_partner import FakePaymentPartner
from adapters.question_bank import FileQuestionBank
from caseapi.shared.history import local_activity
from domain.application.form import ApplicationForm
from domain.case import Stage
from domain.messages import CaseState, ParticipantInput
from domain.payouts.tranches import PayoutAccount, Provider, Tranche, TrancheStatus, tranche_key
from domain.scheme import get_scheme
from domain.training.messages import CompletionRequest, OtpRequest, PurchaseRequest, RatingRequest, RedeemRequest
from domain.training.trainings import Course, Training, TrainingMode, TrainingStatus
from tests.fakes.case_store import MemoryCaseStore
from tests.fakes.unused import Unused
from tests.workflows.test_ability_test_deadline import _form
from worker import build_worker
from workflows.participant import ParticipantWorkflow
from workflows.participant.generations import GENERATION


@dataclass
class Trained:
    worker: Any
    handle: Any
    case_id: str
    account_id: str
    nik: str
    name: str
    voucher_code: str


def payout_worker(
    env: Any, engine: Any, partner: FakePaymentPartner, task_queue: str, case_store: Any = None, **extra: Any
) -> Any:
    return build_worker(
        env.client,
        task_queue=task_queue,
        ports=WorkerPorts(
            calendar=IndonesianCalendar(),
            complaints=Unused("complaints"),
            audit=Unused("audit"),
            case_store=case_store or MemoryCaseStore(),
            registries=[],
            question_bank=FileQuestionBank(),
            wave_store=Unused("wave_store"),
            selection=Unused("selection"),
            blind_key=b"k",
            training_ledger=PgTrainingLedger(engine),
            outbox=PgOutbox(engine),
            partner=partner,
            payments=PgPaymentStore(engine),
            receivables=PgReceivableStore(engine),
            reconciliation=PgReconciliationStore(engine),
        ),
        **extra,
    )


async def start_selected(
    env: Any,
    engine: Any,
    partner: FakePaymentPartner,
    person: Any,
    scheme_id: str,
    *,
    generation: int = GENERATION,
    case_store: Any = None,
) -> Trained:
    task_queue = f"tq-{uuid.uuid4().hex[:8]}"
    case_id = uuid.uuid4().hex
    form = _form(person)
    state = CaseState(
        case_id=case_id,
        scheme_id=scheme_id,
        account_id=f"acct-{case_id[:8]}",
        stage=Stage.SELECTED,
        application=form,
        applied_at=await env.get_current_time(),
        apply_request_id="req-00000001",
    )
    worker = payout_worker(env, engine, partner, task_queue, case_store)
    handle = await env.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(case_id, scheme_id, state, generation),
        id=f"participant-{case_id}",
        task_queue=task_queue,
    )
    STARTED.append(handle)
    return Trained(worker, handle, case_id, state.account_id or "", form.nik, form.full_name, "")


STARTED: list[Any] = []
"""Workflows started by a test. A test ends by terminating them: a later test's time skipping would otherwise
reach their timers with no worker polling, and the test server does not skip past a pending workflow task."""


async def terminate_started() -> list[str]:
    """Terminate the test's workflows; returns their case IDs."""
    cases = [h.id.removeprefix("participant-") for h in STARTED]
    while STARTED:
        handle = STARTED.pop()
        with contextlib.suppress(RPCError):  # already finished
            await handle.terminate("test finished")
    return cases


async def certify(env: Any, engine: Any, t: Trained) -> None:
    """Buy, redeem, complete and get the certificate (staff verify), inside a running worker."""
    await env.sleep(dt.timedelta(hours=1))  # enrolled
    price = min(1_000_000, get_scheme((await t.handle.query(ParticipantWorkflow.snapshot)).scheme_id).balance)
    course = Course(f"C-{t.case_id[:6]}", "Barista", "lpk-p", "dp-p", price, TrainingMode.SELF_PACED, "Kuliner")
    await t.handle.execute_update(ParticipantWorkflow.request_purchase_otp, OtpRequest("dp-p", course, price, "r"))
    [sms] = [n for n in await PgMarketplace(engine).notifications(t.case_id) if n.kind == "PURCHASE_OTP"]
    otp = re.search(r"\b(\d{6})\b", sms.body).group(1)  # type: ignore[union-attr]
    bought = await t.handle.execute_update(
        ParticipantWorkflow.purchase, PurchaseRequest(f"dp-p:{t.case_id}", "dp-p", course, price, otp)
    )
    await t.handle.execute_update(ParticipantWorkflow.redeem, RedeemRequest(bought.redeem_code, "lpk-p", 1, "a"))
    done = CompletionRequest(bought.voucher_code, "lpk-p")
    await t.handle.execute_update(ParticipantWorkflow.report_completion, done)
    await t.handle.execute_update(
        ParticipantWorkflow.confirm_completion, CompletionRequest(bought.voucher_code, "dp-p")
    )
    await t.handle.execute_update(
        ParticipantWorkflow.verify_completion, CompletionRequest(bought.voucher_code, "staff:x")
    )
    t.voucher_code = bought.voucher_code


async def rate(t: Trained) -> None:
    await t.handle.execute_update(
        ParticipantWorkflow.rate_training, RatingRequest(t.account_id, t.voucher_code, 5, "Bagus")
    )


async def open_wallet(partner: FakePaymentPartner, t: Trained, *, number: str | None = None, **kw: Any) -> str:
    number = number or f"08{int(t.case_id[:10], 16) % 10**10:010d}"
    await partner.open_account(Provider.OVO, number, t.nik, t.name, **kw)
    return number


async def payment_problems(engine: Any, case_ids: list[str]) -> list[str]:
    """Payment invariants over these cases: at most one PAID row per tranche, every PAID row is a transfer at the
    partner with the same amount, and the partner never paid a tranche twice."""
    problems: list[str] = []
    async with engine.connect() as conn:
        twice = (
            await conn.execute(
                text(
                    "SELECT tranche_key FROM payments WHERE status = 'PAID' AND case_id = ANY(:c) "
                    "GROUP BY tranche_key HAVING count(*) > 1"
                ),
                {"c": case_ids},
            )
        ).scalars()
        problems += [f"{k}: paid twice in payments" for k in twice]
        at_partner = (
            await conn.execute(
                text(
                    "SELECT split_part(key, '/', 1) AS tranche, count(*) FROM fake_partner_transfers "
                    "WHERE outcome = 'PAID' AND split_part(key, ':', 1) = ANY(:c) GROUP BY 1 HAVING count(*) > 1"
                ),
                {"c": case_ids},
            )
        ).all()
        problems += [f"{r.tranche}: {r.count} transfers at the partner" for r in at_partner]
        unmatched = (
            await conn.execute(
                text(
                    "SELECT p.key FROM payments p LEFT JOIN fake_partner_transfers f ON f.key = p.key "
                    "AND f.outcome = 'PAID' AND f.amount = p.amount "
                    "WHERE p.status = 'PAID' AND f.key IS NULL AND p.case_id = ANY(:c)"
                ),
                {"c": case_ids},
            )
        ).scalars()
        problems += [f"{k}: recorded PAID without the partner's transfer" for k in unmatched]
    return problems


def due_case(form: ApplicationForm, now: dt.datetime, scheme_id: str = "NORMAL_2023") -> CaseState:
    """A certified, rated participant with a linked account whose job-search incentive is due now."""
    case_id = uuid.uuid4().hex
    course = Course(f"C-{case_id[:6]}", "Barista", "lpk-k", "dp-k", 1_000_000, TrainingMode.SELF_PACED, "Kuliner")
    training = Training(
        "dp-k:1", "INV-1", "VCR-1", "RC1", course, 1_000_000, now, TrainingStatus.CERTIFIED,
        certificate_serial="PKJ/2026/1", certified_at=now, rating=5, rated_at=now,
    )  # fmt: skip
    return CaseState(
        case_id=case_id,
        scheme_id=scheme_id,
        account_id=f"acct-{case_id[:8]}",
        stage=Stage.TRAINING,
        application=form,
        applied_at=now,
        apply_request_id="req-1",
        trainings=[training],
        payout_account=PayoutAccount(Provider.BNI, "9" + case_id[:9].translate(str.maketrans("abcdef", "123456")),
                                     "B*** S***", 1, now),
        link_count=1,
        prerequisites_met_at=now,
        incentives=[
            Tranche(1, "JOB_SEARCH", 600_000, tranche_key(case_id, 1), TrancheStatus.PAYABLE, now),
            Tranche(2, "SURVEY", 50_000, tranche_key(case_id, 2), TrancheStatus.SCHEDULED, now + dt.timedelta(days=30)),
        ],
    )  # fmt: skip


async def until(predicate: Any, seconds: float, what: str) -> Any:
    """Poll ``predicate`` (an async callable) until it returns something truthy; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := await predicate():
            return value
        await asyncio.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def local_activities(history: Any) -> list[str | None]:
    """The activity type of each local activity a history recorded, in order."""
    return [local_activity(e) for e in history.events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]


def patch_markers(history: Any) -> int:
    """Patch markers plus ``TemporalChangeVersion`` upserts in a history."""
    markers = sum(
        e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == "core_patch"
        for e in history.events
    )
    upserts = sum(
        e.event_type == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES
        and "TemporalChangeVersion"
        in e.upsert_workflow_search_attributes_event_attributes.search_attributes.indexed_fields
        for e in history.events
    )
    return markers + upserts
