"""The participant schema (served at /graphql/participant)."""

from __future__ import annotations

import strawberry

from caseapi.participant.mutations.answer_survey import answer_survey
from caseapi.participant.mutations.apply import apply
from caseapi.participant.mutations.change_phone import change_phone
from caseapi.participant.mutations.confirm_attendance import confirm_attendance
from caseapi.participant.mutations.file_complaint import file_complaint
from caseapi.participant.mutations.join_wave import join_wave
from caseapi.participant.mutations.link_payout_account import link_payout_account
from caseapi.participant.mutations.mark_vacancy import mark_vacancy
from caseapi.participant.mutations.rate_training import rate_training
from caseapi.participant.mutations.start_ability_test import start_ability_test
from caseapi.participant.mutations.submit_ability_test import submit_ability_test
from caseapi.participant.mutations.submit_skills_task import submit_skills_task
from caseapi.participant.mutations.unlink_payout_account import unlink_payout_account
from caseapi.participant.queries.ability_test import ability_test
from caseapi.participant.queries.job_recommendations import my_job_recommendations
from caseapi.participant.queries.my_case import my_case
from caseapi.participant.queries.open_waves import open_waves
from caseapi.shared.subscriptions import my_case_status
from caseapi.shared.trending_jobs import trending_jobs
from caseapi.shared.verify_wave import verify_wave_selection


@strawberry.type
class Query:
    my_case = strawberry.field(resolver=my_case, description="Your case: stage, decisions with reasons, next step.")
    ability_test = strawberry.field(resolver=ability_test, description="Questions of your test attempt in progress.")
    open_waves = strawberry.field(resolver=open_waves, description="Waves open now for your domicile province.")
    verify_wave_selection = strawberry.field(
        resolver=verify_wave_selection, description="Re-run a closed wave's lottery from its revealed seed (public)."
    )
    my_job_recommendations = strawberry.field(
        resolver=my_job_recommendations,
        description="Open vacancies ranked for you, with reasons (after your first training certificate).",
    )
    trending_jobs = strawberry.field(
        resolver=trending_jobs,
        description="The 10 vacancy categories of a province most applied for in a month (YYYY-MM, default now).",
    )


@strawberry.type
class Mutation:
    apply = strawberry.mutation(resolver=apply, description="Apply to the programme (idempotent on requestId).")
    start_ability_test = strawberry.mutation(
        resolver=start_ability_test, description="Start (or resume) the basic-ability test: 18 questions, 25 minutes."
    )
    submit_ability_test = strawberry.mutation(
        resolver=submit_ability_test, description="Submit answers for an attempt before its deadline."
    )
    join_wave = strawberry.mutation(resolver=join_wave, description="Join an open wave for your province (one click).")
    submit_skills_task = strawberry.mutation(
        resolver=submit_skills_task,
        description="Submit a skills task (TPM 1–998, UK 999) with a file link and a reflective journal, within "
        "3×24 hours of its opening.",
    )
    rate_training = strawberry.mutation(
        resolver=rate_training, description="Rate (1–5) and review a certified training, once."
    )
    link_payout_account = strawberry.mutation(
        resolver=link_payout_account,
        description="Link the bank or e-wallet account for incentives (your own NIK, KYC-verified).",
    )
    unlink_payout_account = strawberry.mutation(
        resolver=unlink_payout_account, description="Disconnect the linked account (before relinking or a new phone)."
    )
    change_phone = strawberry.mutation(
        resolver=change_phone, description="Change your mobile number (unlink your payout account first)."
    )
    file_complaint = strawberry.mutation(
        resolver=file_complaint, description="File a complaint about your case (idempotent on requestId)."
    )
    answer_survey = strawberry.mutation(
        resolver=answer_survey, description="Answer an open evaluation survey; its incentive is then paid."
    )
    confirm_attendance = strawberry.mutation(
        resolver=confirm_attendance,
        description="Confirm a training session from a provider's attendance-verification link (url-generate).",
    )
    mark_vacancy = strawberry.mutation(
        resolver=mark_vacancy,
        description="Say you applied to a recommended vacancy or are not interested in it (the latest counts).",
    )


@strawberry.type
class Subscription:
    my_case_status = strawberry.subscription(
        resolver=my_case_status, description="Your case's status now, then every change as it happens."
    )
