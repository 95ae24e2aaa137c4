"""A fake bank / e-wallet partner that behaves like a real one, its books kept in PostgreSQL.

The partner's accounts and transfers live in its own tables (created by ``ensure_schema``; they are the
partner's system, not the programme's, so no migration owns them). Every worker process, and a worker restarted
after a crash, sees the same books: a transfer is recorded once per key, whoever asks and however often.

Faults: each call costs a random latency; ``timeout_rate`` loses the call before the partner commits,
``commit_then_timeout_rate`` loses the answer after it committed, ``random_failure_rate`` rejects with
``TRANSFER_FAILED``. ``script`` queues faults for the next transfers to one account, for tests.

``settle_after`` (seconds, low and high) makes it asynchronous (:mod:`adapters.payments.async_settlement`): a
transfer is accepted as ``PENDING`` and settles that much later.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections import defaultdict, deque
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.unavailable import on_db_loss
from adapters.payments.async_settlement import settle_if_due
from adapters.payments.partner_books import (
    DDL,
    PartnerTransfer,
    mask_name,
    new_partner_ref,
    nik_hash,
    partner_accounts,
    partner_transfers,
    result_of,
    transfer_of,
)
from adapters.payments.partner_books import account_row as _account
from adapters.payments.partner_books import transfer_row as _stored
from domain.clock import WIB
from domain.payouts.ports import (
    AccountCheck,
    AccountVerdict,
    PartnerUnavailable,
    StatementLine,
    TransferOutcome,
    TransferRequest,
    TransferResult,
)
from domain.payouts.tranches import Provider

FAULTS = ("TIMEOUT", "COMMIT_THEN_TIMEOUT", "FAIL")
_SCHEMA_LOCK = 0x50_41_59_4F_55_54
"""``pg_advisory_xact_lock`` key serialising ``ensure_schema`` across processes."""
_unavailable_on_db_loss = on_db_loss(lambda exc: PartnerUnavailable(f"partner unreachable ({type(exc).__name__})"))
"""The partner's own database failing looks, from outside, like the partner being unreachable."""


