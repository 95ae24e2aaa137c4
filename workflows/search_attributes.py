"""Search attributes of participant workflows: never a raw NIK, only stage and province."""

from temporalio.common import SearchAttributeKey

CASE_STAGE = SearchAttributeKey.for_keyword("CaseStage")
PROVINCE = SearchAttributeKey.for_keyword("Province")

ALL_SEARCH_ATTRIBUTES = [CASE_STAGE, PROVINCE]


def workflow_id_for(case_id: str) -> str:
    """The workflow ID of a case; ``case_id`` is already an HMAC of the NIK."""
    return f"participant-{case_id}"
