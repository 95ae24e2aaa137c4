"""Read-model writes for participant cases (run as local activities: short database writes)."""

from __future__ import annotations

from temporalio import activity

from activities.metrics import count
from domain.messages import CaseRecord, RegisterCaseResult, Registration
from domain.ports import CaseStore
from domain.training.ports import NotificationOutbox


class CaseActivities:
    def __init__(self, store: CaseStore, outbox: NotificationOutbox | None = None) -> None:
        self._store = store
        self._outbox = outbox

    @activity.defn
    async def register_case(self, record: CaseRecord) -> RegisterCaseResult:
        """Claim the NIK and the account for this case (unique in PostgreSQL, for ever)."""
        status = Registration(await self._store.register(record))
        count("prakerja_applications", "Applications received, by registration status.", status=status.value)
        if status is not Registration.REGISTERED:
            activity.logger.info("case registration refused: %s (case %s)", status, record.case_id[:12])
        return RegisterCaseResult(status=status)

    @activity.defn
    async def project_case(self, record: CaseRecord) -> bool:
        """Upsert the case's read-model row; stale versions are ignored. The notifications announcing the change
        are queued first (a retry finds them by their dedupe keys), in the same local activity: one round trip
        through the workflow task instead of two."""
        if record.notifications:
            assert self._outbox is not None, "notifications need the outbox"
            await self._outbox.add(record.notifications)
        return await self._store.project(record)
