"""The participant case: stages, decisions with reasons, and what the participant should do next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Stage(StrEnum):
    """Where a case is in the programme; mirrored into the ``CaseStage`` search attribute."""

    STARTED = "STARTED"
    APPLIED = "APPLIED"
    VALIDATING = "VALIDATING"
    ELIGIBLE = "ELIGIBLE"
    INELIGIBLE = "INELIGIBLE"
    CLOSED = "CLOSED"


class Outcome(StrEnum):
    PASS = "PASS"  # noqa: S105 (an outcome, not a password)
    FAIL = "FAIL"
    PENDING = "PENDING"


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's verdict inside a decision."""

    rule_id: str
    outcome: Outcome
    reason: str
    source: str
    """Who said so: ``APPLICATION`` for structural checks, a registry name, ``SYSTEM``…"""
    checked_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision about the case, with every rule that led to it; shown to the participant too."""

    kind: str
    """``APPLICATION_RECORDED``, ``ELIGIBILITY``…"""
    outcome: Outcome
    summary: str
    decided_at: dt.datetime
    ruleset_version: str
    rules: tuple[RuleResult, ...] = field(default_factory=tuple)


NEXT_ACTIONS: dict[Stage, str] = {
    Stage.STARTED: "Submit your application.",
    Stage.APPLIED: "Your application is recorded. We are checking it with government registries.",
    Stage.VALIDATING: "We are checking your data with government registries; no action needed.",
    Stage.ELIGIBLE: "You are eligible. Join an open wave for your province.",
    Stage.INELIGIBLE: "You are not eligible. See the reasons; contact Dukcapil (1500-538) for NIK/KK errors.",
    Stage.CLOSED: "This case is closed.",
}


def next_action(stage: Stage) -> str:
    return NEXT_ACTIONS[stage]
