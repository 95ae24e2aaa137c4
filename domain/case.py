"""The participant case: stages, decisions with reasons, and what the participant should do next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from domain.texts.text import Text


class Stage(StrEnum):
    """Where a case is in the programme; mirrored into the ``CaseStage`` search attribute."""

    STARTED = "STARTED"
    APPLIED = "APPLIED"
    VALIDATING = "VALIDATING"
    ELIGIBLE = "ELIGIBLE"
    """Eligible: may take the test and join a wave (also after a wave without selection)."""
    IN_WAVE = "IN_WAVE"
    """Joined an open wave; waiting for its lottery."""
    SELECTED = "SELECTED"
    """Selected in a wave; enrollment (card and balance) follows."""
    ENROLLED = "ENROLLED"
    """Card issued and balance credited; the first purchase is due before the deadline."""
    TRAINING = "TRAINING"
    """At least one training bought."""
    REVOKED = "REVOKED"
    """Membership revoked (no first purchase before the deadline); the balance was forfeited."""
    INELIGIBLE = "INELIGIBLE"
    JOB_SEARCH = "JOB_SEARCH"
    """Every incentive settled; job recommendations until the scheme's job-search period ends."""
    CLAWBACK = "CLAWBACK"
    """Found ineligible after receiving aid: incentives stopped, repayment of what was paid is due."""
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
    message: Text | None = None
    """``reason`` as a catalogue code and parameters, rendered in the reader's language (``None`` in states
    recorded before the catalogue: ``reason`` is shown as stored)."""


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
    message: Text | None = None
    """``summary`` as a catalogue code and parameters (``None`` in states recorded before the catalogue)."""
