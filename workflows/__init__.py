"""Workflow definitions; ``ALL_WORKFLOWS`` is registered by the worker."""

from workflows.complaint import ComplaintWorkflow
from workflows.course_review import CourseReviewWorkflow
from workflows.participant import ParticipantWorkflow
from workflows.reconciliation import ReconciliationWorkflow
from workflows.wave import WaveWorkflow
from workflows.what_if import WhatIfWorkflow

ALL_WORKFLOWS = [
    ParticipantWorkflow,
    WaveWorkflow,
    ReconciliationWorkflow,
    ComplaintWorkflow,
    WhatIfWorkflow,
    CourseReviewWorkflow,
]
