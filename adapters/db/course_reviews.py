"""Course versions and their three-layer review in PostgreSQL: the ``ReviewStore`` port.

The catalogue row (``courses``) always holds the terms being sold: it is written when a version is approved (or
listed directly by national staff), never while a version is in review, so an approved version keeps selling until
the next one is approved. Every step is also a ``quality_events`` row (the course's and provider's timeline).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.db.engine import autocommit
from adapters.db.quality_rows import content_from_json, content_to_json, timeline_event, version_view, write_catalogue
from adapters.db.quality_tables import course_review_decisions, course_versions
from adapters.db.unavailable import unavailable_on_db_loss
from domain.errors import ErrorCode
from domain.quality import review as rv
from domain.quality.ports import SubmitRefused


class PgReviewStore:
    """Implements ``domain.quality.ports.ReviewStore``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._single = autocommit(engine)

    @staticmethod
    async def _insert(
        conn: AsyncConnection, c: rv.VersionContent, digest: str, by: str, at: dt.datetime, status: rv.VersionStatus
    ) -> Any:
        """The course's next version (numbers under a per-course transaction lock, so concurrent writers queue)."""
        await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(c.course_code))))
        v = course_versions.c
        number = int(await conn.scalar(select(func.max(v.version)).where(v.course_code == c.course_code)) or 0) + 1
        in_review = status is rv.VersionStatus.IN_REVIEW
        values = dict(
            course_code=c.course_code,
            version=number,
            provider_code=c.provider_code,
            platform_code=c.platform_code,
            content=content_to_json(c),
            digest=digest,
            status=status.value,
            layer=rv.LAYERS[0].value if in_review else None,
            submitted_by=by,
            submitted_at=at,
            decided_at=None if in_review else at,
        )
        row = (await conn.execute(insert(course_versions).values(**values).returning(*course_versions.c))).one()
        kind = "VERSION_SUBMITTED" if in_review else status.value
        await timeline_event(conn, at, by, kind, c.provider_code, c.course_code, version=number, digest=digest)
        return row

    @unavailable_on_db_loss
    async def submit(self, content: rv.VersionContent, digest: str, by: str, at: dt.datetime) -> rv.VersionView:
        v = course_versions.c
        try:
            async with self._engine.begin() as conn:
                await conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(content.course_code))))
                open_row = (
                    await conn.execute(
                        select(course_versions).where(
                            v.course_code == content.course_code, v.status == rv.VersionStatus.IN_REVIEW.value
                        )
                    )
                ).first()
                if open_row is not None:
                    if open_row.digest == digest and open_row.content == content_to_json(content):
                        return version_view(open_row)  # the same submission again
                    raise SubmitRefused(ErrorCode.REVIEW_IN_PROGRESS.value)
                row = await self._insert(conn, content, digest, by, at, rv.VersionStatus.IN_REVIEW)
                return version_view(row)
        except IntegrityError as exc:  # only one version in review per course (partial unique index)
            raise SubmitRefused(ErrorCode.REVIEW_IN_PROGRESS.value) from exc

    @unavailable_on_db_loss
    async def list_directly(self, content: rv.VersionContent, digest: str, by: str, at: dt.datetime) -> int:
        async with self._engine.begin() as conn:
            row = await self._insert(conn, content, digest, by, at, rv.VersionStatus.LISTED_DIRECTLY)
            await write_catalogue(conn, content)
        return int(row.version)

    @unavailable_on_db_loss
    async def version(self, course_code: str, version: int) -> rv.VersionView | None:
        async with self._single.connect() as conn:
            row = (
                await conn.execute(
                    select(course_versions).where(
                        course_versions.c.course_code == course_code, course_versions.c.version == version
                    )
                )
            ).first()
            if row is None:
                return None
            decisions = (
                await conn.execute(
                    select(course_review_decisions)
                    .where(
                        course_review_decisions.c.course_code == course_code,
                        course_review_decisions.c.version == version,
                    )
                    .order_by(course_review_decisions.c.id)
                )
            ).all()
        return version_view(row, list(decisions))

    @unavailable_on_db_loss
    async def versions(self, course_code: str) -> list[rv.VersionView]:
        async with self._single.connect() as conn:
            rows = (
                await conn.execute(
                    select(course_versions)
                    .where(course_versions.c.course_code == course_code)
                    .order_by(course_versions.c.version)
                )
            ).all()
        return [version_view(r) for r in rows]

    @unavailable_on_db_loss
    async def queue(
        self,
        layer: rv.Layer | None,
        *,
        body: str | None = None,
        platform: str | None = None,
        provider: str | None = None,
        overdue_at: dt.datetime | None = None,
    ) -> list[rv.VersionView]:
        v = course_versions.c
        stmt = select(course_versions).where(v.status == rv.VersionStatus.IN_REVIEW.value)
        for column, value in (
            (v.layer, layer.value if layer else None),
            (v.assessor_body, body),
            (v.platform_code, platform),
            (v.provider_code, provider),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if overdue_at is not None:
            stmt = stmt.where(v.due_at < overdue_at)
        async with self._single.connect() as conn:
            rows = (await conn.execute(stmt.order_by(v.due_at.nulls_last(), v.id).limit(500))).all()
        return [version_view(r) for r in rows]

    @unavailable_on_db_loss
    async def open_layer(self, opened: rv.LayerOpened) -> None:
        v = course_versions.c
        async with self._engine.begin() as conn:
            done = await conn.execute(
                update(course_versions)
                .where(
                    v.course_code == opened.course_code,
                    v.version == opened.version,
                    v.status == rv.VersionStatus.IN_REVIEW.value,
                    ~and_(
                        v.layer == opened.layer.value,
                        v.due_at.is_not_distinct_from(opened.due_at),
                        v.assessor_body.is_not_distinct_from(opened.body),
                    ),
                )
                .values(layer=opened.layer.value, due_at=opened.due_at, escalated_at=None, assessor_body=opened.body)
                .returning(v.provider_code)
            )
            provider = done.scalar()
            if provider is not None:
                await timeline_event(
                    conn,
                    dt.datetime.now(dt.UTC),  # the event is now; the due time is in its detail
                    "system:review",
                    "LAYER_OPENED",
                    provider,
                    opened.course_code,
                    version=opened.version,
                    layer=opened.layer.value,
                    due_at=opened.due_at.isoformat(),
                    body=opened.body,
                )

    @unavailable_on_db_loss
    async def escalate(self, lapsed: rv.LayerLapsed) -> bool:
        v = course_versions.c
        async with self._engine.begin() as conn:
            provider = (
                await conn.execute(
                    update(course_versions)
                    .where(
                        v.course_code == lapsed.course_code,
                        v.version == lapsed.version,
                        v.layer == lapsed.layer.value,
                        v.status == rv.VersionStatus.IN_REVIEW.value,
                        v.escalated_at.is_(None),
                    )
                    .values(escalated_at=lapsed.at)
                    .returning(v.provider_code)
                )
            ).scalar()
            if provider is None:
                return False
            await timeline_event(
                conn,
                lapsed.at,
                "system:timer",
                "LAYER_ESCALATED",
                provider,
                lapsed.course_code,
                version=lapsed.version,
                layer=lapsed.layer.value,
                due_at=lapsed.due_at.isoformat(),
            )
        return True

    @unavailable_on_db_loss
    async def record_decision(self, record: rv.DecisionRecord) -> None:
        d, v = record.decision, course_versions.c
        async with self._engine.begin() as conn:
            inserted = await conn.execute(
                insert(course_review_decisions)
                .values(
                    course_code=record.course_code,
                    version=record.version,
                    layer=d.layer.value,
                    verdict=d.verdict.value,
                    actor=d.actor,
                    body=d.body,
                    at=record.at,
                    reasons=[{"indicator": r.indicator, "met": r.met, "reason": r.reason} for r in d.reasons],
                )
                .on_conflict_do_nothing()
                .returning(course_review_decisions.c.id)
            )
            if inserted.first() is None:
                return  # a retried activity: done before
            values: dict[str, Any] = {"escalated_at": None}
            if record.final is not None:
                values |= {"status": record.final.value, "layer": None, "due_at": None, "decided_at": record.at}
            else:  # the next layer; its due time is set when the workflow opens it
                following = rv.LAYERS[rv.LAYERS.index(d.layer) + 1]
                values |= {"layer": following.value, "due_at": None, "assessor_body": None}
            row = (
                await conn.execute(
                    update(course_versions)
                    .where(v.course_code == record.course_code, v.version == record.version)
                    .values(**values)
                    .returning(v.provider_code, v.content)
                )
            ).one()
            await timeline_event(
                conn,
                record.at,
                d.actor,
                f"REVIEW_{d.verdict.value}",
                row.provider_code,
                record.course_code,
                version=record.version,
                layer=d.layer.value,
                final=record.final,
                reasons=[[r.indicator, r.met, r.reason] for r in d.reasons],
            )
            if record.final is rv.VersionStatus.APPROVED:
                await write_catalogue(conn, content_from_json(row.content))

    @unavailable_on_db_loss
    async def open_reviews_by_body(self) -> dict[str, int]:
        v = course_versions.c
        async with self._single.connect() as conn:
            rows = (
                await conn.execute(
                    select(v.assessor_body, func.count())
                    .where(v.status == rv.VersionStatus.IN_REVIEW.value, v.assessor_body.is_not(None))
                    .group_by(v.assessor_body)
                )
            ).all()
        return {r[0]: int(r[1]) for r in rows}
