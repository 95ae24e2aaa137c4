"""The schema of a database as sorted lines (columns, indexes, constraints, triggers, functions, comments), to
compare what the migrations build with a committed snapshot."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

_QUERIES = {
    "column": """
        SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type || ' null=' || c.is_nullable
               || ' default=' || coalesce(c.column_default, '-')
               || ' comment=' || coalesce(col_description(format('%I', c.table_name)::regclass, c.ordinal_position), '-')
        FROM information_schema.columns c JOIN information_schema.tables t
          ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public'""",
    "index": "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "valid-index": """
        SELECT c.relname || ' valid=' || i.indisvalid || ' ready=' || i.indisready FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public'""",
    "constraint": """
        SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace""",
    "trigger": "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal",
    "function": """
        SELECT pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace""",
    "table-comment": """
        SELECT c.relname || ' ' || obj_description(c.oid, 'pg_class') FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND obj_description(c.oid, 'pg_class')
          IS NOT NULL""",
    "sequence": "SELECT sequence_name || ' ' || data_type FROM information_schema.sequences",
}


async def schema_lines(url: str) -> list[str]:
    engine = create_async_engine(url)
    lines: list[str] = []
    async with engine.connect() as conn:
        for kind, query in _QUERIES.items():
            for (value,) in (await conn.execute(text(query))).all():
                lines.append(f"{kind}: {' '.join(str(value).split())}")
    await engine.dispose()
    return sorted(lines)
