"""The official TPM/UK endpoints against the real stack, as thin adapters over the GraphQL calls: a participant's
tasks through submission (GraphQL and forwarded by the provider), status and feedback (revise, then pass) to the
certificate, both signature body forms, each error, another provider's code, and the read model the integrity view
reads (``case_trainings``, ``training_stats``)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from caseapi.rest import catalogue as cat
from caseapi.shared.auth import Role
from tests.integration.training_queries import (
    CONFIRM_COMPLETION,
    REDEEM,
    REPORT_COMPLETION,
    STAFF_UPSERT_COURSE,
    VERIFY_COMPLETION,
)
from tests.integration.training_steps import buy, enrolled, ledger_problems, market, partner_token
from tests.rest.partner_calls import BASE, ok, post, refused

SUBMISSION = f"{BASE}/tpm/submission"
STATUS = f"{BASE}/tpm/submission/status"
FEEDBACK = f"{BASE}/tpm/feedback/submission"
URL = "https://lpk.example/tugas/1.md"

SUBMIT_GQL = """mutation($c: String!, $s: Int!, $u: String!, $j: String!) {
  submitSkillsTask(redeemCode: $c, sequence: $s, urlFile: $u, journal: $j) {
    __typename ... on SkillsTaskReceipt { status sequence scope dueAt } ... on Error { code message } } }"""
GRADE_GQL = """mutation($c: String!, $s: Int!, $v: SkillsTaskVerdict!, $n: String!) {
  gradeSkillsTask(redeemCode: $c, sequence: $s, verdict: $v, notes: $n) {
    __typename ... on SkillsTaskReceipt { status notes } ... on Error { code message } } }"""
STAFF_TIMELINE = "query($c: ID!) { case(id: $c) { ... on Case { timeline { what actor } } } }"
TASKS_OF_CASE = """query { myCase { ... on Case { id nextAction trainings { status skillsTasks {
  sequence scope status submissions { urlFile journal by } grades { verdict notes } } } } } }"""


@pytest.fixture(autouse=True)
async def invariants(stack):
    yield
    assert await ledger_problems(stack) == []


async def _reported(stack) -> tuple[dict, str, str, dict]:
    """A course that sets TPM 1 and UK 999, bought, redeemed and reported complete: (market, token, code, receipt)."""
    m = await market(stack)
    course = {**m.courses["selfpaced"], "courseCode": f"tasks-{uuid.uuid4().hex[:6]}", "skillsTasks": [999, 1]}
    saved = await stack.gql("staff", STAFF_UPSERT_COURSE, {"input": course}, token=stack.token(Role.STAFF))
    assert saved["upsertCourse"]["__typename"] == "Course", saved
    m.courses["tasks"] = course
    [(token, _)] = await enrolled(stack, 1)
    receipt = await buy(stack, m, token, "tasks")
    code, lpk = receipt["redeemCode"], partner_token(stack, m.provider)
    redeemed = await stack.gql("partner", REDEEM, {"code": code, "key": "k1", "seq": 1, "type": None}, token=lpk)
    assert redeemed["redeemVoucher"]["__typename"] == "RedeemReceipt", redeemed
    done = await stack.gql("partner", REPORT_COMPLETION, {"v": receipt["voucherCode"]}, token=lpk)
    assert done["reportCompletion"]["status"] == "COMPLETION_REPORTED", done
    return m, token, code, receipt


async def test_tasks_through_rest_and_graphql_to_the_certificate(stack):
    m, token, code, receipt = await _reported(stack)
    key, lpk, http = m.keys[m.provider], m.provider, stack.http
    tpm1, uk = {"redeem_code": code, "scope": "tpm", "sequence": 1}, {"redeem_code": code, "scope": "uk", "sequence": 999}

    opened = await ok(http, key, lpk, STATUS, tpm1, spaced=True)  # the Python sample's spaced body
    assert (opened.assignment.status, opened.feedback.status, opened.assignment.scope) == (1, 0, "tpm")
    await refused(http, key, lpk, FEEDBACK, {**tpm1, "notes": "x"}, cat.TASK_STATE.code)  # nothing to grade yet

    sent = await stack.gql("participant", SUBMIT_GQL, {"c": code, "s": 1, "u": URL, "j": "Refleksi saya."}, token=token)
    assert sent["submitSkillsTask"]["status"] == "SUBMITTED", sent
    assert (await ok(http, key, lpk, STATUS, tpm1)).assignment.status == 2
    revise = await ok(http, key, lpk, FEEDBACK, {**tpm1, "notes": "Tambah foto.", "url_file": "", "status": 2})
    assert (revise.status, revise.notes, revise.id) == (2, "Tambah foto.", 1)
    again = await ok(http, key, lpk, SUBMISSION, {**tpm1, "url_file": URL + "?v=2"}, spaced=True)
    assert (again.id, again.status, again.url_file, again.scope) == (2, 2, URL + "?v=2", "tpm")
    await refused(http, key, lpk, SUBMISSION, {**tpm1, "url_file": URL + "?v=3"}, cat.TASK_STATE.code)
    passed = await ok(http, key, lpk, FEEDBACK, {**tpm1, "notes": "Lulus.", "url_file": "https://lpk.example/n.md"})
    assert (passed.status, passed.id, passed.url_file) == (1, 2, "https://lpk.example/n.md")

    confirm = await stack.gql("partner", CONFIRM_COMPLETION, {"v": receipt["voucherCode"]},
                              token=partner_token(stack, m.platform))  # fmt: skip
    assert confirm["confirmCompletion"]["code"] == "SKILLS_TASKS_PENDING", confirm  # UK 999 is still open

    await ok(http, key, lpk, SUBMISSION, {**uk, "url_file": URL})
    grade = {"c": code, "s": 999, "v": "PASS", "n": "Terampil."}
    graded = await stack.gql("partner", GRADE_GQL, grade, token=partner_token(stack, m.provider))
    assert graded["gradeSkillsTask"]["status"] == "PASSED", graded
    final = await ok(http, key, lpk, STATUS, uk)
    assert (final.assignment.status, final.feedback.status, final.feedback.sequence) == (2, 1, 999)

    shown = (await stack.gql("participant", TASKS_OF_CASE, token=token))["myCase"]
    tasks = shown["trainings"][0]["skillsTasks"]
    assert [(k["sequence"], k["scope"], k["status"]) for k in tasks] == [(1, "tpm", "PASSED"), (999, "uk", "PASSED")]
    assert [s["by"] for s in tasks[0]["submissions"]] == ["participant", f"partner:{lpk}"]
    assert [g["verdict"] for g in tasks[0]["grades"]] == ["REVISE", "PASS"]
    staff = await stack.gql("staff", STAFF_TIMELINE, {"c": shown["id"]}, token=stack.token(Role.STAFF))
    told = {(e["what"], e["actor"]) for e in staff["case"]["timeline"]}
    assert {("submitted skills task 1", "participant"), ("submitted skills task 1", f"partner:{lpk}"),
            ("graded skills task 1: REVISE", f"partner:{lpk}")} <= told, told  # fmt: skip

    confirm = await stack.gql("partner", CONFIRM_COMPLETION, {"v": receipt["voucherCode"]},
                              token=partner_token(stack, m.platform))  # fmt: skip
    assert confirm["confirmCompletion"]["status"] == "VERIFYING", confirm
    done = await stack.gql("staff", VERIFY_COMPLETION, {"v": receipt["voucherCode"]}, token=stack.token(Role.STAFF))
    assert done["verifyCompletion"]["status"] == "CERTIFIED", done

    async with stack.engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT * FROM case_trainings WHERE voucher_code = :v"), {"v": receipt["voucherCode"]}
            )
        ).one()
        stats = (
            await conn.execute(
                text("SELECT * FROM training_stats WHERE provider_code = :p AND course_code = :c"),
                {"p": lpk, "c": m.courses["tasks"]["courseCode"]},
            )
        ).one()
    assert (row.status, row.attended, row.tasks, row.tasks_passed, row.tasks_revised) == ("CERTIFIED", 1, 2, 2, 1)
    assert (stats.trainings, stats.certified, stats.finished, stats.tasks, stats.tasks_passed) == (1, 1, 1, 2, 2)


async def test_each_refusal_of_the_tpm_endpoints(stack):
    m, token, code, _ = await _reported(stack)
    key, lpk, http = m.keys[m.provider], m.provider, stack.http
    tpm1 = {"redeem_code": code, "scope": "tpm", "sequence": 1}
    other, other_key = m.other_provider, m.keys[m.other_provider]
    for path in (SUBMISSION, STATUS, FEEDBACK):
        body = {**tpm1, "url_file": URL, "notes": "n"}
        await refused(http, other_key, other, path, body, cat.CODE_OF_OTHER_PROVIDER.code)
        await refused(http, key, lpk, path, {**body, "redeem_code": "NO-SUCH-CODE"}, cat.REDEEM_CODE_NOT_FOUND.code)
        await refused(http, key, lpk, path, {**body, "scope": "uk"}, cat.INVALID_SCOPE.code)
        await refused(http, key, lpk, path, {**body, "scope": "tpm", "sequence": 999}, cat.INVALID_SCOPE.code)
        await refused(http, key, lpk, path, {**body, "sequence": "1"}, cat.INVALID_BODY.code)
        await refused(http, key, lpk, path, {**body, "scope": ""}, cat.REQUIRED_EMPTY.code)
    await refused(http, key, lpk, SUBMISSION, {**tpm1, "url_file": "lampiran.pdf"}, cat.INVALID_FILE_URL.code)
    await refused(http, key, lpk, SUBMISSION, tpm1, cat.REQUIRED_EMPTY.code)
    await refused(http, key, lpk, SUBMISSION, {**tpm1, "sequence": 2, "url_file": URL}, cat.TASK_NOT_FOUND.code)
    await refused(http, key, lpk, FEEDBACK, {**tpm1, "notes": ""}, cat.REQUIRED_EMPTY.code)
    await refused(http, key, lpk, FEEDBACK, {**tpm1, "notes": "n", "status": 3}, cat.INVALID_BODY.code)
    # The documentation's own example has a trailing comma: invalid JSON is refused (§10 #11).
    raw = f'{{"redeem_code":"{code}","scope":"uk","sequence":999,}}'.encode()
    answer = await post(http, key, lpk, STATUS, raw)
    assert (answer.status_code, answer.json()["code"]) == (400, cat.INVALID_BODY.code)
    # A provider's GraphQL grade of another provider's code is refused the same way.
    grade = {"c": code, "s": 1, "v": "PASS", "n": "x"}
    foreign = await stack.gql("partner", GRADE_GQL, grade, token=partner_token(stack, other))
    assert foreign["gradeSkillsTask"]["code"] == "CODE_OF_OTHER_PROVIDER", foreign
    shown = (await stack.gql("participant", TASKS_OF_CASE, token=token))["myCase"]
    said = shown["nextAction"].lower()
    assert "task 1" in said or "tugas 1" in said, said  # the participant is told to submit task 1


async def test_sandbox_test_codes_practise_tasks_and_reset_clears_them(stack):
    from devstack.sandbox import provision

    tag = uuid.uuid4().hex[:6].upper()
    mine = await provision(stack.engine, f"LPK-T{tag}", f"DP-T{tag}")
    theirs = await provision(stack.engine, f"LPK-U{tag}", f"DP-U{tag}")
    lp, key, code = mine["lp"]["client_code"], mine["lp"]["sign_key"], mine["lp"]["test_codes"]["TC1-001-200"]
    http, uk = stack.http, {"redeem_code": code, "scope": "uk", "sequence": 999}
    fresh = await ok(http, key, lp, STATUS, uk)
    assert (fresh.assignment.status, fresh.feedback.status) == (0, 0)
    await refused(http, key, lp, FEEDBACK, {**uk, "notes": "n"}, cat.TASK_NOT_FOUND.code)  # nothing submitted
    assert (await ok(http, key, lp, SUBMISSION, {**uk, "url_file": URL})).status == 2
    await refused(http, key, lp, SUBMISSION, {**uk, "url_file": URL + "x"}, cat.TASK_STATE.code)
    graded = await ok(http, key, lp, FEEDBACK, {**uk, "notes": "Ulangi.", "status": 2})
    assert (graded.status, graded.notes) == (2, "Ulangi.")
    assert (await ok(http, key, lp, SUBMISSION, {**uk, "url_file": URL + "?v=2"})).id == 2
    other = theirs["lp"]
    await refused(http, other["sign_key"], other["client_code"], STATUS, uk, cat.CODE_OF_OTHER_PROVIDER.code)
    await ok(http, key, lp, f"{BASE}/payment/redeem-code/reset", {"redeem_code": code})
    cleared = await ok(http, key, lp, STATUS, uk)
    assert (cleared.assignment.status, cleared.feedback.status) == (0, 0)
