"""The staff schema (served at /graphql/staff)."""

from __future__ import annotations

import strawberry

from caseapi.shared.subscriptions import case_status_changes, queue_changes
from caseapi.shared.trending_jobs import trending_jobs
from caseapi.shared.verify_wave import verify_wave_selection
from caseapi.staff.complaints import answer_complaint, assign_complaint, close_complaint, complaints
from caseapi.staff.mutations.cancel_voucher import cancel_voucher
from caseapi.staff.mutations.change_wave import close_wave, extend_wave
from caseapi.staff.mutations.create_wave import create_wave
from caseapi.staff.mutations.mark_ineligible import mark_ineligible
from caseapi.staff.mutations.reconciliation import resolve_discrepancy, run_reconciliation
from caseapi.staff.mutations.record_repayment import record_repayment
from caseapi.staff.mutations.register_partner import register_partner
from caseapi.staff.mutations.schedules import set_course_requirements, upsert_schedule
from caseapi.staff.mutations.upload_priority_cohort import upload_priority_cohort
from caseapi.staff.mutations.upsert_course import upsert_course
from caseapi.staff.mutations.verify_completion import verify_completion
from caseapi.staff.operator.approve_action import approve_action, reject_action
from caseapi.staff.operator.queries import case_audit, pending_actions
from caseapi.staff.operator.request_action import request_action
from caseapi.staff.quality.bodies import quality_bodies, register_quality_body
from caseapi.staff.quality.monitoring import (
    findings,
    monitoring_sample,
    quality_timeline,
    record_finding,
    verify_monitoring_sample,
)
from caseapi.staff.quality.reviews import course_review_queue, review_course_version
from caseapi.staff.quality.sanctions import approve_sanction, open_sanction, reject_sanction, sanctions
from caseapi.staff.queries.case import case, case_by_nik
from caseapi.staff.queries.cases import cases
from caseapi.staff.queries.courses import courses
from caseapi.staff.queries.funnel import funnel
from caseapi.staff.queries.integrity import course_integrity, integrity_evidence, provider_integrity
from caseapi.staff.queries.payouts import payment_discrepancies, receivables
from caseapi.staff.queries.training_outcomes import training_outcomes
from caseapi.staff.queries.waves import wave, waves
from caseapi.staff.what_if.query import what_if, what_ifs
from caseapi.staff.what_if.start import start_what_if


@strawberry.type
class Query:
    case = strawberry.field(resolver=case, description="One case by its ID, within your province scope.")
    case_by_nik = strawberry.field(resolver=case_by_nik, description="One case by NIK (matched by blind index).")
    cases = strawberry.field(resolver=cases, description="Search cases with keyset pagination.")
    waves = strawberry.field(resolver=waves, description="Waves, newest first.")
    wave = strawberry.field(resolver=wave, description="One wave with live per-province counts.")
    courses = strawberry.field(resolver=courses, description="The active training catalogue.")
    training_outcomes = strawberry.field(
        resolver=training_outcomes, description="Average pre/post test scores and ratings per course or provider."
    )
    verify_wave_selection = strawberry.field(
        resolver=verify_wave_selection, description="Re-run a closed wave's lottery from its revealed seed."
    )
    payment_discrepancies = strawberry.field(
        resolver=payment_discrepancies, description="Differences between partner statements and our payments."
    )
    receivables = strawberry.field(resolver=receivables, description="Money owed back after clawbacks.")
    provider_integrity = strawberry.field(
        resolver=provider_integrity, description="Per provider: completion, attendance, tasks, ratings, refunds, flags."
    )
    course_integrity = strawberry.field(
        resolver=course_integrity, description="Per course of one provider, with identical-timing clusters and flags."
    )
    integrity_evidence = strawberry.field(
        resolver=integrity_evidence, description="The trainings (case and voucher) behind one flag of a provider."
    )
    pending_actions = strawberry.field(
        resolver=pending_actions, description="Four-eyes requests waiting for a supervisor, in your provinces."
    )
    case_audit = strawberry.field(resolver=case_audit, description="A case's append-only audit log.")
    complaints = strawberry.field(resolver=complaints, description="The complaints queue, most urgent SLA first.")
    trending_jobs = strawberry.field(
        resolver=trending_jobs, description="Top 10 most-sought vacancy categories of a province in a month."
    )
    funnel = strawberry.field(
        resolver=funnel, description="Cases per programme step (registered → paid), per wave and/or province."
    )
    what_if = strawberry.field(
        resolver=what_if, description="A what-if's status and both selections side by side (your provinces)."
    )
    what_ifs = strawberry.field(resolver=what_ifs, description="A wave's what-ifs, newest first (at most 50).")
    course_review_queue = strawberry.field(
        resolver=course_review_queue, description="Course versions waiting for your layer (PMO, or your body)."
    )
    quality_bodies = strawberry.field(resolver=quality_bodies, description="Assessor and monitoring bodies.")
    monitoring_sample = strawberry.field(
        resolver=monitoring_sample, description="Monitor: your body's sample of a provider's month (seeded draw)."
    )
    verify_monitoring_sample = strawberry.field(
        resolver=verify_monitoring_sample, description="Re-draw a drawn sample from its revealed seed."
    )
    findings = strawberry.field(resolver=findings, description="A provider's monitoring findings.")
    quality_timeline = strawberry.field(
        resolver=quality_timeline,
        description="A provider's or course's timeline: reviews, findings, sanctions.",
    )
    sanctions = strawberry.field(resolver=sanctions, description="Sanctions against providers, newest first.")


