"""Generation 2 projects a case once per workflow task: an update's change and the actions it made due share one
projection, written by the run loop before it waits. The walk from certificate to the closed case projects less
than generation 1 did (the corpus holds that walk), still announces every change, and the read model ends where
the workflow ends."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from temporalio.client import WorkflowHistory

from adapters.db.marketplace import PgMarketplace
from domain.case import Stage
from domain.notifications import Channel
from domain.scheme import get_scheme
from tests.fakes.case_store import MemoryCaseStore
from tests.workflows.payout_steps import local_activities, start_selected
from tests.workflows.test_incentives import (
    PEOPLE,
    _answer_surveys_until_paid,
    _certified_and_rated,
    _link,
    engine,
    partner,
)
from tests.workflows.test_replay import HISTORIES
from workflows.participant import ParticipantWorkflow
from workflows.search_attributes import CASE_STAGE

__all__ = ["engine", "partner"]  # the fixtures, shared with the incentive tests
SCHEME = "NORMAL_2023"
ANNOUNCED = {"ENROLLED": 1, "PURCHASED": 1, "CERTIFICATE": 1, "INCENTIVES_SCHEDULED": 1, "SURVEY_OPEN": 2}
"""What the walk announces, by kind (each by SMS and by e-mail), besides one INCENTIVE_PAID per tranche and the
purchase OTP (by SMS only)."""


async def _walk(env, engine, partner, person):
    """Certificate, rating, account, every survey answered the day it opens, the job-search period, the end."""
    scheme = get_scheme(SCHEME)
    store = MemoryCaseStore()
    t = await start_selected(env, engine, partner, person, SCHEME, case_store=store)
    async with t.worker:
        await _link(t, await _certified_and_rated(env, engine, partner, t))
        await _answer_surveys_until_paid(env, t)
        await env.sleep(scheme.job_search_period + dt.timedelta(days=1))
        assert await t.handle.result() == "CLOSED"
        final = await t.handle.query(ParticipantWorkflow.snapshot)
        assert (await t.handle.describe()).typed_search_attributes[CASE_STAGE] == final.stage.value
    history = await t.handle.fetch_history()
    sent = Counter((n.kind, n.channel) for n in await PgMarketplace(engine).notifications(t.case_id))
    return _projections(history), sent, store.rows[t.case_id], final


def _projections(history) -> int:
    return local_activities(history).count("project_case")


@pytest.mark.timeout(240)
async def test_the_run_loop_projects_once_per_pass_and_the_read_model_ends_where_the_workflow_ends(
    env, engine, partner
):
    projections, sent, row, final = await _walk(env, engine, partner, PEOPLE[31])
    # The same walk by generation 1, recorded in the corpus, projected after each update and each action.
    recorded = WorkflowHistory.from_json("w", (HISTORIES / "v10_participant_paid_normal_2023_run1.json").read_text())
    assert projections < _projections(recorded), (projections, _projections(recorded))
    # Every change still announced once per channel, though several now share a projection.
    paid = len(final.incentives)
    assert sent == Counter(
        {(kind, ch): n for kind, n in ANNOUNCED.items() for ch in Channel}
        | {("INCENTIVE_PAID", ch): paid for ch in Channel}
        | {("PURCHASE_OTP", Channel.SMS): 1}
    ), sent
    assert row.stage is final.stage is Stage.CLOSED
    assert row.version == final.version  # nothing the workflow did is left unprojected
    assert (list(row.incentives), list(row.decisions)) == (list(final.incentives), list(final.decisions))
