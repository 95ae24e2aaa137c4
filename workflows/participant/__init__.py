"""The participant's programme as one workflow: ``workflow.py`` reads top to bottom, one stage file per step."""

from workflows.participant.workflow import ParticipantWorkflow

__all__ = ["ParticipantWorkflow"]
