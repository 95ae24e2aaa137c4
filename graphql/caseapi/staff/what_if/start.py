"""``startWhatIf``: re-run a decided wave's lottery under other quotas, priority cohorts or household limit.

Staff and supervisors; a staff member with a province scope may change the quotas of their provinces only (and sees
only those provinces in the result). Idempotent by the caller's key: the same key and parameters give back the same
what-if, another request under a used key is refused. The run is a small durable workflow: the answer comes at
once, with status QUEUED; poll ``whatIf(id)``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from caseapi.shared import errors as e
from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.guards import require
from caseapi.staff.mutations.create_wave import ProvinceQuotaInput
from caseapi.staff.what_if.types import SeedNotRevealed, WaveNotClosed, WhatIf, what_if_view
from domain.errors import ErrorCode, StoreUnavailable
from domain.waves.what_if import MAX_KEY_LENGTH, WhatIfParams, WhatIfStatus, problems
from domain.waves.what_if_ports import WhatIfRun
from workflows.what_if import WhatIfWorkflow, workflow_id


@strawberry.input(description="What differs from the wave; anything left out stays as it was.")
class WhatIfInput:
    wave_id: strawberry.ID
    client_key: str = strawberry.field(description="Your key for this request: sent again, the same what-if.")
    province_quotas: list[ProvinceQuotaInput] | None = strawberry.field(
        default=None, description="Provinces whose quota differs; the others keep the wave's."
    )
    priority_cohorts: list[str] | None = strawberry.field(
        default=None, description="The wave's priority cohorts that count; [] none; null all (as in the wave)."
    )
    household_limit: int | None = strawberry.field(
        default=None, description="Places per family card (KK); null: the scheme's (as in the wave)."
    )


StartWhatIfResult = Annotated[
    WhatIf
    | e.WaveNotFound
    | WaveNotClosed
    | SeedNotRevealed
    | e.InvalidArgument
    | e.NotAuthenticated
    | e.Forbidden
    | e.TemporarilyUnavailable,
    strawberry.union("StartWhatIfResult"),
]


def _bad(message: str, code: ErrorCode = ErrorCode.INVALID_ARGUMENT) -> e.InvalidArgument:
    return e.InvalidArgument(code=code, message=message)


async def start_what_if(info: Info, input: WhatIfInput) -> StartWhatIfResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    ctx = info.context
    desk = ctx.ports.what_ifs
    if desk is None:
        return e.unavailable("What-ifs")
    if not 0 < len(input.client_key.strip()) <= MAX_KEY_LENGTH:
        return _bad(f"A clientKey of 1-{MAX_KEY_LENGTH} characters.")
    given = input.province_quotas or []
    quotas = {q.province_code: q.quota for q in given}
    if len(quotas) != len(given):
        return _bad("Each province once.")
    if any(not principal.covers(p) for p in quotas):
        return e.forbidden("You may change the quotas of the provinces in your scope only.")
    cohorts = None if input.priority_cohorts is None else tuple(c.strip() for c in input.priority_cohorts)
    params = WhatIfParams(quotas=quotas, priority_cohorts=cohorts, household_limit=input.household_limit)
    wave_id = str(input.wave_id)
    try:
        wave = await ctx.ports.waves.get(wave_id)
        if wave is None:
            return e.WaveNotFound(code=ErrorCode.WAVE_NOT_FOUND, message="No wave with that ID.")
        if wave.status in ("SCHEDULED", "OPEN"):
            return WaveNotClosed(code=ErrorCode.WAVE_NOT_CLOSED, message=f"The wave is {wave.status.lower()}.")
        if wave.revealed_seed is None:
            return SeedNotRevealed(code=ErrorCode.SEED_NOT_REVEALED, message="The wave's lottery has not run yet.")
        wrong = problems(params, cohorts_of_wave=await desk.cohorts(wave_id))
        if wrong:
            return _bad(" ".join(wrong))
        asked = await desk.request(wave_id, params, actor=principal.actor, client_key=input.client_key.strip())
        if not asked.same_request:
            return _bad("This clientKey was used for another what-if.", ErrorCode.IDEMPOTENCY_KEY_REUSED)
        if asked.status is WhatIfStatus.QUEUED:
            await _start(info, asked.what_if_id)
        view = await desk.get(asked.what_if_id)
    except StoreUnavailable:
        return e.unavailable("The wave database")
    except RPCError:
        return e.unavailable()  # the what-if is recorded; the same request again starts its run
    assert view is not None
    return what_if_view(view, principal)


async def _start(info: Info, what_if_id: int) -> None:
    ctx = info.context
    try:
        await ctx.ports.client.start_workflow(
            WhatIfWorkflow.run,
            WhatIfRun(what_if_id),
            id=workflow_id(what_if_id),
            task_queue=ctx.config.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )
    except WorkflowAlreadyStartedError:
        pass  # it ran (and finished) already: one run per what-if
