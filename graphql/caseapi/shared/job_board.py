"""The job board of the request's ports (``ApiPorts.jobs``), or a clear error when the app was built without one."""

from __future__ import annotations

from caseapi.shared.context import Info
from domain.jobs.ports import JobBoard


def job_board(info: Info) -> JobBoard:
    board = info.context.ports.jobs
    if board is None:
        raise RuntimeError("No job board is configured: pass ApiPorts(jobs=PgJobBoard(engine)) to create_app.")
    return board
