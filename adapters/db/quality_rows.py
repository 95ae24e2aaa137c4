"""Rows of course quality: version content as JSON, version views, timeline events and the catalogue write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.db.quality_tables import quality_events
from adapters.db.tables import courses
from domain.quality import review as rv


def content_to_json(c: rv.VersionContent) -> dict[str, Any]:
    return {
        "course_code": c.course_code,
        "title": c.title,
        "provider_code": c.provider_code,
        "platform_code": c.platform_code,
        "price": c.price,
        "mode": c.mode,
        "category": c.category,
        "sessions": [s.isoformat() for s in c.sessions],
        "modules": list(c.modules),
        "tasks": [{"sequence": t.sequence, "title": t.title} for t in c.tasks],
        "indicators": list(c.indicators),
    }


def content_from_json(d: dict[str, Any]) -> rv.VersionContent:
    return rv.VersionContent(
        course_code=d["course_code"],
        title=d["title"],
        provider_code=d["provider_code"],
        platform_code=d["platform_code"],
        price=int(d["price"]),
        mode=d["mode"],
        category=d["category"],
        sessions=tuple(dt.datetime.fromisoformat(s) for s in d.get("sessions") or ()),
        modules=tuple(d.get("modules") or ()),
        tasks=tuple(rv.SkillsTask(int(t["sequence"]), t["title"]) for t in d.get("tasks") or ()),
        indicators=tuple(d.get("indicators") or ()),
    )


def version_view(row: Any, decisions: list[Any] = ()) -> rv.VersionView:  # type: ignore[assignment]
    return rv.VersionView(
        course_code=row.course_code,
        version=row.version,
        provider_code=row.provider_code,
        platform_code=row.platform_code,
        status=rv.VersionStatus(row.status),
        layer=rv.Layer(row.layer) if row.layer else None,
        due_at=row.due_at,
        escalated_at=row.escalated_at,
        assessor_body=row.assessor_body,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        content=content_from_json(row.content),
        decisions=tuple(
            (
                rv.Layer(d.layer),
                rv.Verdict(d.verdict),
                d.actor,
                d.at,
                tuple(rv.IndicatorReason(r["indicator"], bool(r["met"]), r["reason"]) for r in d.reasons),
            )
            for d in decisions
        ),
    )


async def timeline_event(
    conn: AsyncConnection, at: dt.datetime, actor: str, kind: str, provider: str, course: str | None, **detail: Any
) -> None:
    await conn.execute(
        insert(quality_events).values(
            at=at, actor=actor, kind=kind, provider_code=provider, course_code=course, detail=detail
        )
    )


async def write_catalogue(conn: AsyncConnection, c: rv.VersionContent) -> None:
    values = {
        "course_code": c.course_code,
        "title": c.title,
        "provider_code": c.provider_code,
        "platform_code": c.platform_code,
        "price": c.price,
        "mode": c.mode,
        "category": c.category,
        "sessions": [s.isoformat() for s in c.sessions],
        "skills_tasks": sorted(t.sequence for t in c.tasks),
        "active": True,
        "updated_at": func.now(),
    }
    stmt = insert(courses).values(**values)
    await conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[courses.c.course_code], set_={k: stmt.excluded[k] for k in values if k != "course_code"}
        )
    )
