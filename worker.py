"""Composition root of the worker: settings -> ports -> activities + workflows -> Temporal worker."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

import uvloop
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities import WorkerPorts, build_activities
from activities.payouts import FaultHook
from adapters.db.case_store import PgCaseStore
from adapters.db.complaints import PgComplaintDesk
from adapters.db.engine import make_engine, wait_until_reachable
from adapters.db.operator_desk import PgOperatorDesk
from adapters.db.outbox import PgOutbox
from adapters.db.payments import PgPaymentStore
from adapters.db.pii import pii_cipher
from adapters.db.programme_records import PgProgrammeRecords
from adapters.db.quality import pg_quality
from adapters.db.receivables import PgReceivableStore
from adapters.db.reconciliation import PgReconciliationStore
from adapters.db.selection import PgSelection
from adapters.db.training_ledger import PgTrainingLedger
from adapters.db.waves import PgWaveStore
from adapters.db.what_if import PgWhatIfDesk
from adapters.fault_injection import kill_switch, workflow_killers
from adapters.holiday_calendar import IndonesianCalendar
from adapters.notify.dispatcher import OutboxDispatcher
from adapters.question_bank import FileQuestionBank
from adapters.search_attributes import ensure_search_attributes
from adapters.telemetry import instrument_engine, setup_logging, setup_telemetry
from adapters.temporal import connect_client, observed_runtime
from adapters.worker_health import WorkerHealth, serve_health
from domain.application.registries import RegistryPort
from domain.payouts.ports import PaymentPartner
from domain.training.ports import NotificationSender
from settings import Settings
from workflows import ALL_WORKFLOWS
from workflows.search_attributes import ALL_SEARCH_ATTRIBUTES


def workflow_runner(*, sandboxed: bool = True) -> WorkflowRunner:
    """The sandbox with the pure domain passed through, or none.

    Tests always run workflows in the sandbox. Production runs without it by default: re-creating the
    sandbox compiled the workflow module for every new run and cost ~25% of worker CPU (bench/intake.py).
    Determinism is then guarded by the sandboxed test suite, the replay corpus, import-linter and ruff's
    banned-API rule for ``workflows/`` (no clock, randomness or I/O modules).
    """
    if not sandboxed:
        return UnsandboxedWorkflowRunner()
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(
            "domain", "lokal", "pydantic", "adapters.payloads"
        )
    )


def build_worker(
    client: Client,
    *,
    task_queue: str,
    ports: WorkerPorts,
    fault_hook: FaultHook | None = None,
    drill_point: str = "",
    sandboxed: bool = True,
    remote_activities: bool = True,
    health: WorkerHealth | None = None,
) -> Worker:
    """The worker over injected ports; tests call this with the same ports or fakes. With ``remote_activities``
    off it runs workflows and their local activities only, and ``activity_worker`` runs the others."""
    runner = workflow_runner(sandboxed=sandboxed)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=ALL_WORKFLOWS,
        no_remote_activities=not remote_activities,
        activities=build_activities(ports, fault_hook=fault_hook),
        workflow_runner=health.runner(runner) if health else runner,
        interceptors=[*workflow_killers(drill_point), *(health.interceptors() if health else [])],
        max_concurrent_activities=20,
        max_concurrent_local_activities=20,
        # Few workflow tasks in the worker at once, the rest wait in the server's queue: with the default 100,
        # a burst kept up to 100 started tasks waiting on this one event loop (p50 8 s, p90 26 s under the
        # lifecycle benchmark), so they ran into the 10 s task timeout and were done again.
        max_concurrent_workflow_tasks=16,
        # Every live case stays cached: at the default 1,000 a 2,000-participant run evicted workflows that were
        # still moving, and each eviction cost a replay of the whole history (worker 0.55 core-s per lifecycle
        # instead of 0.38 at 400 participants). ~0.2 MiB each.
        max_cached_workflows=4000,
        graceful_shutdown_timeout=timedelta(seconds=5),
        # A new run's first task can be routed to this worker's sticky queue right after continue-as-new
        # while its cache holds nothing to poll it for: fall back to the shared queue within an update's time
        # (10 s). Not 2 s: with the workflow-task slots full, tasks wait longer than that for a slot, and each
        # sticky timeout sent the task to the shared queue with its whole history (a cascade under load).
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=5),
    )


def activity_worker(workflow_worker: Worker) -> Worker:
    """The same task queue's (remote) activities in their own worker. Sharing one poller with the local
    activities, they lost it to them under load: payouts waited 10-15 s in the server's backlog on average
    (lifecycle benchmark) while every activity slot was free."""
    config = workflow_worker.config()
    return Worker(
        config["client"],
        task_queue=config["task_queue"],
        activities=config["activities"],
        interceptors=config["interceptors"],
        max_concurrent_activities=config["max_concurrent_activities"],
        graceful_shutdown_timeout=config["graceful_shutdown_timeout"],
    )


def build_registries(settings: Settings, engine: AsyncEngine) -> list[RegistryPort]:
    """The government registries behind validation, chosen by ``REGISTRY_MODE``."""
    own: list[RegistryPort] = [PgProgrammeRecords(engine)]
    if settings.registry_mode == "fake":
        from adapters.registries.fake import fake_registries
        from adapters.registries.population import Population

        population = Population.generate(settings.population_seed, settings.population_size)
        low, high = settings.fake_registry_latency_ms
        return own + list(
            fake_registries(population, latency=(low / 1000, high / 1000), error_rate=settings.fake_registry_error_rate)
        )
    raise RuntimeError(
        f"REGISTRY_MODE={settings.registry_mode!r}: only 'fake' adapters ship today; "
        "an HTTP adapter implements domain.registries.RegistryPort and is added here."
    )


def build_sender(settings: Settings) -> NotificationSender:
    """The SMS / e-mail gateway, chosen by ``NOTIFY_MODE``."""
    if settings.notify_mode == "fake":
        from adapters.notify.fake_gateway import FakeSmsGateway

        return FakeSmsGateway()
    raise RuntimeError(
        f"NOTIFY_MODE={settings.notify_mode!r}: only the 'fake' gateway ships today; "
        "a real one implements domain.market_ports.NotificationSender and is added here."
    )


async def build_partner(settings: Settings, engine: AsyncEngine) -> PaymentPartner:
    """The banks and e-wallets incentives are paid through, chosen by ``PAYMENT_MODE``."""
    if settings.payment_mode == "fake":
        from adapters.payments.fake_partner import FakePaymentPartner

        later = settings.fake_payment_settle_ms
        fake = FakePaymentPartner(
            engine,
            random_failure_rate=settings.fake_payment_failure_rate,
            settle_after=(later[0] / 1000, later[1] / 1000) if later else None,
        )
        await fake.ensure_schema()
        return fake
    raise RuntimeError(
        f"PAYMENT_MODE={settings.payment_mode!r}: only the 'fake' partner ships today; "
        "a real one implements domain.payout_ports.PaymentPartner and is added here."
    )


async def worker_ports(settings: Settings, engine: AsyncEngine) -> WorkerPorts:
    """The worker's adapters, chosen by settings: the one place the port list is filled in."""
    key = settings.blind_index_key.reveal().encode()
    store = PgCaseStore(engine, blind_key=key, cipher=pii_cipher(settings))
    return WorkerPorts(
        case_store=store,
        registries=build_registries(settings, engine),
        question_bank=FileQuestionBank(),
        wave_store=PgWaveStore(engine),
        selection=PgSelection(engine),
        blind_key=key,
        training_ledger=PgTrainingLedger(engine),
        outbox=PgOutbox(engine),
        partner=await build_partner(settings, engine),
        payments=PgPaymentStore(engine),
        receivables=PgReceivableStore(engine),
        reconciliation=PgReconciliationStore(engine),
        calendar=IndonesianCalendar(),
        complaints=PgComplaintDesk(engine),
        audit=PgOperatorDesk(engine),
        what_ifs=PgWhatIfDesk(engine),
        quality=pg_quality(engine),
        case_reader=store,
        wave_fanout=settings.wave_fanout,
    )


