"""A lost database connection is an outage, not a bug: decorators that turn it into the port's typed error."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError

from domain.errors import StoreUnavailable

P = ParamSpec("P")
T = TypeVar("T")
Decorator = Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]


def connection_lost(exc: BaseException) -> bool:
    """The connection failed or was invalidated, or the server answered SQLSTATE class 08 (connection exception)
    or 57P01–57P03 (shutting down, restarting, starting up): a PostgreSQL restart, not a bug."""
    if isinstance(exc, OSError | InterfaceError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc.orig, OSError):
        return True
    cause: BaseException | None = exc.orig
    while cause is not None:
        state = str(getattr(cause, "sqlstate", "") or "")
        if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
            return True
        cause = cause.__cause__
    return False


def on_db_loss(error: Callable[[BaseException], Exception]) -> Decorator:
    """Raise ``error(exc)`` instead of a connection loss; every other exception passes unchanged."""

    def decorate(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(fn)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return await fn(*args, **kwargs)
            except (OSError, DBAPIError) as exc:  # InterfaceError is a DBAPIError
                if connection_lost(exc):
                    raise error(exc) from exc
                raise

        return wrapper

    return decorate


def unavailable_on_db_loss(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    """For our stores: connection loss becomes ``StoreUnavailable``, so callers answer with a typed error."""
    return on_db_loss(lambda exc: StoreUnavailable(type(exc).__name__))(fn)
