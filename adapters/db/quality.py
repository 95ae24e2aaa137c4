"""Course quality's PostgreSQL adapters as one bundle."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.course_reviews import PgReviewStore
from adapters.db.monitoring import PgMonitoringStore
from adapters.db.quality_bodies import PgBodyRegistry
from adapters.db.quality_timeline import PgQualityTimeline
from adapters.db.sale_gate import PgSaleGate
from adapters.db.sanctions import PgSanctionStore
from domain.quality.ports import QualityPorts


def pg_quality(engine: AsyncEngine) -> QualityPorts:
    return QualityPorts(
        reviews=PgReviewStore(engine),
        bodies=PgBodyRegistry(engine),
        gate=PgSaleGate(engine),
        monitoring=PgMonitoringStore(engine),
        sanctions=PgSanctionStore(engine),
        timeline=PgQualityTimeline(engine),
    )
