"""Replay recorded histories against the current workflow code: nondeterminism fails CI.

Record a new corpus entry with ``RECORD_HISTORIES=1 make test`` after a release-worthy change;
the committed files in ``tests/histories/`` are the released behaviour that must keep replaying.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from caseapi.shared.auth import Role
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from tests.factories import apply_input
from tests.integration.queries import APPLY
from worker import workflow_runner
from workflows import ALL_WORKFLOWS

HISTORIES = Path(__file__).resolve().parents[1] / "histories"


def _replayer() -> Replayer:
    return Replayer(
        workflows=ALL_WORKFLOWS, data_converter=pydantic_data_converter, workflow_runner=workflow_runner()
    )


def test_the_corpus_is_not_empty():
    assert sorted(HISTORIES.glob("*.json")), "commit at least one recorded history"


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda p: p.stem)
async def test_committed_history_replays(path: Path):
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    await _replayer().replay_workflow(history)


async def test_a_fresh_history_replays_and_can_be_recorded(stack):
    """Apply through the API, then replay the live history (and record it when asked)."""
    data = await stack.gql(
        "participant", APPLY, {"input": apply_input()}, token=stack.token(Role.PARTICIPANT)
    )
    handle = stack.client.get_workflow_handle(f"participant-{data['apply']['case']['id']}")
    history = await handle.fetch_history()
    await _replayer().replay_workflow(history)
    if os.environ.get("RECORD_HISTORIES") == "1":
        name = os.environ.get("HISTORY_NAME", "participant_applied")
        (HISTORIES / f"{name}.json").write_text(history.to_json())
