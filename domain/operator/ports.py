"""Ports of the staff console: operator action requests (four-eyes) and the append-only audit log."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from domain.operator.actions import ActionRequest, AuditEntry, RequestStatus


class OperatorDesk(Protocol):
    async def create(self, req: ActionRequest) -> ActionRequest: ...

    async def get(self, request_id: str) -> ActionRequest | None: ...

    async def claim(self, request_id: str, approver: str, now: dt.datetime) -> ActionRequest | None:
        """Atomically approve a PENDING, unexpired request of someone else (status APPROVED, ``decided_by`` set),
        or return it again to the supervisor who already approved it (a retry); ``None`` otherwise."""
        ...

    async def finish(self, request_id: str, status: RequestStatus, result: str, at: dt.datetime) -> ActionRequest: ...

    async def reject(self, request_id: str, by: str, at: dt.datetime) -> ActionRequest | None:
        """Reject a pending, unexpired request; ``None`` when it is not pending any more."""
        ...

    async def pending(self, provinces: list[str] | None, now: dt.datetime) -> list[ActionRequest]: ...

    async def audit(self, entry: AuditEntry) -> None: ...

    async def audit_for_case(self, case_id: str) -> list[AuditEntry]: ...
