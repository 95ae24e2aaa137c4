"""Exactly-once payouts when the worker dies: a real worker process (``python worker.py``) is SIGKILLed at a
payment's two dangerous points, then a fresh worker finishes the job. Each time the partner moved money once.

- ``after_claim``: the ``payments`` row is committed, the partner has not been called.
- ``after_transfer``: the partner committed the transfer, the programme never heard back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from adapters.db.payments import PgPaymentStore
from domain.messages import ParticipantInput
from domain.payouts.ports import PaymentStatus
from domain.payouts.tranches import TrancheStatus
from tests.integration.helpers import clean_people
from tests.workflows.payout_steps import due_case, payment_problems, until
from tests.workflows.test_ability_test_deadline import _form
from workflows.participant import ParticipantWorkflow

ROOT = Path(__file__).resolve().parents[2]


def _worker(stack, task_queue: str, kill_at: str = "") -> subprocess.Popen[bytes]:
    s = stack.settings
    env = {
        **os.environ,
        "DATABASE_URL": s.database_url,
        "TEMPORAL_ADDRESS": s.temporal_address,
        "CASE_HMAC_KEY": s.blind_index_key.reveal(),
        "JWT_SECRET": s.jwt_secret.reveal(),
        "TASK_QUEUE": task_queue,
        "POPULATION_SIZE": "500",
        "FAKE_PAYMENT_FAILURE_RATE": "0",
        "DRILL_KILL_AT": kill_at,
        "PAYLOAD_KEYS": s.payload_keys.reveal() if s.payload_keys else "",
        "PAYLOAD_ACTIVE_KEY": s.payload_active_key,
        "PII_KEYS": s.pii_keys.reveal(),
        "PII_ACTIVE_KEY": s.pii_active_key,
    }
    return subprocess.Popen(
        [sys.executable, "worker.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


@pytest.mark.timeout(150)
@pytest.mark.parametrize("kill_at", ["after_claim", "after_transfer"])
async def test_a_worker_killed_mid_payment_never_pays_twice(stack, kill_at):
    person = clean_people(stack.population)[300 + (kill_at == "after_transfer")]
    state = due_case(_form(person), dt.datetime.now(dt.UTC))
    case_id = state.case_id
    account = state.payout_account
    await stack.partner.open_account(account.provider, account.account_number, person.nik, person.full_name)
    task_queue = f"kill-{uuid.uuid4().hex[:8]}"
    handle = await stack.client.start_workflow(
        ParticipantWorkflow.run,
        ParticipantInput(case_id, "NORMAL_2023", state),
        id=f"participant-{case_id}",
        task_queue=task_queue,
    )
    payments = PgPaymentStore(stack.engine)
    doomed = _worker(stack, task_queue, kill_at)
    try:
        out, _ = await asyncio.to_thread(doomed.communicate, timeout=90)
        assert doomed.returncode == -signal.SIGKILL, out.decode(errors="replace")[-2000:]
        [row] = await payments.for_case(case_id)
        assert row.status is PaymentStatus.PENDING and row.attempt == 1
        transfers = await stack.partner.transfers(key_prefix=f"{case_id}:")
        assert len(transfers) == (1 if kill_at == "after_transfer" else 0)

        survivor = _worker(stack, task_queue)
        try:

            async def paid():
                rows = await payments.for_case(case_id)
                return rows if rows and rows[0].status is PaymentStatus.PAID else None

            [row] = await until(paid, 60, "the payment to settle")
            state = await handle.query(ParticipantWorkflow.snapshot)
            assert state.incentives[0].status is TrancheStatus.PAID
            assert state.incentives[0].partner_ref == row.partner_ref
            [transfer] = await stack.partner.transfers(key_prefix=f"{case_id}:")
            assert (transfer.key, transfer.amount) == (row.key, 600_000)
        finally:
            survivor.send_signal(signal.SIGTERM)
            await asyncio.to_thread(survivor.communicate, timeout=30)
    finally:
        if doomed.poll() is None:
            doomed.kill()
        await handle.terminate("drill finished")
    assert await payment_problems(stack.engine, [case_id]) == []
