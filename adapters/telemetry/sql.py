"""SQL spans from OpenTelemetry's SQLAlchemy instrumentation, on one engine at a time: the statement text as
SQLAlchemy sends it (``$1`` placeholders), never the bound values, so personal data stays out."""

from __future__ import annotations

from opentelemetry import metrics, trace
from opentelemetry.instrumentation.sqlalchemy import __version__
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from sqlalchemy.ext.asyncio import AsyncEngine

SCOPE = "opentelemetry.instrumentation.sqlalchemy"


def instrument_engine(
    engine: AsyncEngine,
    *,
    tracer_provider: trace.TracerProvider | None = None,
    meter_provider: metrics.MeterProvider | None = None,
) -> EngineTracer:
    """A span per statement (child of the current span: the activity or the GraphQL resolver) and the pool's
    ``db.client.connections.usage``. ``EngineTracer`` on this engine only: ``SQLAlchemyInstrumentor`` would also
    patch ``create_engine`` process-wide."""
    tracer = trace.get_tracer(SCOPE, __version__, tracer_provider)
    meter = metrics.get_meter(SCOPE, __version__, meter_provider)
    usage = meter.create_up_down_counter(
        "db.client.connections.usage", unit="connections", description="Connections in the pool by state."
    )
    return EngineTracer(tracer, engine.sync_engine, usage)
