"""Course review in three layers (DP → PMO → assessor body), end to end over GraphQL and the real workflow:
approval puts the version on sale, refusals and change requests end a review, a lapsed layer is escalated, a
material change is reviewed while the approved version keeps selling, and the conflict-of-interest rule."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from temporalio.client import WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from adapters.db.course_reviews import PgReviewStore
from caseapi.shared.auth import Role
from domain.quality import review as rv
from domain.scheme import get_scheme
from tests.integration.quality_steps import (
    DP_QUEUE,
    QUEUE,
    REASONS,
    assessor_token,
    register_body,
    review,
    submit,
    through_dp_and_pmo,
    versions,
    wait_version,
)
from tests.integration.training_queries import STAFF_UPSERT_COURSE
from tests.integration.training_steps import buy, enrolled, market, partner_token, request_otp
from tests.workflows.test_replay import replay_and_maybe_record
from workflows.course_review import CourseReviewWorkflow

TIMELINE = "query T($p: String!, $c: String) { qualityTimeline(providerCode: $p, courseCode: $c) { kind actor } }"


def _code(tag: str) -> str:
    return f"{tag}-{uuid.uuid4().hex[:6]}"


async def _assess(stack, m, code: str, version: int, verdict: str = "APPROVE", reasons=None) -> dict:
    at_assessor = await wait_version(stack, m, code, version, lambda v: v["assessorBody"] is not None)
    token = assessor_token(stack, at_assessor["assessorBody"])
    return await review(stack, "staff", token, code, version, verdict, reasons)


async def test_a_version_through_three_layers_is_sold_only_once_approved(stack):
    m = await market(stack)
    await register_body(stack, _code("univ"), assesses=True, monitors=False)
    code = _code("umkm")
    submitted = await submit(stack, m, code)
    assert (submitted["status"], submitted["layer"], submitted["version"]) == ("IN_REVIEW", "DP", 1), submitted
    m.courses["new"] = {"courseCode": code, "price": 900_000}
    [(token, _)] = await enrolled(stack, 1)
    refused = await request_otp(stack, m, "0000000000000000", "new")
    assert (refused["__typename"], refused["code"]) == ("PurchaseRefused", "COURSE_NOT_APPROVED"), refused
    before = await buy(stack, m, token, "new")
    assert before["code"] == "COURSE_NOT_APPROVED", before  # refused before the OTP: nothing sent, nothing debited
    # out of turn: the PMO cannot decide the DP layer; an assessor has nothing in their queue yet
    early = await review(stack, "staff", stack.token(Role.STAFF), code, 1, "APPROVE")
    assert early["code"] == "NOT_YOUR_LAYER", early
    await through_dp_and_pmo(stack, m, code, 1)
    done = await _assess(stack, m, code, 1)
    assert (done["status"], done["layer"]) == ("APPROVED", None), done
    assert [d["layer"] for d in done["decisions"]] == ["DP", "PMO", "ASSESSOR"], done
    receipt = await buy(stack, m, token, "new")
    assert receipt["__typename"] == "PurchaseReceipt", receipt
    again = await review(stack, "staff", stack.token(Role.STAFF), code, 1, "REJECT", REASONS)
    assert again["code"] == "NOT_YOUR_LAYER", again
    await replay_and_maybe_record(stack.client, rv.review_workflow_id(code, 1), "course_review_approved")
    timeline = await stack.gql("staff", TIMELINE, {"p": m.provider, "c": code}, token=stack.token(Role.STAFF))
    kinds = [e["kind"] for e in timeline["qualityTimeline"]]
    assert kinds[0] == "VERSION_SUBMITTED" and kinds.count("LAYER_OPENED") == 3, kinds
    assert [k for k in kinds if k.startswith("REVIEW_")] == ["REVIEW_APPROVE"] * 3, kinds


async def test_each_layer_can_refuse_or_ask_for_changes_with_reasons(stack):
    m = await market(stack)
    await register_body(stack, _code("univ"), assesses=True, monitors=False)
    dp_token, staff = partner_token(stack, m.platform), stack.token(Role.STAFF)
    first = _code("dp-no")
    await submit(stack, m, first)
    bare = await review(stack, "partner", dp_token, first, 1, "REJECT")
    assert bare["code"] == "INVALID_ARGUMENT", bare  # a refusal needs its reasons
    rejected = await review(stack, "partner", dp_token, first, 1, "REJECT", REASONS)
    assert (rejected["status"], rejected["layer"]) == ("REJECTED", None), rejected
    second = _code("pmo-changes")
    await submit(stack, m, second)
    await review(stack, "partner", dp_token, second, 1, "APPROVE")
    changes = await review(stack, "staff", staff, second, 1, "REQUEST_CHANGES", REASONS)
    assert changes.get("status") == "CHANGES_REQUESTED", changes
    resubmitted = await submit(stack, m, second, price=850_000)
    assert (resubmitted["version"], resubmitted["status"]) == (2, "IN_REVIEW"), resubmitted
    third = _code("assessor-no")
    await submit(stack, m, third)
    await through_dp_and_pmo(stack, m, third, 1)
    refused = await _assess(stack, m, third, 1, "REJECT", REASONS)
    assert refused["status"] == "REJECTED", refused
    other_platform = await review(stack, "partner", partner_token(stack, m.other_platform), second, 2, "APPROVE")
    assert other_platform["code"] == "REVIEW_NOT_FOUND", other_platform


async def test_a_material_change_is_reviewed_while_the_approved_version_sells(stack):
    m = await market(stack)
    await register_body(stack, _code("univ"), assesses=True, monitors=False)
    code = _code("reprice")
    await submit(stack, m, code, price=900_000)
    await through_dp_and_pmo(stack, m, code, 1)
    await _assess(stack, m, code, 1)
    v2 = await submit(stack, m, code, price=1_200_000)
    assert (v2["version"], v2["status"]) == (2, "IN_REVIEW"), v2
    busy = await submit(stack, m, code, price=1_300_000)
    assert busy["code"] == "REVIEW_IN_PROGRESS", busy
    [(token, _)] = await enrolled(stack, 1)
    m.courses["v1"] = {"courseCode": code, "price": 900_000}
    receipt = await buy(stack, m, token, "v1")
    assert receipt["__typename"] == "PurchaseReceipt", receipt  # version 1's terms, while version 2 is in review
    await through_dp_and_pmo(stack, m, code, 2)
    await _assess(stack, m, code, 2)
    sold = await stack.market.course(code)
    assert sold is not None and sold.price == 1_200_000


async def test_conflict_of_interest_assessor_never_reviews_a_provider_its_body_monitors(stack):
    m = await market(stack)
    watcher = _code("watcher")
    await register_body(stack, watcher, assesses=True, monitors=True, providers=[m.provider])
    code = _code("coi")
    await submit(stack, m, code)
    await through_dp_and_pmo(stack, m, code, 1)
    assigned = await wait_version(stack, m, code, 1, lambda v: v["assessorBody"] is not None)
    assert assigned["assessorBody"] != watcher  # the assignment picked another body
    # the watcher's assessor cannot take it even if the registry changed after the assignment
    refused = await review(stack, "staff", assessor_token(stack, watcher), code, 1, "APPROVE")
    assert refused["code"] == "REVIEW_NOT_FOUND", refused  # not in their queue: it looks missing
    await register_body(stack, assigned["assessorBody"], assesses=True, monitors=True, providers=[m.provider])
    conflicted = await review(stack, "staff", assessor_token(stack, assigned["assessorBody"]), code, 1, "APPROVE")
    assert conflicted["code"] == "CONFLICT_OF_INTEREST", conflicted
    queue = await stack.gql("staff", QUEUE, {"o": False}, token=assessor_token(stack, watcher))
    assert all(v["assessorBody"] == watcher for v in queue["courseReviewQueue"]), queue


async def test_a_lapsed_layer_is_escalated_and_still_waits_for_its_decision(stack):
    m = await market(stack)
    code = _code("lapse")
    reviews = PgReviewStore(stack.engine)
    content = rv.VersionContent(code, "Lapse", m.provider, m.platform, 700_000, "SELF_PACED", "Digital Marketing")
    view = await reviews.submit(content, rv.material_digest(content), "test", dt.datetime.now(dt.UTC))
    short = tuple((layer, dt.timedelta(seconds=1)) for layer in rv.LAYERS)
    await stack.client.start_workflow(
        CourseReviewWorkflow.run,
        rv.ReviewInput(code, view.version, m.provider, m.platform, short),
        id=rv.review_workflow_id(code, view.version),
        task_queue=stack.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    lapsed = await wait_version(stack, m, code, 1, lambda v: v["escalatedAt"] is not None)
    assert (lapsed["status"], lapsed["layer"]) == ("IN_REVIEW", "DP"), lapsed
    queue = await stack.gql("staff", QUEUE, {"o": True}, token=stack.token(Role.STAFF))
    assert code not in {v["courseCode"] for v in queue["courseReviewQueue"]}  # overdue at DP, not the PMO's yet
    platform = partner_token(stack, m.platform)
    dp_queue = await stack.gql("partner", DP_QUEUE, {"o": True}, token=platform)
    assert code in {v["courseCode"] for v in dp_queue["courseVersions"]}, dp_queue
    approved = await review(stack, "partner", partner_token(stack, m.platform), code, 1, "APPROVE")
    assert (approved["layer"], approved["escalatedAt"]) == ("PMO", None), approved
    await asyncio.sleep(1.5)
    overdue = await stack.gql("staff", QUEUE, {"o": True}, token=stack.token(Role.STAFF))
    assert code in {v["courseCode"] for v in overdue["courseReviewQueue"]}, overdue
    rejected = await review(stack, "staff", stack.token(Role.STAFF), code, 1, "REJECT", REASONS)
    assert rejected["status"] == "REJECTED", rejected
    await replay_and_maybe_record(stack.client, rv.review_workflow_id(code, 1), "course_review_lapsed_rejected")


async def test_staff_listing_is_direct_and_on_the_course_versions(stack):
    m = await market(stack)  # the fixtures' courses: listed directly by national staff, sold at once
    code = m.courses["selfpaced"]["courseCode"]
    listed = await versions(stack, m, code)
    assert [(v["version"], v["status"]) for v in listed] == [(1, "LISTED_DIRECTLY")], listed
    change = {**m.courses["selfpaced"], "price": 1_100_000}
    done = await stack.gql("staff", STAFF_UPSERT_COURSE, {"input": change}, token=stack.token(Role.STAFF))
    assert done["upsertCourse"]["price"] == 1_100_000, done
    assert [v["version"] for v in await versions(stack, m, code)] == [1, 2]


async def test_a_decision_delivered_with_the_start_is_taken(stack):
    """The first layer's decision can reach the workflow in its first task, before ``run`` begins (update-with-start
    delivers it so): the workflow is at the DP layer from its start (the bench found a refusal here under load)."""
    m = await market(stack)
    code = _code("early")
    content = rv.VersionContent(code, "Early", m.provider, m.platform, 700_000, "SELF_PACED", "Digital Marketing")
    view = await PgReviewStore(stack.engine).submit(
        content, rv.material_digest(content), "test", dt.datetime.now(dt.UTC)
    )
    levels = rv.service_levels(get_scheme(stack.settings.scheme_id))
    start = WithStartWorkflowOperation(
        CourseReviewWorkflow.run,
        rv.ReviewInput(code, view.version, m.provider, m.platform, levels),
        id=rv.review_workflow_id(code, view.version),
        task_queue=stack.settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    decision = rv.ReviewDecision(rv.Layer.DP, rv.Verdict.APPROVE, f"partner:{m.platform}")
    answer = await stack.client.execute_update_with_start_workflow(
        CourseReviewWorkflow.review, decision, start_workflow_operation=start, id=f"early-{code}"
    )
    assert answer.layer is rv.Layer.PMO, answer
