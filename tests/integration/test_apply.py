"""apply -> case visible to the participant and staff, idempotency, refusals, nothing written on errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.service import RPCError

from adapters.registries.population import apply_input as population_input
from caseapi.shared.auth import Role
from domain.nik import blind_index
from tests.factories import apply_input
from tests.integration.helpers import fresh_clean_person
from tests.integration.queries import APPLY, MY_CASE, STAFF_CASE, STAFF_CASE_BY_NIK


async def _apply(stack, inp, token=None):
    token = token or stack.token(Role.PARTICIPANT)
    data = await stack.gql("participant", APPLY, {"input": inp}, token=token)
    return data["apply"], token


def _case_id(stack, nik: str) -> str:
    return blind_index(nik, stack.settings.blind_index_key.reveal().encode())


async def _workflow_exists(stack, case_id: str) -> bool:
    try:
        await stack.client.get_workflow_handle(f"participant-{case_id}").describe()
    except RPCError:
        return False
    return True


async def test_apply_then_participant_and_staff_see_the_case(stack):
    person = fresh_clean_person(stack.population)
    inp = population_input(person, request_id="req-" + person.nik[-10:])
    result, token = await _apply(stack, inp)
    assert result["__typename"] == "ApplySuccess", result
    case = result["case"]
    assert case["id"] == _case_id(stack, inp["nik"])
    # Registries answer within the apply: the participant sees the decision at once.
    assert case["stage"] == "ELIGIBLE"
    assert case["schemeId"] == "NORMAL_2023_X60"
    assert case["application"]["nikMasked"] == "************" + inp["nik"][-4:]
    assert case["application"]["domicile"]["provinceCode"] == person.province_code
    assert case["application"]["domicile"]["provinceName"]
    assert case["temporalUiUrl"] is None  # staff only
    decision, eligibility = case["decisions"]
    assert decision["kind"] == "APPLICATION_RECORDED" and decision["rulesetVersion"] == "2023.1"
    assert eligibility["kind"] == "ELIGIBILITY" and eligibility["outcome"] == "PASS"
    assert {r["ruleId"] for r in decision["rules"]} >= {"NIK_STRUCTURE", "AGE", "KK_STRUCTURE"}
    assert "basic-ability test" in case["nextAction"]

    mine = (await stack.gql("participant", MY_CASE, token=token))["myCase"]
    assert mine["__typename"] == "Case" and mine["id"] == case["id"]

    staff = stack.token(Role.STAFF, provinces=[person.province_code])
    seen = (await stack.gql("staff", STAFF_CASE, {"id": case["id"]}, token=staff))["case"]
    assert seen["__typename"] == "Case"
    assert seen["temporalUiUrl"].endswith(f"/workflows/participant-{case['id']}")
    by_nik = (await stack.gql("staff", STAFF_CASE_BY_NIK, {"nik": inp["nik"]}, token=staff))["caseByNik"]
    assert by_nik["id"] == case["id"]


async def test_duplicate_apply_returns_the_first_result_and_records_once(stack):
    inp = apply_input()
    first, token = await _apply(stack, inp)
    again, _ = await _apply(stack, inp, token)
    assert again == first
    handle = stack.client.get_workflow_handle(f"participant-{first['case']['id']}")
    accepted = 0
    async for event in handle.fetch_history_events():
        accepted += event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    # A retry after continue-as-new is answered from carried state, not a second update.
    assert accepted <= 1


async def test_second_application_with_the_same_nik_is_refused(stack):
    inp = apply_input()
    await _apply(stack, inp)
    other_request = dict(inp, requestId=inp["requestId"] + "-2")
    same_account_again, _ = await _apply(stack, other_request)
    assert same_account_again["__typename"] == "AlreadyApplied"
    assert same_account_again["code"] == "ALREADY_APPLIED"


async def test_an_account_has_one_case(stack):
    token = stack.token(Role.PARTICIPANT)
    first, _ = await _apply(stack, apply_input(), token)
    assert first["__typename"] == "ApplySuccess"
    other = apply_input()
    second, _ = await _apply(stack, other, token)
    assert second["__typename"] == "AccountHasCase"
    assert not await _workflow_exists(stack, _case_id(stack, other["nik"]))


@pytest.mark.parametrize(
    ("override", "field", "code"),
    [
        ({"nik": "12345"}, "nik", "NIK_FORMAT"),
        ({"nik": "9901011508950001"}, "nik", "NIK_PROVINCE"),
        ({"nik": "3201011608950001"}, "dateOfBirth", "NIK_BIRTHDATE_MISMATCH"),
        ({"kkNumber": "32010101"}, "kkNumber", "KK_FORMAT"),
        ({"dateOfBirth": "1995-02-30"}, "dateOfBirth", "DOB_FORMAT"),
        ({"dateOfBirth": "15/08/1995"}, "dateOfBirth", "DOB_FORMAT"),
        ({"consent": False}, "consent", "CONSENT_REQUIRED"),
        ({"requestId": "x"}, "requestId", "REQUEST_ID_FORMAT"),
    ],
)
async def test_malformed_input_is_a_typed_error_and_nothing_is_written(stack, override, field, code):
    inp = apply_input(**override) if "nik" not in override else dict(apply_input(), **override)
    result, token = await _apply(stack, inp)
    assert result["__typename"] == "ApplicationInvalid", result
    assert result["code"] == "INVALID_APPLICATION"
    assert {"field": field, "code": code} in [{"field": e["field"], "code": e["code"]} for e in result["fieldErrors"]]
    assert (await stack.gql("participant", MY_CASE, token=token))["myCase"]["__typename"] == "NoCaseYet"
    assert not await _workflow_exists(stack, _case_id(stack, inp["nik"]))


async def test_too_old_for_the_2023_scheme(stack):
    dob = dt.date(dt.date.today().year - 70, 3, 3)
    result, _ = await _apply(stack, apply_input(dob=dob))
    assert result["__typename"] == "ApplicationInvalid"
    assert "AGE_OUT_OF_RANGE" in [e["code"] for e in result["fieldErrors"]]


async def test_tokens_are_checked(stack):
    inp = apply_input()
    for token, expected in [
        (None, "NotAuthenticated"),
        ("not-a-jwt", "NotAuthenticated"),
        (stack.token(Role.STAFF), "NotAuthenticated"),  # staff audience on the participant endpoint
        (stack.token(Role.PARTICIPANT) + "x", "NotAuthenticated"),  # bad signature
    ]:
        result = (await stack.gql("participant", APPLY, {"input": inp}, token=token))["apply"]
        assert result["__typename"] == expected, (token, result)
    assert not await _workflow_exists(stack, _case_id(stack, inp["nik"]))
    # A participant token on the staff endpoint is refused as well.
    refused = (await stack.gql("staff", STAFF_CASE, {"id": "x"}, token=stack.token(Role.PARTICIPANT)))["case"]
    assert refused["__typename"] == "NotAuthenticated"


async def test_a_participant_sees_only_their_own_case(stack):
    a_result, _ = await _apply(stack, apply_input())
    b_token = stack.token(Role.PARTICIPANT)
    b_view = (await stack.gql("participant", MY_CASE, token=b_token))["myCase"]
    assert b_view["__typename"] == "NoCaseYet"
    # The participant schema has no way to ask for another case by ID.
    resp = await stack.http.post(
        "/graphql/participant",
        json={"query": '{ case(id: "%s") { __typename } }' % a_result["case"]["id"]},
        headers={"authorization": f"Bearer {b_token}"},
    )
    assert "errors" in resp.json() and "data" not in json.dumps(resp.json()).replace('"data": null', "")


async def test_staff_province_scope(stack):
    result, _ = await _apply(stack, apply_input(province="33", regency="33.01"))
    case_id = result["case"]["id"]
    outside = stack.token(Role.STAFF, provinces=["32"])
    inside = stack.token(Role.STAFF, provinces=["33"])
    assert (await stack.gql("staff", STAFF_CASE, {"id": case_id}, token=outside))["case"][
        "__typename"
    ] == "CaseNotFound"
    assert (await stack.gql("staff", STAFF_CASE, {"id": case_id}, token=inside))["case"]["__typename"] == "Case"


async def test_no_raw_nik_in_workflow_id_or_search_attributes(stack):
    inp = apply_input()
    result, _ = await _apply(stack, inp)
    handle = stack.client.get_workflow_handle(f"participant-{result['case']['id']}")
    desc = await handle.describe()
    assert inp["nik"] not in desc.id
    assert inp["nik"] not in json.dumps({k: [str(v) for v in vs] for k, vs in desc.search_attributes.items()})
    assert desc.typed_search_attributes is not None
