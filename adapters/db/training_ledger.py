"""Cards, the append-only ledger, vouchers and certificates in PostgreSQL: the ``TrainingLedger`` port.

Every write is idempotent on its business key, and every write that spends money first locks the card row
(``SELECT … FOR UPDATE``), so two purchases of one card never both see the same balance.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.schedule_seats import bind_seat, release_seat, take_seat
from adapters.db.tables import blacklist, cards, certificates, ledger_entries, vouchers
from adapters.db.unavailable import unavailable_on_db_loss
from domain.enrollment.card import card_number
from domain.enrollment.ledger import EntryKind, LedgerEntry
from domain.training.messages import PurchaseOutcome, RecordedPurchase, RecordPurchaseInput
from domain.training.ports import KeyReusedError
from domain.training.trainings import Cancellation

_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_UNAMBIGUOUS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Upper-case letters and digits without 0/O and 1/I, for codes people read out or type."""
_SPENDING = (EntryKind.DEBIT, EntryKind.FORFEIT)


def _code(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def new_voucher_code() -> str:
    return "VCR-" + _code(_BASE32, 10)


def new_redeem_code() -> str:
    return _code(_UNAMBIGUOUS, 12)


def new_invoice_code(at: dt.datetime) -> str:
    return f"INV-{at:%Y%m%d}-" + _code(_UNAMBIGUOUS, 8)


def entry_from_row(row: Any) -> LedgerEntry:
    return LedgerEntry(
        entry_key=row.entry_key, kind=EntryKind(row.kind), amount=int(row.amount), at=row.at, reference=row.reference
    )


_BALANCE = select(
    func.coalesce(
        func.sum(
            case(
                (ledger_entries.c.kind.in_((EntryKind.CREDIT.value, EntryKind.REFUND.value)), ledger_entries.c.amount),
                else_=-ledger_entries.c.amount,
            )
        ),
        0,
    )
)


async def balance_of(conn: AsyncConnection, case_id: str) -> int:
    return int((await conn.execute(_BALANCE.where(ledger_entries.c.case_id == case_id))).scalar_one())


async def _stored_entry(conn: AsyncConnection, entry_key: str) -> LedgerEntry | None:
    row = (await conn.execute(select(ledger_entries).where(ledger_entries.c.entry_key == entry_key))).first()
    return entry_from_row(row) if row is not None else None


async def _lock_card(conn: AsyncConnection, case_id: str) -> Any:
    return (await conn.execute(select(cards).where(cards.c.case_id == case_id).with_for_update())).first()


async def _append_locked(conn: AsyncConnection, case_id: str, card_no: str, entry: LedgerEntry) -> LedgerEntry:
    """Append under the card's row lock; the first entry with a key stands."""
    stored = await _stored_entry(conn, entry.entry_key)
    if stored is not None:
        return stored
    if entry.kind in _SPENDING and entry.amount > await balance_of(conn, case_id):
        raise ValueError(f"{entry.entry_key}: {entry.kind.value} of {entry.amount} would make the balance negative")
    await conn.execute(
        insert(ledger_entries)
        .values(
            entry_key=entry.entry_key,
            case_id=case_id,
            card_number=card_no,
            kind=entry.kind.value,
            amount=entry.amount,
            reference=entry.reference,
            at=entry.at,
        )
        .on_conflict_do_nothing(index_elements=[ledger_entries.c.entry_key])
    )
    stored = await _stored_entry(conn, entry.entry_key)
    assert stored is not None
    return stored


class PgTrainingLedger:
    """Implements ``domain.market_ports.TrainingLedger``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @unavailable_on_db_loss
    async def enroll(self, case_id: str, scheme_id: str, amount: int, at: dt.datetime) -> tuple[str, LedgerEntry]:
        async with self._engine.begin() as conn:
            number = (await conn.execute(select(cards.c.card_number).where(cards.c.case_id == case_id))).scalar()
            if number is None:
                seq = int((await conn.execute(text("SELECT nextval('card_seq')"))).scalar_one())
                await conn.execute(
                    insert(cards)
                    .values(
                        case_id=case_id,
                        card_number=card_number(seq),
                        seq=seq,
                        scheme_id=scheme_id,
                        status="ACTIVE",
                        issued_at=at,
                    )
                    .on_conflict_do_nothing(index_elements=[cards.c.case_id])
                )
                # A concurrent enroll of the same case may have won: read back whichever row stands.
                number = (
                    await conn.execute(select(cards.c.card_number).where(cards.c.case_id == case_id))
                ).scalar_one()
            key = f"{case_id}:credit"
            await conn.execute(
                insert(ledger_entries)
                .values(
                    entry_key=key,
                    case_id=case_id,
                    card_number=number,
                    kind=EntryKind.CREDIT.value,
                    amount=amount,
                    reference=scheme_id,
                    at=at,
                )
                .on_conflict_do_nothing(index_elements=[ledger_entries.c.entry_key])
            )
            credit = await _stored_entry(conn, key)
        assert credit is not None
        return str(number), credit

    @unavailable_on_db_loss
    async def record_purchase(self, inp: RecordPurchaseInput) -> RecordedPurchase:
        debit_key = f"{inp.case_id}:debit:{inp.purchase_key}"
        async with self._engine.begin() as conn:
            card = await _lock_card(conn, inp.case_id)  # serialises the purchases of one card
            done = (await conn.execute(select(vouchers).where(vouchers.c.purchase_key == inp.purchase_key))).first()
            if done is not None:
                if done.case_id != inp.case_id:
                    raise KeyReusedError(f"purchase key {inp.purchase_key!r} was used for another case")
                return RecordedPurchase(
                    status=PurchaseOutcome.OK,
                    invoice_code=done.invoice_code,
                    voucher_code=done.voucher_code,
                    redeem_code=done.redeem_code,
                    debit=await _stored_entry(conn, debit_key),
                )
            if card is None or card.status != "ACTIVE" or (inp.card_number and inp.card_number != card.card_number):
                return RecordedPurchase(status=PurchaseOutcome.CARD_INACTIVE)
            if inp.price > await balance_of(conn, inp.case_id):
                return RecordedPurchase(status=PurchaseOutcome.INSUFFICIENT_BALANCE)
            if not await take_seat(conn, inp.purchase_key):
                return RecordedPurchase(status=PurchaseOutcome.SCHEDULE_FULL)
            voucher_code, redeem_code, invoice_code = new_voucher_code(), new_redeem_code(), new_invoice_code(inp.at)
            # A (vanishingly unlikely) code collision aborts the transaction; the activity's retry draws new codes.
            await conn.execute(
                insert(vouchers).values(
                    voucher_code=voucher_code,
                    redeem_code=redeem_code,
                    invoice_code=invoice_code,
                    purchase_key=inp.purchase_key,
                    case_id=inp.case_id,
                    card_number=card.card_number,
                    course_code=inp.course.course_code,
                    provider_code=inp.course.provider_code,
                    platform_code=inp.platform_code,
                    price=inp.price,
                    status="ACTIVE",
                    created_at=inp.at,
                )
            )
            debit = await _append_locked(
                conn,
                inp.case_id,
                card.card_number,
                LedgerEntry(debit_key, EntryKind.DEBIT, inp.price, inp.at, reference=voucher_code),
            )
            await bind_seat(conn, inp.purchase_key, voucher_code)
        return RecordedPurchase(
            status=PurchaseOutcome.OK,
            invoice_code=invoice_code,
            voucher_code=voucher_code,
            redeem_code=redeem_code,
            debit=debit,
        )

    @unavailable_on_db_loss
    async def append(self, case_id: str, entry: LedgerEntry) -> LedgerEntry:
        """Raises ``ValueError`` when the case has no card, or a debit or forfeit exceeds the balance."""
        async with self._engine.begin() as conn:
            card = await _lock_card(conn, case_id)
            if card is None:
                raise ValueError(f"case {case_id} has no card")
            return await _append_locked(conn, case_id, card.card_number, entry)

    @unavailable_on_db_loss
    async def cancel_voucher(self, voucher_code: str, kind: str) -> None:
        status = f"CANCELLED_{Cancellation(kind).value}"  # ValueError on an unknown kind
        async with self._engine.begin() as conn:
            cancelled = await conn.execute(
                update(vouchers)
                .where(vouchers.c.voucher_code == voucher_code, vouchers.c.status == "ACTIVE")
                .values(status=status)
            )
            if cancelled.rowcount == 1:
                await release_seat(conn, voucher_code)  # a schedule's seat goes back with its voucher

    @unavailable_on_db_loss
    async def revoke(self, case_id: str, *, forfeit: LedgerEntry | None, reason: str, at: dt.datetime) -> None:
        async with self._engine.begin() as conn:
            card = await _lock_card(conn, case_id)
            if card is not None and card.status == "ACTIVE":
                await conn.execute(
                    update(cards)
                    .where(cards.c.case_id == case_id)
                    .values(status="REVOKED", revoked_at=at, revoke_reason=reason)
                )
            if forfeit is not None:
                if card is None:
                    raise ValueError(f"case {case_id} has no card to forfeit")
                await _append_locked(conn, case_id, card.card_number, forfeit)
            await conn.execute(
                insert(blacklist)
                .values(nik_index=case_id, reason=reason, created_at=at)
                .on_conflict_do_nothing(index_elements=[blacklist.c.nik_index])
            )

    @unavailable_on_db_loss
    async def reinstate(self, case_id: str, *, restore: LedgerEntry | None, at: dt.datetime) -> None:
        async with self._engine.begin() as conn:
            card = await _lock_card(conn, case_id)
            if card is None:
                raise ValueError(f"case {case_id} has no card to reinstate")
            if card.status != "ACTIVE":
                await conn.execute(
                    update(cards)
                    .where(cards.c.case_id == case_id)
                    .values(status="ACTIVE", revoked_at=None, revoke_reason=None)
                )
            if restore is not None:
                await _append_locked(conn, case_id, card.card_number, restore)
            await conn.execute(delete(blacklist).where(blacklist.c.nik_index == case_id))

    @unavailable_on_db_loss
    async def issue_certificate(self, case_id: str, voucher_code: str, course_code: str, at: dt.datetime) -> str:
        by_voucher = select(certificates.c.serial).where(certificates.c.voucher_code == voucher_code)
        async with self._engine.begin() as conn:
            serial = (await conn.execute(by_voucher)).scalar()
            if serial is not None:
                return str(serial)
            seq = int((await conn.execute(text("SELECT nextval('certificate_seq')"))).scalar_one())
            await conn.execute(
                insert(certificates)
                .values(
                    voucher_code=voucher_code,
                    case_id=case_id,
                    course_code=course_code,
                    serial=f"PKJ/{at.year}/{seq:08d}",
                    issued_at=at,
                )
                .on_conflict_do_nothing(index_elements=[certificates.c.voucher_code])
            )
            return str((await conn.execute(by_voucher)).scalar_one())
