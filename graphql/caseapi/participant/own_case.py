"""The signed-in participant's own case record, or the typed reason there is none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.updates import run_update
from domain.errors import ErrorCode, StoreUnavailable
from domain.messages import CaseRecord
from domain.ports import CaseHandle

T = TypeVar("T")


Refusal = e.NotAuthenticated | e.Forbidden | e.NoCaseYet | e.TemporarilyUnavailable


async def own_case(info: Info) -> tuple[Principal, CaseRecord] | Refusal:
    return await _own(info, info.context.ports.reader.by_account)


async def _own(info: Info, lookup: Callable[[str], Awaitable[T | None]]) -> tuple[Principal, T] | Refusal:
    """The signed-in participant and what ``lookup`` finds by their account, or the typed refusal."""
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        return principal
    try:
        found = await lookup(principal.subject)
    except StoreUnavailable:
        return e.unavailable("The case database")
    if found is None:
        return e.NoCaseYet(code=ErrorCode.CASE_NOT_FOUND, message="You have not applied yet.")
    return principal, found


async def update_own_case(
    info: Info,
    update: Any,
    build: Callable[[Principal, CaseHandle], tuple[Any, str]],
) -> Any:
    """Run an update on the caller's own workflow: ``build`` gives (argument, update ID) from the case's handle
    (its workflow, version and test attempts: not the whole row).

    Returns the update's result, or the typed error (no case, not signed in, refused, unavailable).
    """
    found = await _own(info, info.context.ports.reader.handle_by_account)
    if not isinstance(found, tuple):
        return found
    arg, update_id = build(*found)
    return await run_update(info.context, found[1].workflow_id, update, arg, update_id=update_id)
