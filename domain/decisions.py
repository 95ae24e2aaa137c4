"""Decisions the workflow records, with their rule-level reasons (pure: built from state and the clock)."""

from __future__ import annotations

from datetime import datetime

from domain.case import Decision, Outcome, RuleResult
from domain.texts.text import text
from domain.waves.lifecycle import WaveEntry, reason_text


def application_decision(ruleset_version: str, now: datetime) -> Decision:
    checks = [
        ("NIK_STRUCTURE", "NIK is 16 digits with a known area code and a valid encoded birth date."),
        ("NIK_MATCHES_BIRTH_DATE_AND_SEX", "The NIK's encoded birth date and sex match the form."),
        ("KK_STRUCTURE", "KK number is 16 digits with a known area code."),
        ("AGE", "Age is within the scheme's limits on the application date."),
        ("CONSENT", "Consent was given."),
    ]
    return Decision(
        kind="APPLICATION_RECORDED",
        outcome=Outcome.PASS,
        summary="Application recorded; registry validation follows.",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=tuple(
            RuleResult(
                rule, Outcome.PASS, reason, "APPLICATION", now, text(_APPLICATION_CODES.get(rule, f"rule.{rule}"))
            )
            for rule, reason in checks
        ),
        message=text("decision.APPLICATION_RECORDED"),
    )


_APPLICATION_CODES = {"AGE": "rule.AGE.APPLICATION"}


def revocation_decision(reason: str, forfeited: int, ruleset_version: str, now: datetime) -> Decision:
    return Decision(
        kind="MEMBERSHIP_REVOKED",
        outcome=Outcome.FAIL,
        summary=f"Membership revoked: {reason}",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=(
            RuleResult(
                "FIRST_PURCHASE_DEADLINE",
                Outcome.FAIL,
                "No training bought before the deadline.",
                "TIMER",
                now,
                text("rule.FIRST_PURCHASE_DEADLINE"),
            ),
            _forfeited(forfeited, now),
        ),
        message=text("decision.MEMBERSHIP_REVOKED.NO_FIRST_PURCHASE"),
    )


def _forfeited(amount: int, now: datetime) -> RuleResult:
    return RuleResult(
        "BALANCE_FORFEITED",
        Outcome.FAIL,
        f"Rp{amount:,} returned to the treasury.",
        "SYSTEM",
        now,
        text("rule.BALANCE_FORFEITED", amount=amount),
    )


JOIN_REFUSALS = {
    "WAVE_NOT_FOUND": "There is no such wave.",
    "WAVE_NOT_OPEN": "This wave is not open for joining.",
    "WRONG_PROVINCE": "This wave has no places for your domicile province.",
}


def wave_decision(entry: WaveEntry, ruleset_version: str) -> Decision:
    selected = entry.outcome == "SELECTED"
    assert entry.decided_at is not None
    return Decision(
        kind="WAVE_SELECTION",
        outcome=Outcome.PASS if selected else Outcome.FAIL,
        summary=f"Wave {entry.wave_id}: {reason_text(entry.reason)}",
        decided_at=entry.decided_at,
        ruleset_version=ruleset_version,
        rules=(
            RuleResult(
                entry.reason or "",
                Outcome.PASS if selected else Outcome.FAIL,
                reason_text(entry.reason),
                f"WAVE {entry.wave_id}",
                entry.decided_at,
                text(f"wave.{entry.reason}"),
            ),
        ),
        message=text("decision.WAVE_SELECTION", wave=entry.wave_id, reason=f"wave.{entry.reason}"),
    )


def incentive_decision(package: int, ruleset_version: str, now: datetime) -> Decision:
    return Decision(
        kind="INCENTIVES_SCHEDULED",
        outcome=Outcome.PASS,
        summary=f"Incentives scheduled: Rp{package:,} in total when every survey is answered.",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=(
            RuleResult(
                "CERTIFICATE",
                Outcome.PASS,
                "First training completed with a certificate.",
                "PROGRAMME",
                now,
                text("rule.CERTIFICATE"),
            ),
            RuleResult(
                "RATING", Outcome.PASS, "The training was rated and reviewed.", "PARTICIPANT", now, text("rule.RATING")
            ),
            RuleResult(
                "ACCOUNT_LINKED",
                Outcome.PASS,
                "An account under the same NIK, KYC-verified, is linked.",
                "PARTNER",
                now,
                text("rule.ACCOUNT_LINKED"),
            ),
        ),
        message=text("decision.INCENTIVES_SCHEDULED", package=package),
    )


def clawback_decision(
    reason: str,
    evidence: str,
    by: str,
    ruleset_version: str,
    now: datetime,
    *,
    reason_code: str = "OTHER",
    detail: str = "",
) -> Decision:
    """``reason`` is the stored English line; ``reason_code`` (``domain.clawback.saga.REASON_CODES``) and the
    auditor's own words (``detail``) are what the participant reads, in their language."""
    return Decision(
        kind="INELIGIBLE_AFTER_AUDIT",
        outcome=Outcome.FAIL,
        summary=f"Found ineligible after receiving aid: {reason}. What was paid must be repaid within 60 days.",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=(
            RuleResult(
                "AUDIT",
                Outcome.FAIL,
                f"{reason} (evidence: {evidence})",
                f"STAFF:{by}",
                now,
                text("rule.AUDIT", reason=f"audit.{reason_code}", detail=detail, evidence=evidence),
            ),
        ),
        message=text("decision.INELIGIBLE_AFTER_AUDIT", reason=f"audit.{reason_code}", detail=detail),
    )


def operator_revocation_decision(
    reason: str, requested_by: str, approved_by: str, forfeited: int, ruleset_version: str, now: datetime
) -> Decision:
    return Decision(
        kind="MEMBERSHIP_REVOKED",
        outcome=Outcome.FAIL,
        summary=f"Membership revoked by programme staff: {reason}",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=(
            RuleResult(
                "OPERATOR_REVOKE",
                Outcome.FAIL,
                f"Requested by {requested_by}, approved by {approved_by} (four-eyes).",
                f"STAFF:{requested_by}",
                now,
                text("rule.OPERATOR_REVOKE", requested_by=requested_by, approved_by=approved_by),
            ),
            _forfeited(forfeited, now),
        ),
        message=text("decision.MEMBERSHIP_REVOKED.OPERATOR", reason=reason),
    )


def reinstatement_decision(
    reason: str, requested_by: str, approved_by: str, restored: int, ruleset_version: str, now: datetime
) -> Decision:
    return Decision(
        kind="MEMBERSHIP_REINSTATED",
        outcome=Outcome.PASS,
        summary=f"Membership reinstated by programme staff: {reason}",
        decided_at=now,
        ruleset_version=ruleset_version,
        rules=(
            RuleResult(
                "OPERATOR_REINSTATE",
                Outcome.PASS,
                f"Requested by {requested_by}, approved by {approved_by} (four-eyes).",
                f"STAFF:{requested_by}",
                now,
                text("rule.OPERATOR_REINSTATE", requested_by=requested_by, approved_by=approved_by),
            ),
            RuleResult(
                "BALANCE_RESTORED",
                Outcome.PASS,
                f"Rp{restored:,} back on the card.",
                "SYSTEM",
                now,
                text("rule.BALANCE_RESTORED", amount=restored),
            ),
        ),
        message=text("decision.MEMBERSHIP_REINSTATED", reason=reason),
    )