class FakePaymentPartner:
    """Implements ``domain.payout_ports.PaymentPartner``; also the partner's back office for tests and demos."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        latency: tuple[float, float] = (0.005, 0.03),
        random_failure_rate: float = 0.0,
        timeout_rate: float = 0.0,
        commit_then_timeout_rate: float = 0.0,
        seed: int | None = None,
        settle_after: tuple[float, float] | None = None,
    ) -> None:
        if not 0 <= latency[0] <= latency[1]:
            raise ValueError("latency must be (low, high) with 0 <= low <= high")
        if not all(0.0 <= r <= 1.0 for r in (random_failure_rate, timeout_rate, commit_then_timeout_rate)):
            raise ValueError("failure, timeout and commit-then-timeout rates must be within [0, 1]")
        self._engine = engine
        self._single = autocommit(engine)  # one-statement reads: no BEGIN/ROLLBACK round trips
        self.latency = latency
        self.random_failure_rate = random_failure_rate
        self.timeout_rate = timeout_rate
        self.commit_then_timeout_rate = commit_then_timeout_rate
        self._rng = random.Random(seed)
        self._scripts: dict[str, deque[str]] = defaultdict(deque)
        self._schema_ready = False
        self.settle_after = settle_after

    async def ensure_schema(self) -> None:
        """Create the partner's tables if missing; safe to call from several processes at once."""
        if self._schema_ready:
            return
        async with self._engine.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SCHEMA_LOCK})
            for ddl in DDL:
                await conn.execute(text(ddl))
        self._schema_ready = True

    async def _delay(self) -> None:
        low, high = self.latency
        if high > 0:
            await asyncio.sleep(self._rng.uniform(low, high))

    # -- the partner's API (the port) ---------------------------------------------------------------------------

    @_unavailable_on_db_loss
    async def check_account(self, provider: Provider, account_number: str, nik: str) -> AccountCheck:
        await self.ensure_schema()
        await self._delay()
        async with self._single.connect() as conn:
            account = await _account(conn, provider, account_number)
        if account is None:
            return AccountCheck(AccountVerdict.NOT_FOUND)
        if account.closed:
            return AccountCheck(AccountVerdict.CLOSED)
        if account.nik_hash != nik_hash(nik):
            return AccountCheck(AccountVerdict.NIK_MISMATCH)
        if not account.kyc_verified:
            return AccountCheck(AccountVerdict.KYC_NOT_VERIFIED, mask_name(account.holder_name))
        return AccountCheck(AccountVerdict.OK, mask_name(account.holder_name))

    @_unavailable_on_db_loss
    async def transfer(self, req: TransferRequest) -> TransferResult:
        await self.ensure_schema()
        scripted = self._scripts[req.account_number].popleft() if self._scripts.get(req.account_number) else None
        lost_before = scripted == "TIMEOUT" or self._rng.random() < self.timeout_rate
        lost_after = scripted == "COMMIT_THEN_TIMEOUT" or self._rng.random() < self.commit_then_timeout_rate
        fails = scripted == "FAIL" or self._rng.random() < self.random_failure_rate
        await self._delay()
        if lost_before:
            raise PartnerUnavailable(f"transfer {req.key}: timed out before the partner committed (simulated)")
        async with self._engine.begin() as conn:
            stored = await _stored(conn, req.key)
            if stored is None:
                stored = await self._book(conn, req, fails)
            stored = await settle_if_due(conn, stored)
        if lost_after:
            raise PartnerUnavailable(f"transfer {req.key}: the answer was lost after the partner committed (simulated)")
        return result_of(stored)

    async def _book(self, conn: AsyncConnection, req: TransferRequest, fails: bool) -> Any:
        """Decide and record a new transfer; a concurrent call with the same key may win, then its row stands."""
        account = await _account(conn, req.provider, req.account_number)
        code: str | None = None
        if req.amount <= 0:
            code = "INVALID_AMOUNT"
        elif account is None:
            code = "ACCOUNT_NOT_FOUND"
        elif account.closed:
            code = "ACCOUNT_CLOSED"
        elif account.nik_hash != nik_hash(req.nik):
            code = "NIK_MISMATCH"
        elif not account.kyc_verified:
            code = "KYC_NOT_VERIFIED"
        elif fails:
            code = "TRANSFER_FAILED"
        outcome = TransferOutcome.PAID if code is None else TransferOutcome.REJECTED
        now, later = dt.datetime.now(dt.UTC), self.settle_after
        decided: dict[str, Any] = {"outcome": outcome.value, "code": code}
        if later is not None:  # accepted now, settled at ``settle_at`` to what is decided now
            wait = dt.timedelta(seconds=self._rng.uniform(*later))
            decided = {"outcome": "PENDING", "final_outcome": outcome.value, "final_code": code}
            decided["settle_at"] = now + wait
        booked = await conn.execute(
            insert(partner_transfers)
            .values(
                key=req.key,
                provider=Provider(req.provider).value,
                account_number=req.account_number,
                amount=req.amount,
                partner_ref=new_partner_ref() if code is None and later is None else None,
                at=now,
                **decided,
            )
            .on_conflict_do_nothing(index_elements=[partner_transfers.c.key])
            .returning(partner_transfers)
        )
        stored = booked.first() or await _stored(conn, req.key)
        assert stored is not None
        return stored

    @_unavailable_on_db_loss
    async def transfer_status(self, key: str) -> TransferResult | None:
        await self.ensure_schema()
        await self._delay()
        async with self._single.connect() as conn:
            stored = await _stored(conn, key)
            if stored is not None:
                stored = await settle_if_due(conn, stored)
        return result_of(stored) if stored is not None else None

    @_unavailable_on_db_loss
    async def statement(self, day: dt.date) -> list[StatementLine]:
        await self.ensure_schema()
        start = dt.datetime.combine(day, dt.time(), tzinfo=WIB)
        stmt = (
            select(partner_transfers)
            .where(
                partner_transfers.c.outcome == TransferOutcome.PAID.value,
                partner_transfers.c.at >= start,
                partner_transfers.c.at < start + dt.timedelta(days=1),
            )
            .order_by(partner_transfers.c.at, partner_transfers.c.key)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [
            StatementLine(r.key, r.partner_ref, Provider(r.provider), r.account_number, int(r.amount), r.at)
            for r in rows
        ]

    # -- the partner's back office (tests and demos) -------------------------------------------------------------

    async def open_account(
        self, provider: Provider, account_number: str, nik: str, holder_name: str, *, kyc_verified: bool = True
    ) -> None:
        """The person opened (or reopened) this account at the partner."""
        await self.ensure_schema()
        values = {
            "nik_hash": nik_hash(nik),
            "holder_name": holder_name,
            "kyc_verified": kyc_verified,
            "closed": False,
        }
        stmt = insert(partner_accounts).values(
            provider=Provider(provider).value, account_number=account_number, **values
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[partner_accounts.c.provider, partner_accounts.c.account_number], set_=values
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    async def close_account(self, provider: Provider, account_number: str) -> None:
        await self._change_account(provider, account_number, closed=True)

    async def verify_kyc(self, provider: Provider, account_number: str) -> None:
        """The holder completed KYC (upgraded to premium) at the bank or e-wallet."""
        await self._change_account(provider, account_number, kyc_verified=True)

    async def reassign_account(self, provider: Provider, account_number: str, nik: str, holder_name: str) -> None:
        """The (e-wallet) number now belongs to someone else: transfers for the old holder's NIK are refused."""
        await self._change_account(provider, account_number, nik_hash=nik_hash(nik), holder_name=holder_name)

    async def _change_account(self, provider: Provider, account_number: str, **values: Any) -> None:
        await self.ensure_schema()
        stmt = (
            update(partner_accounts)
            .where(
                partner_accounts.c.provider == Provider(provider).value,
                partner_accounts.c.account_number == account_number,
            )
            .values(**values)
            .returning(partner_accounts.c.account_number)
        )
        async with self._engine.begin() as conn:
            if (await conn.execute(stmt)).first() is None:
                raise LookupError(f"no account {provider} {account_number}")

    async def transfers(self, key_prefix: str | None = None) -> list[PartnerTransfer]:
        """Every transfer the partner recorded (paid or rejected), oldest first."""
        await self.ensure_schema()
        stmt = select(partner_transfers)
        if key_prefix is not None:
            stmt = stmt.where(partner_transfers.c.key.startswith(key_prefix, autoescape=True))
        async with self._engine.connect() as conn:
            rows = await conn.execute(stmt.order_by(partner_transfers.c.at, partner_transfers.c.key))
            return [transfer_of(r) for r in rows]

    async def plant_transfer(self, line: StatementLine) -> None:
        """Record a paid transfer the programme never asked for (reconciliation tests); an existing key stays."""
        await self.ensure_schema()
        stmt = (
            insert(partner_transfers)
            .values(
                key=line.key,
                provider=Provider(line.provider).value,
                account_number=line.account_number,
                amount=line.amount,
                outcome=TransferOutcome.PAID.value,
                code=None,
                partner_ref=line.partner_ref,
                at=line.at,
            )
            .on_conflict_do_nothing(index_elements=[partner_transfers.c.key])
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    def script(self, account_number: str, *faults: str) -> None:
        """Queue faults for the next transfer calls to ``account_number`` in this process, one per call:
        ``TIMEOUT`` (lost before committing), ``COMMIT_THEN_TIMEOUT`` (committed, answer lost), ``FAIL``
        (rejected with ``TRANSFER_FAILED`` unless the key was already decided)."""
        unknown = [f for f in faults if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown faults {unknown}; expected some of {FAULTS}")
        self._scripts[account_number].extend(faults)

