"""Workflow history events become domain events with actors; everything merges in time order."""

import datetime as dt

from domain.case import Decision, Outcome, RuleResult
from domain.operator.actions import AuditEntry
from domain.timeline import RawEvent, actor_of, audit_events, decision_events, history_events, merge

T = dt.datetime(2026, 5, 1, 2, 0, tzinfo=dt.UTC)


def test_actors_come_from_the_update_payload():
    assert actor_of({"staff_id": "s1"}) == "staff:s1"
    assert actor_of({"voucher_code": "V", "partner_code": "staff:s2"}) == "staff:s2"
    assert actor_of({"voucher_code": "V", "partner_code": "lpk-9"}) == "partner:lpk-9"
    assert actor_of({"platform_code": "dp-1", "price": 1}) == "partner:dp-1"
    assert actor_of({"account_id": "a"}) == "participant"


def test_history_events_describe_updates_signals_timers_and_refusals():
    raw = [
        RawEvent("r1", 1, T, "STARTED"),
        RawEvent("r1", 5, T, "UPDATE", "purchase", {"platform_code": "dp", "price": 1_500_000}),
        RawEvent("r1", 9, T, "UPDATE", "redeem", {"provider_code": "lpk", "sequence": 2}, refusal="outside the window"),
        RawEvent("r1", 12, T, "SIGNAL", "wave_decided", {"wave_id": "W7"}),
        RawEvent("r1", 15, T, "TIMER"),
        RawEvent("r1", 18, T, "UPDATE", "unknown_update", {}),
        RawEvent("r1", 20, T, "ACTIVITY", "pay_tranche", {"claim": {"tranche": 1}}),  # an activity task's input
        RawEvent("r1", 24, T, "ACTIVITY", "pay_tranche", {"tranche": 2, "status": "PAID"}),  # a local one's result
    ]
    out = history_events(raw)
    assert [(e.category, e.what, e.actor) for e in out] == [
        ("RUN", "workflow run started", "system"),
        ("TRAINING", "bought a training for Rp1,500,000", "partner:dp"),
        ("TRAINING", "redeemed session 2 — refused: outside the window", "partner:lpk"),
        ("WAVE", "wave W7 announced its result", "system:wave"),
        ("TIMER", "a durable deadline fell due", "system:timer"),
        ("PAYOUT", "transfer of incentive 1 sent", "system"),
        ("PAYOUT", "transfer of incentive 2 sent", "system"),
    ]
    assert out[1].run_id == "r1" and out[1].event_id == 5


def test_decisions_and_audit_merge_in_time_order_with_their_rules():
    d = Decision(
        "ELIGIBILITY", Outcome.PASS, "Eligible", T, "2023.1", (RuleResult("AGE", Outcome.PASS, "ok", "DUKCAPIL", T),)
    )
    a = AuditEntry(T - dt.timedelta(hours=1), "staff:x", "REVOKE_REQUESTED", "c", "FRAUD_SUSPECTED", "sold")
    merged = merge(decision_events([d]), audit_events([a]))
    assert [e.source for e in merged] == ["AUDIT", "DECISION"]
    assert merged[1].ruleset_version == "2023.1" and merged[1].reasons == ("AGE PASS: ok (DUKCAPIL)",)
