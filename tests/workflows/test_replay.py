"""Replay recorded histories against the current workflow code: nondeterminism fails CI.

Record a new corpus entry with ``RECORD_HISTORIES=1 make test`` after a release-worthy change;
the committed files in ``tests/histories/`` are the released behaviour that must keep replaying.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from adapters.crypto_codec import codec_from_settings
from adapters.payloads import converter_with
from adapters.question_bank import FileQuestionBank
from tests.conftest import TEST_PAYLOAD_KEYS
from tests.integration.helpers import apply_person, fresh_clean_person, wait_for_case
from tests.integration.queries import START_TEST, SUBMIT_TEST
from worker import workflow_runner
from workflows import ALL_WORKFLOWS

HISTORIES = Path(__file__).resolve().parents[1] / "histories"
BANK = FileQuestionBank().current()


def _replayer() -> Replayer:
    # Encrypted histories (the integration stack's test key) and the older plain corpus both replay.
    codec = codec_from_settings(TEST_PAYLOAD_KEYS, "test1")
    return Replayer(workflows=ALL_WORKFLOWS, data_converter=converter_with(codec), workflow_runner=workflow_runner())


def test_the_corpus_is_not_empty():
    assert sorted(HISTORIES.glob("*.json")), "commit at least one recorded history"


@pytest.mark.parametrize("path", sorted(HISTORIES.glob("*.json")), ids=lambda p: p.stem)
async def test_committed_history_replays(path: Path):
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    await _replayer().replay_workflow(history)


async def test_a_fresh_history_replays_and_can_be_recorded(stack):
    """Apply, validate, take the test through the API; replay the live history (record it when asked)."""
    case, token = await apply_person(stack, fresh_clean_person(stack.population))
    await wait_for_case(stack, token, lambda c: c["stage"] == "ELIGIBLE")
    sheet = (await stack.gql("participant", START_TEST, token=token))["startAbilityTest"]
    answers = [{"questionId": q["id"], "choice": BANK.questions[q["id"]].answer} for q in sheet["questions"]]
    submit = {"input": {"attempt": 1, "answers": answers}}
    assert (await stack.gql("participant", SUBMIT_TEST, submit, token=token))["submitAbilityTest"]["status"] == "PASSED"
    runs = await _run_chain(stack.client, f"participant-{case['id']}")
    assert len(runs) >= 2, "the low continue-as-new limit in conftest should have chained runs"
    for history in runs:
        await _replayer().replay_workflow(history)
    if os.environ.get("RECORD_HISTORIES") == "1":
        name = os.environ.get("HISTORY_NAME", "participant")
        for n, history in enumerate(runs, 1):
            (HISTORIES / f"{name}_run{n}.json").write_text(history.to_json())


async def _run_chain(client, workflow_id: str) -> list:
    """Every run of a workflow, first to latest, following continue-as-new; runs still starting are skipped."""
    desc = await client.get_workflow_handle(workflow_id).describe()
    run_id = desc.raw_description.workflow_execution_info.first_run_id or desc.run_id
    runs = []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        if len(history.events) > 3:
            runs.append(history)
        last = history.events[-1]
        can = last.workflow_execution_continued_as_new_event_attributes
        run_id = (
            can.new_execution_run_id if last.HasField("workflow_execution_continued_as_new_event_attributes") else ""
        )
    return runs


async def replay_and_maybe_record(client, workflow_id: str, name: str) -> None:
    """Replay every run of a live workflow; with RECORD_HISTORIES=1 also add them to the corpus."""
    runs = await _run_chain(client, workflow_id)
    assert runs, f"no history for {workflow_id}"
    for history in runs:
        await _replayer().replay_workflow(history)
    if os.environ.get("RECORD_HISTORIES") == "1":
        prefix = os.environ.get("HISTORY_PREFIX", "v4")
        for n, history in enumerate(runs, 1):
            (HISTORIES / f"{prefix}_{name}_run{n}.json").write_text(history.to_json())
