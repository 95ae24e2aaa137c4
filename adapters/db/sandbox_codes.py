"""The sandbox's PRAT- test codes in PostgreSQL (``domain.sandbox.SandboxCodes``), mixed into the partner API store."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.schedule_tables import sandbox_codes, sandbox_tasks
from adapters.db.unavailable import unavailable_on_db_loss
from domain.training.sandbox import PREFIX, TEST_CASES, SandboxCode
from domain.training.tasks import SkillsTask

_TASK = TypeAdapter(SkillsTask)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _code(row: Any) -> SandboxCode:
    return SandboxCode(
        row.redeem_code, row.provider_code, row.test_case, row.mode, row.sequence, row.redeemed_at, row.created_at
    )


class PgSandboxCodes:
    _engine: AsyncEngine

    @unavailable_on_db_loss
    async def issue_sandbox_codes(self, provider_code: str, at: dt.datetime) -> list[SandboxCode]:
        async with self._engine.begin() as conn:
            have = {
                r.test_case
                for r in await conn.execute(
                    select(sandbox_codes.c.test_case).where(sandbox_codes.c.provider_code == provider_code)
                )
            }
            for case, (mode, sequence) in TEST_CASES.items():
                if case not in have:
                    code = PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(8))
                    await conn.execute(
                        insert(sandbox_codes).values(
                            redeem_code=code,
                            provider_code=provider_code,
                            test_case=case,
                            mode=mode,
                            sequence=sequence,
                            created_at=at,
                        )
                    )
            rows = await conn.execute(
                select(sandbox_codes)
                .where(sandbox_codes.c.provider_code == provider_code)
                .order_by(sandbox_codes.c.test_case)
            )
            return [_code(r) for r in rows]

    @unavailable_on_db_loss
    async def sandbox_code(self, redeem_code: str) -> SandboxCode | None:
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(sandbox_codes).where(sandbox_codes.c.redeem_code == redeem_code.upper()))
            ).first()
        return None if row is None else _code(row)

    @unavailable_on_db_loss
    async def redeem_sandbox_code(self, redeem_code: str, at: dt.datetime) -> bool:
        async with self._engine.begin() as conn:
            done = await conn.execute(
                update(sandbox_codes)
                .where(sandbox_codes.c.redeem_code == redeem_code.upper(), sandbox_codes.c.redeemed_at.is_(None))
                .values(redeemed_at=at)
            )
        return done.rowcount == 1

    @unavailable_on_db_loss
    async def reset_sandbox_code(self, redeem_code: str) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(sandbox_codes).where(sandbox_codes.c.redeem_code == redeem_code.upper()).values(redeemed_at=None)
            )
            await conn.execute(delete(sandbox_tasks).where(sandbox_tasks.c.redeem_code == redeem_code.upper()))

    @unavailable_on_db_loss
    async def sandbox_task(self, redeem_code: str, sequence: int) -> SkillsTask | None:
        key = (sandbox_tasks.c.redeem_code == redeem_code.upper(), sandbox_tasks.c.sequence == sequence)
        async with self._engine.connect() as conn:
            data = (await conn.execute(select(sandbox_tasks.c.task).where(*key))).scalar()
        return None if data is None else _TASK.validate_python(data)

    @unavailable_on_db_loss
    async def save_sandbox_task(self, redeem_code: str, task: SkillsTask) -> None:
        data = _TASK.dump_python(task, mode="json")
        values = {"redeem_code": redeem_code.upper(), "sequence": task.sequence, "task": data}
        stmt = insert(sandbox_tasks).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[sandbox_tasks.c.redeem_code, sandbox_tasks.c.sequence], set_={"task": stmt.excluded.task}
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)
