"""The job board the API's resolvers use, set once by the composition root (``server.py``) or a test fixture.

The GraphQL context carries no job board, so resolvers reach it through this registry instead.
"""

from __future__ import annotations

from domain.job_ports import JobBoard

_board: JobBoard | None = None


def use_job_board(board: JobBoard) -> None:
    """Make ``board`` the job board of every schema (call it before serving requests)."""
    global _board
    _board = board


def job_board() -> JobBoard:
    if _board is None:
        raise RuntimeError(
            "No job board is configured: call caseapi.shared.job_board.use_job_board(PgJobBoard(engine)) "
            "in the composition root before serving GraphQL."
        )
    return _board
