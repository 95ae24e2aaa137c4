"""The signed-in participant's own case record, or the typed reason there is none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.shared.updates import run_update
from domain.errors import ErrorCode, StoreUnavailable
from domain.messages import CaseRecord
from domain.ports import CaseHandle


async def own_case(
    info: Info,
) -> tuple[Principal, CaseRecord] | e.NotAuthenticated | e.Forbidden | e.NoCaseYet | e.TemporarilyUnavailable:
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        return principal
    try:
        record = await info.context.reader.by_account(principal.subject)
    except StoreUnavailable:
        return e.unavailable("The case database")
    if record is None:
        return _no_case()
    return principal, record


async def update_own_case(
    info: Info,
    update: Any,
    build: Callable[[Principal, CaseHandle], tuple[Any, str]],
) -> Any:
    """Run an update on the caller's own workflow: ``build`` gives (argument, update ID) from the case's handle
    (its workflow, version and test attempts: not the whole row).

    Returns the update's result, or the typed error (no case, not signed in, refused, unavailable).
    """
    principal = require(info, Role.PARTICIPANT)
    if not isinstance(principal, Principal):
        return principal
    try:
        handle = await info.context.reader.handle_by_account(principal.subject)
    except StoreUnavailable:
        return e.unavailable("The case database")
    if handle is None:
        return _no_case()
    arg, update_id = build(principal, handle)
    return await run_update(info.context, handle.workflow_id, update, arg, update_id=update_id)


def _no_case() -> e.NoCaseYet:
    return e.NoCaseYet(code=ErrorCode.CASE_NOT_FOUND, message="You have not applied yet.")
