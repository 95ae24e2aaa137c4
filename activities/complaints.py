"""Complaints whose service level lapsed: handed to supervisors, and the hand-over audited."""

from __future__ import annotations

from temporalio import activity

from domain.operator.actions import AuditEntry
from domain.operator.complaints import ComplaintDesk, EscalateInput
from domain.operator.ports import OperatorDesk


class ComplaintActivities:
    def __init__(self, desk: ComplaintDesk, audit: OperatorDesk) -> None:
        self._desk = desk
        self._audit = audit

    @activity.defn
    async def escalate_complaint(self, inp: EscalateInput) -> bool:
        """Escalate if still unanswered; whether it was (a retry after the first escalation finds nothing to do)."""
        done = await self._desk.escalate(inp.complaint_id, inp.at)
        if done is None:
            return False
        await self._audit.audit(
            AuditEntry(
                at=inp.at,
                actor="system:timer",
                action="COMPLAINT_ESCALATED",
                case_id=done.case_id,
                reason_code="SLA_LAPSED",
                reason=f"unanswered at its service level ({done.category.value}, due {done.sla_due_at.isoformat()})",
                detail={"complaint": done.id},
            )
        )
        return True
