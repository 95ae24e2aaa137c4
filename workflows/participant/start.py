"""Starting a participant's workflow: its ID (from the NIK's HMAC, never the NIK), the code generation new runs
start in, and the search attributes it starts with. The API asks for the operation and knows none of these."""

from __future__ import annotations

from temporalio.client import WithStartWorkflowOperation
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy

from domain.case import Stage
from domain.messages import ParticipantInput
from workflows.participant.generations import GENERATION
from workflows.participant.workflow import ParticipantWorkflow
from workflows.search_attributes import CASE_STAGE, PROVINCE, workflow_id_for


def start_participant(
    *, case_id: str, scheme_id: str, province_code: str, task_queue: str
) -> WithStartWorkflowOperation[ParticipantWorkflow, str]:
    """The start half of an update-with-start: an open case with this ID is used as it is."""
    return WithStartWorkflowOperation(
        ParticipantWorkflow.run,
        ParticipantInput(case_id=case_id, scheme_id=scheme_id, generation=GENERATION),
        id=workflow_id_for(case_id),
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        search_attributes=TypedSearchAttributes(
            [SearchAttributePair(CASE_STAGE, Stage.STARTED.value), SearchAttributePair(PROVINCE, province_code)]
        ),
    )
