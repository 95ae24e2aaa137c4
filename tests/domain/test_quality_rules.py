"""Course quality's pure rules: the assessor assignment and conflict of interest, material changes, who may decide,
the monitoring draw, and sanctions' input rules."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from domain.quality import monitoring as mn
from domain.quality import review as rv
from domain.quality import sanctions as sc
from domain.quality.bodies import QualityBody, pick_assessor
from domain.scheme import NORMAL_2023

CONTENT = rv.VersionContent("c-1", "Judul", "lpk", "dp", 900_000, "SELF_PACED", "Digital Marketing")


def test_the_assessor_is_never_a_body_that_monitors_the_provider():
    ui = QualityBody("UI", "UI", assesses=True, monitors=True, monitored_providers=("lpk",))
    ugm = QualityBody("UGM", "UGM", assesses=True, monitors=False)
    ipb = QualityBody("IPB", "IPB", assesses=False, monitors=True)
    assert pick_assessor([ui, ugm, ipb], "lpk", "c-1:1") == "UGM"
    assert pick_assessor([ui, ipb], "lpk", "c-1:1") is None  # nobody independent: the layer waits, escalated
    assert pick_assessor([ui, ugm], "other", "c-1:1", {"UGM": 3}) == "UI"  # the least loaded


def test_assignment_spreads_and_repeats():
    bodies = [QualityBody(f"B{i}", "b", assesses=True, monitors=False) for i in range(4)]
    picks = [pick_assessor(bodies, "lpk", f"c-{n}:1") for n in range(200)]
    assert set(picks) == {"B0", "B1", "B2", "B3"}
    assert picks == [pick_assessor(bodies, "lpk", f"c-{n}:1") for n in range(200)]


def test_only_material_terms_change_the_digest():
    base = rv.material_digest(CONTENT)
    assert rv.material_digest(dataclasses.replace(CONTENT, title="Lain", category="Lain")) == base
    for change in ({"price": 950_000}, {"mode": "WEBINAR"}, {"tasks": (rv.SkillsTask(999, "UK"),)}):
        assert rv.material_digest(dataclasses.replace(CONTENT, **change)) != base, change


def test_decisions_only_for_the_current_layer_and_body_and_refusals_need_reasons():
    approve = rv.ReviewDecision(rv.Layer.PMO, rv.Verdict.APPROVE, "staff:a")
    assert rv.decision_problem(rv.Layer.PMO, None, approve) is None
    assert "DP" in (rv.decision_problem(rv.Layer.DP, None, approve) or "")
    assert rv.decision_problem(None, None, approve) is not None
    by = rv.ReviewDecision(rv.Layer.ASSESSOR, rv.Verdict.APPROVE, "assessor:x", body="UI")
    assert rv.decision_problem(rv.Layer.ASSESSOR, "UGM", by) is not None
    bare = rv.ReviewDecision(rv.Layer.PMO, rv.Verdict.REJECT, "staff:a")
    assert "reason" in (rv.decision_problem(rv.Layer.PMO, None, bare) or "")
    assert rv.outcome(rv.Layer.DP, rv.Verdict.APPROVE) is None
    assert rv.outcome(rv.Layer.ASSESSOR, rv.Verdict.APPROVE) is rv.VersionStatus.APPROVED


def test_service_levels_follow_the_scheme_time_factor():
    levels = dict(rv.service_levels(NORMAL_2023.compressed(factor=60)))
    assert levels[rv.Layer.DP] == dt.timedelta(days=3) / 60 and levels[rv.Layer.ASSESSOR] == dt.timedelta(hours=4)


def test_content_problems():
    bad = dataclasses.replace(CONTENT, tasks=(rv.SkillsTask(0, "x"), rv.SkillsTask(0, "y")), indicators=("IND-99",))
    assert len(rv.content_problems(bad)) == 3
    assert rv.content_problems(dataclasses.replace(CONTENT, indicators=("IND-01", "IND-59"))) == []


def test_the_monthly_draw_is_reproducible_and_checked_against_its_commitment():
    codes = [f"V{n:04d}" for n in range(120)]
    seed = "a" * 64
    drawn = mn.draw(seed, codes)
    assert len(drawn) == 12 and drawn == mn.draw(seed, reversed(codes)) and drawn != mn.draw("b" * 64, codes)
    start, end = mn.month_bounds("2026-10")
    sample = mn.MonitoringSample(
        1, "UI", "lpk", "2026-10", mn.commitment(seed), start, seed, tuple(codes), tuple(drawn), end
    )
    assert mn.verify(sample) and not sample.committed_late
    assert not mn.verify(dataclasses.replace(sample, drawn=tuple(reversed(drawn))))
    assert not mn.verify(dataclasses.replace(sample, commitment=mn.commitment("c")))
    assert [mn.sample_size(n) for n in (0, 3, 30, 120, 2000)] == [0, 3, 5, 12, 50]
    assert end == dt.datetime(2026, 11, 1, tzinfo=mn.WIB) and mn.month_bounds("2026-12")[1].year == 2027
    with pytest.raises(ValueError):
        mn.month_bounds("2026-13")


def test_sanction_inputs_and_four_eyes():
    assert sc.open_problems(sc.SanctionKind.WARNING, None, None, "ok") == []
    assert sc.open_problems(sc.SanctionKind.COURSE_SUSPENSION, None, None, "ok")
    assert sc.open_problems(sc.SanctionKind.CLAWBACK, None, -1, "ok")
    s = sc.Sanction(
        1,
        sc.SanctionKind.WARNING,
        "lpk",
        None,
        None,
        "r",
        None,
        sc.SanctionStatus.PENDING,
        "staff:a",
        dt.datetime.now(dt.UTC),
    )
    assert sc.approval_problem(s, "staff:a") and sc.approval_problem(s, "supervisor:b") is None
    assert sc.voucher_rule("NORMAL_2023_X60") is sc.VoucherRule.REFUND_UNSTARTED
