"""The partner schema (served at /graphql/partner): platforms, training providers, payment partners, job portals."""

from __future__ import annotations

import strawberry

from caseapi.partner.mutations.cancel_purchase import cancel_purchase
from caseapi.partner.mutations.purchase_training import purchase_training
from caseapi.partner.mutations.redeem_voucher import redeem_voucher
from caseapi.partner.mutations.report_test_score import report_test_score
from caseapi.partner.mutations.report_transfer import report_transfer
from caseapi.partner.mutations.request_purchase_otp import request_purchase_otp
from caseapi.partner.mutations.skills_tasks import grade_skills_task, reopen_skills_task, skills_task
from caseapi.partner.mutations.training_reports import confirm_completion, report_completion
from caseapi.partner.mutations.upsert_course import upsert_course
from caseapi.partner.mutations.upsert_vacancy import upsert_vacancy
from caseapi.partner.quality.course_versions import course_versions, review_course_version, submit_course_version
from caseapi.partner.queries.courses import courses
from caseapi.partner.queries.me import me
from caseapi.partner.queries.own_records import purchase, voucher_status


@strawberry.type
class Query:
    me = strawberry.field(resolver=me, description="The calling partner's identity.")
    courses = strawberry.field(resolver=courses, description="Your active catalogue entries.")
    voucher_status = strawberry.field(
        resolver=voucher_status, description="Provider: a redeem code of your course, for one session (1–10, 999)."
    )
    purchase = strawberry.field(resolver=purchase, description="Platform: your purchase by its idempotency key.")
    skills_task = strawberry.field(
        resolver=skills_task, description="Provider: a skills task (TPM 1–998, UK 999) of your course's code."
    )
    course_versions = strawberry.field(
        resolver=course_versions, description="Your courses' versions: one course's history, or those in review."
    )


@strawberry.type
class Mutation:
    request_purchase_otp = strawberry.mutation(
        resolver=request_purchase_otp, description="Platform: send the participant an OTP to confirm a purchase."
    )
    purchase_training = strawberry.mutation(
        resolver=purchase_training, description="Platform: buy a training with card + OTP (exactly once per key)."
    )
    cancel_purchase = strawberry.mutation(
        resolver=cancel_purchase, description="Platform: cancel a purchase before the training starts (refund)."
    )
    confirm_completion = strawberry.mutation(
        resolver=confirm_completion, description="Platform: confirm the provider's completion report."
    )
    upsert_course = strawberry.mutation(resolver=upsert_course, description="Platform: add or change your course.")
    redeem_voucher = strawberry.mutation(
        resolver=redeem_voucher, description="Provider: redeem a code for a session (1–10) or the post-test (999)."
    )
    report_completion = strawberry.mutation(
        resolver=report_completion, description="Provider: report that the participant completed the training."
    )
    report_test_score = strawberry.mutation(
        resolver=report_test_score, description="Provider: the pre-test or post-test score (0–100) of a training."
    )
    report_transfer = strawberry.mutation(
        resolver=report_transfer,
        description="Payment partner: the result of a transfer you accepted (settled or failed), by its key.",
    )
    grade_skills_task = strawberry.mutation(
        resolver=grade_skills_task, description="Provider: grade a submitted skills task (PASS / REVISE, with notes)."
    )
    reopen_skills_task = strawberry.mutation(
        resolver=reopen_skills_task, description="Provider: reopen a lapsed skills task for another 3×24 hours."
    )
    upsert_vacancy = strawberry.mutation(
        resolver=upsert_vacancy, description="Job portal: publish or update one of your vacancies (keyed by its ID)."
    )
    submit_course_version = strawberry.mutation(
        resolver=submit_course_version, description="Provider: submit a course version for the three-layer review."
    )
    review_course_version = strawberry.mutation(
        resolver=review_course_version, description="Platform: decide the DP layer of a course on your platform."
    )
