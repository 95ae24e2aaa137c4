"""Workflow definitions; ``ALL_WORKFLOWS`` is registered by the worker."""

from workflows.participant import ParticipantWorkflow

ALL_WORKFLOWS = [ParticipantWorkflow]