async def ensure_reconciliation_schedule(client: Client, task_queue: str) -> None:
    """The daily reconciliation as a Temporal Schedule (01:00 WIB, yesterday's statement); created once."""
    from temporalio.client import Schedule, ScheduleActionStartWorkflow, ScheduleAlreadyRunningError, ScheduleSpec

    from workflows.reconciliation import SCHEDULE_ID, ReconciliationWorkflow

    schedule = Schedule(
        action=ScheduleActionStartWorkflow(ReconciliationWorkflow.run, id=SCHEDULE_ID, task_queue=task_queue),
        spec=ScheduleSpec(cron_expressions=["0 1 * * *"], time_zone_name="Asia/Jakarta"),
    )
    try:
        await client.create_schedule(SCHEDULE_ID, schedule)
    except ScheduleAlreadyRunningError:
        pass


async def run(settings: Settings) -> None:
    telemetry = setup_telemetry("prakerja-worker", settings.otel_traces)
    engine = make_engine(settings.database_url, pool_size=15, max_overflow=5, pooler=settings.database_pooler)
    if telemetry.tracer_provider or telemetry.meter_provider:  # SQL spans under the activity's; pool usage
        instrument_engine(engine, tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider)
    await wait_until_reachable(engine)
    runtime = observed_runtime(settings.metrics_bind, telemetry.otlp_metrics_endpoint)
    client = await connect_client(settings, runtime=runtime, tracer_provider=telemetry.tracer_provider)
    if settings.metrics_bind:
        logging.info("metrics on http://%s/metrics", settings.metrics_bind)
    health = WorkerHealth(settings.task_queue)
    worker = build_worker(
        client,
        task_queue=settings.task_queue,
        ports=await worker_ports(settings, engine),
        fault_hook=kill_switch(settings.drill_kill_at),
        drill_point=settings.drill_kill_at,
        sandboxed=settings.workflow_sandbox,
        remote_activities=False,
        health=health,
    )
    await ensure_search_attributes(client, ALL_SEARCH_ATTRIBUTES)  # or logs the command an operator must run
    await ensure_reconciliation_schedule(client, settings.task_queue)
    dispatcher = OutboxDispatcher(PgOutbox(engine), build_sender(settings))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker, activity_worker(worker) as activities:
        health.watch(worker, activities)
        probe = await serve_health(settings.worker_health_bind, health) if settings.worker_health_bind else None
        logging.info("worker polling task queue %s", settings.task_queue)
        sending = asyncio.create_task(dispatcher.run(stop))
        await stop.wait()
        await sending
        if probe is not None:
            probe.close()
    await engine.dispose()
    telemetry.shutdown()  # flush the last spans and metric points


if __name__ == "__main__":
    setup_logging()
    uvloop.run(run(Settings.from_env()))
