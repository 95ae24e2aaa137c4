"""Connection loss in any PostgreSQL adapter becomes ``StoreUnavailable`` (a typed answer), not a server error."""

from __future__ import annotations


async def test_a_restarting_database_is_unavailable_not_an_error():
    """``the database system is shutting down`` (57P03) on connect, as asyncpg raises it under SQLAlchemy."""
    import asyncpg
    import pytest
    from sqlalchemy.exc import DBAPIError

    from adapters.db.unavailable import unavailable_on_db_loss
    from domain.errors import StoreUnavailable

    class Adapted(Exception):
        pass

    async def connect() -> None:
        try:
            raise asyncpg.exceptions.CannotConnectNowError("the database system is shutting down")
        except asyncpg.PostgresError as pg:
            try:
                raise Adapted("the database system is shutting down") from pg
            except Adapted as adapted:
                raise DBAPIError("connect", None, adapted) from adapted

    async def broken() -> None:
        raise DBAPIError("SELECT", None, Adapted("syntax error"))

    with pytest.raises(StoreUnavailable):
        await unavailable_on_db_loss(connect)()
    with pytest.raises(DBAPIError):
        await unavailable_on_db_loss(broken)()
