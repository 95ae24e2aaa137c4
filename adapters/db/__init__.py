"""PostgreSQL persistence: tables, engine, migrations and the case read model."""
