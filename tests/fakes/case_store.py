"""In-memory ``CaseStore`` for workflow tests that run without PostgreSQL."""

from __future__ import annotations

from domain.messages import CaseRecord


class MemoryCaseStore:
    def __init__(self) -> None:
        self.rows: dict[str, CaseRecord] = {}
        self.accounts: dict[str, str] = {}

    async def register(self, record: CaseRecord) -> str:
        owner = self.accounts.get(record.account_id)
        existing = self.rows.get(record.case_id)
        if existing is not None:
            return "REGISTERED" if existing.account_id == record.account_id else "NIK_TAKEN"
        if owner is not None and owner != record.case_id:
            return "ACCOUNT_TAKEN"
        self.rows[record.case_id] = record
        self.accounts[record.account_id] = record.case_id
        return "REGISTERED"

    async def project(self, record: CaseRecord) -> bool:
        current = self.rows.get(record.case_id)
        if current is not None and current.version > record.version:
            return False
        self.rows[record.case_id] = record
        return True