@strawberry.type
class Mutation:
    create_wave = strawberry.mutation(resolver=create_wave, description="Schedule a wave (national staff).")
    close_wave = strawberry.mutation(resolver=close_wave, description="Close an open wave early, with a reason.")
    extend_wave = strawberry.mutation(resolver=extend_wave, description="Move a wave's closing time later.")
    upload_priority_cohort = strawberry.mutation(
        resolver=upload_priority_cohort, description="Priority NIKs for a wave (stored only as HMACs)."
    )
    register_partner = strawberry.mutation(
        resolver=register_partner, description="Register a partner (national staff); returns its signing key once."
    )
    upsert_course = strawberry.mutation(resolver=upsert_course, description="Add or change a catalogue entry.")
    upsert_schedule = strawberry.mutation(
        resolver=upsert_schedule, description="Add or change a course's schedule and its quota of seats (national)."
    )
    set_course_requirements = strawberry.mutation(
        resolver=set_course_requirements, description="A course's entry requirements: age range, minimum education."
    )
    cancel_voucher = strawberry.mutation(
        resolver=cancel_voucher, description="Cancel a participant's voucher with a reason; the price is refunded."
    )
    verify_completion = strawberry.mutation(
        resolver=verify_completion, description="Verify a confirmed completion now; issues the certificate if due."
    )
    mark_ineligible = strawberry.mutation(
        resolver=mark_ineligible, description="Found ineligible after an audit: starts the clawback (reason, evidence)."
    )
    record_repayment = strawberry.mutation(
        resolver=record_repayment, description="Record a repayment of a clawback (once per transfer reference)."
    )
    run_reconciliation = strawberry.mutation(
        resolver=run_reconciliation, description="Reconcile one day's partner statement now (also runs daily)."
    )
    request_action = strawberry.mutation(
        resolver=request_action,
        description="An operator action with a reason; revocation and money actions wait for a supervisor.",
    )
    approve_action = strawberry.mutation(
        resolver=approve_action, description="Supervisor: approve another staff member's request (carried out once)."
    )
    reject_action = strawberry.mutation(resolver=reject_action, description="Supervisor: reject a pending request.")
    assign_complaint = strawberry.mutation(resolver=assign_complaint, description="Take (or assign) a complaint.")
    answer_complaint = strawberry.mutation(
        resolver=answer_complaint, description="Answer a complaint; the participant sees it."
    )
    close_complaint = strawberry.mutation(resolver=close_complaint, description="Close an answered complaint.")
    resolve_discrepancy = strawberry.mutation(
        resolver=resolve_discrepancy, description="Close a reconciliation discrepancy with a note."
    )
    start_what_if = strawberry.mutation(
        resolver=start_what_if,
        description="Re-run a decided wave's lottery under other quotas, cohorts or household limit (poll whatIf).",
    )
    review_course_version = strawberry.mutation(
        resolver=review_course_version, description="PMO or assessor body: decide your layer of a course version."
    )
    register_quality_body = strawberry.mutation(
        resolver=register_quality_body, description="Register an assessor/monitoring body and who it monitors."
    )
    record_finding = strawberry.mutation(
        resolver=record_finding, description="Monitor: a finding about a provider you monitor, with evidence links."
    )
    open_sanction = strawberry.mutation(
        resolver=open_sanction, description="Open a sanction (warning, suspension, clawback) for four-eyes approval."
    )
    approve_sanction = strawberry.mutation(
        resolver=approve_sanction, description="Supervisor: approve another's sanction (carried out once)."
    )
    reject_sanction = strawberry.mutation(resolver=reject_sanction, description="Supervisor: reject a sanction.")


@strawberry.type
class Subscription:
    case_status_changes = strawberry.subscription(
        resolver=case_status_changes, description="Status changes of cases in your provinces (or one province)."
    )
    queue_changes = strawberry.subscription(
        resolver=queue_changes, description="Four-eyes requests and complaints filed or moved in your provinces."
    )
