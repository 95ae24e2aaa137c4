"""Partners, the catalogue and lookups from partner-facing codes in PostgreSQL: the ``Marketplace`` port."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.tables import cards, courses, ledger_entries, notifications, partners, vouchers
from adapters.db.training_ledger import entry_from_row
from adapters.db.unavailable import unavailable_on_db_loss
from domain.enrollment.ledger import LedgerEntry
from domain.notifications import Channel, Notification
from domain.texts.text import Text
from domain.training.ports import VoucherRef
from domain.training.trainings import Course, Partner, PartnerType, TrainingMode

REPLAY_WINDOW = dt.timedelta(hours=1)
"""How long a seen signature is remembered; the API refuses signed requests older than this anyway."""
_PURGE_BATCH = 100
_FIRST_USE = text(
    """WITH fresh AS (
         INSERT INTO signed_requests (client_code, signature, seen_at) VALUES (:c, :s, :at)
         ON CONFLICT DO NOTHING RETURNING 1),
       purged AS (
         DELETE FROM signed_requests WHERE EXISTS (SELECT FROM fresh) AND (client_code, signature) IN (
           SELECT client_code, signature FROM signed_requests WHERE seen_at < :cutoff
           LIMIT :n FOR UPDATE SKIP LOCKED))
       SELECT EXISTS (SELECT FROM fresh)"""
)


def _partner(row: Any) -> Partner:
    return Partner(client_code=row.client_code, name=row.name, type=PartnerType(row.type), created_at=row.created_at)


def _course(row: Any) -> Course:
    return Course(
        course_code=row.course_code,
        title=row.title,
        provider_code=row.provider_code,
        platform_code=row.platform_code,
        price=int(row.price),
        mode=TrainingMode(row.mode),
        category=row.category,
        sessions=tuple(dt.datetime.fromisoformat(s) for s in row.sessions),
        active=bool(row.active),
        skills_tasks=tuple(int(s) for s in row.skills_tasks),
    )


def _voucher_ref(row: Any) -> VoucherRef:
    return VoucherRef(
        case_id=row.case_id,
        voucher_code=row.voucher_code,
        redeem_code=row.redeem_code,
        provider_code=row.provider_code,
        platform_code=row.platform_code,
        purchase_key=row.purchase_key,
    )


def notification_from_row(row: Any) -> Notification:
    return Notification(
        dedupe_key=row.dedupe_key,
        case_id=row.case_id,
        channel=Channel(row.channel),
        recipient=row.recipient,
        kind=row.kind,
        body=row.body,
        created_at=row.created_at,
        sent_at=row.sent_at,
        status="PENDING" if row.status == "SENDING" else row.status,  # a lease is the dispatcher's business
        text=text_from_json(getattr(row, "message", None)),
    )


def text_to_json(value: Text | None) -> dict[str, Any] | None:
    return None if value is None else {"code": value.code, "params": dict(value.params)}


def text_from_json(data: dict[str, Any] | None) -> Text | None:
    if not data:
        return None
    return Text(str(data["code"]), tuple((str(k), str(v)) for k, v in (data.get("params") or {}).items()))


_VOUCHER_REF = select(
    vouchers.c.case_id,
    vouchers.c.voucher_code,
    vouchers.c.redeem_code,
    vouchers.c.provider_code,
    vouchers.c.platform_code,
    vouchers.c.purchase_key,
)


class PgMarketplace:
    """Implements ``domain.market_ports.Marketplace``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)  # one-statement reads: no BEGIN/ROLLBACK round trips
        self._partners: dict[str, Partner] = {}  # registered partners found so far (a few hundred at most)
        self._sign_keys: dict[str, str] = {}

    @unavailable_on_db_loss
    async def register_partner(self, partner: Partner, sign_key: str) -> bool:
        async with self._engine.begin() as conn:
            inserted = await conn.execute(
                insert(partners)
                .values(
                    client_code=partner.client_code,
                    name=partner.name,
                    type=partner.type.value,
                    sign_key=sign_key,
                    created_at=partner.created_at,
                )
                .on_conflict_do_nothing(index_elements=[partners.c.client_code])
                .returning(partners.c.client_code)
            )
            return inserted.first() is not None

    @unavailable_on_db_loss
    async def partner(self, client_code: str) -> Partner | None:
        """A registered partner's row never changes (``register_partner`` does nothing on a second call), so a
        found one is remembered: every partner call looked it up again, one round trip each."""
        if (known := self._partners.get(client_code)) is not None:
            return known
        async with self._single.connect() as conn:
            row = (
                await conn.execute(
                    select(partners.c.client_code, partners.c.name, partners.c.type, partners.c.created_at).where(
                        partners.c.client_code == client_code
                    )
                )
            ).first()
        if row is None:
            return None
        found = self._partners[client_code] = _partner(row)
        return found

    @unavailable_on_db_loss
    async def sign_key(self, client_code: str) -> str | None:
        """Remembered once found, like the partner: a key never changes (there is no rotation yet; when it comes,
        this cache goes with it). Every signed REST call asks, one round trip each (bench.partner_api)."""
        if (known := self._sign_keys.get(client_code)) is not None:
            return known
        async with self._single.connect() as conn:
            key = (
                await conn.execute(select(partners.c.sign_key).where(partners.c.client_code == client_code))
            ).scalar()
        if key is None:
            return None
        found = self._sign_keys[client_code] = str(key)
        return found

    @unavailable_on_db_loss
    async def upsert_course(self, course: Course) -> None:
        values = {
            "course_code": course.course_code,
            "title": course.title,
            "provider_code": course.provider_code,
            "platform_code": course.platform_code,
            "price": course.price,
            "mode": course.mode.value,
            "category": course.category,
            "sessions": [s.isoformat() for s in course.sessions],
            "active": course.active,
            "skills_tasks": list(course.skills_tasks),
            "updated_at": func.now(),
        }
        stmt = insert(courses).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[courses.c.course_code],
            set_={k: stmt.excluded[k] for k in values if k != "course_code"},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    @unavailable_on_db_loss
    async def course(self, course_code: str) -> Course | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(select(courses).where(courses.c.course_code == course_code))).first()
        return _course(row) if row is not None else None

    @unavailable_on_db_loss
    async def courses(self, *, platform_code: str | None = None, category: str | None = None) -> list[Course]:
        stmt = select(courses).where(courses.c.active).order_by(courses.c.course_code)
        if platform_code is not None:
            stmt = stmt.where(courses.c.platform_code == platform_code)
        if category is not None:
            stmt = stmt.where(courses.c.category == category)
        async with self._single.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [_course(r) for r in rows]

    @unavailable_on_db_loss
    async def case_by_card(self, card_number: str) -> str | None:
        async with self._single.connect() as conn:
            case_id = (await conn.execute(select(cards.c.case_id).where(cards.c.card_number == card_number))).scalar()
        return str(case_id) if case_id is not None else None

    @unavailable_on_db_loss
    async def voucher(self, *, redeem_code: str | None = None, voucher_code: str | None = None) -> VoucherRef | None:
        """By either code; with both, the voucher must match both."""
        if redeem_code is None and voucher_code is None:
            return None
        stmt = _VOUCHER_REF
        if redeem_code is not None:
            stmt = stmt.where(vouchers.c.redeem_code == redeem_code)
        if voucher_code is not None:
            stmt = stmt.where(vouchers.c.voucher_code == voucher_code)
        async with self._single.connect() as conn:
            row = (await conn.execute(stmt)).first()
        return _voucher_ref(row) if row is not None else None

    @unavailable_on_db_loss
    async def voucher_by_purchase(self, purchase_key: str) -> VoucherRef | None:
        async with self._single.connect() as conn:
            row = (await conn.execute(_VOUCHER_REF.where(vouchers.c.purchase_key == purchase_key))).first()
        return _voucher_ref(row) if row is not None else None

    @unavailable_on_db_loss
    async def ledger(self, case_id: str) -> list[LedgerEntry]:
        async with self._single.connect() as conn:
            rows = (
                await conn.execute(
                    select(ledger_entries).where(ledger_entries.c.case_id == case_id).order_by(ledger_entries.c.id)
                )
            ).all()
        return [entry_from_row(r) for r in rows]

    @unavailable_on_db_loss
    async def notifications(self, case_id: str, *, limit: int = 50) -> list[Notification]:
        async with self._single.connect() as conn:
            rows = (
                await conn.execute(
                    select(notifications)
                    .where(notifications.c.case_id == case_id)
                    .order_by(notifications.c.id.desc())
                    .limit(limit)
                )
            ).all()
        return [notification_from_row(r) for r in rows]

    @unavailable_on_db_loss
    async def first_use_of_signature(self, client_code: str, signature: str, at: dt.datetime) -> bool:
        """One autocommit statement (every signed REST call makes it: a transaction of two cost four round trips):
        the nonce's insert and, when it was new, the purge of a few expired ones (index on seen_at)."""
        params = {"c": client_code, "s": signature, "at": at, "cutoff": at - REPLAY_WINDOW, "n": _PURGE_BATCH}
        async with self._single.connect() as conn:
            return bool((await conn.execute(_FIRST_USE, params)).scalar())
