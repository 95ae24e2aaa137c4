"""The newcomer's path in DEV_MODE: the README's apply example works as written against the real stack with the
population the dev stack's fakes use; ``devstack people`` lists eligible and ineligible people; the dev inbox
shows what was sent (OTPs included) and does not exist without DEV_MODE; demo people hold payout accounts."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
from starlette.applications import Starlette

from adapters.db.outbox import PgOutbox
from adapters.payments.fake_partner import FakePaymentPartner
from caseapi.dev_inbox import dev_inbox_routes
from caseapi.shared.auth import Role
from devstack.people import UNKNOWN_NIK, demo_accounts, open_demo_accounts, population_from_env, samples
from domain.notifications import Channel, Notification
from domain.payouts.ports import AccountVerdict
from domain.payouts.tranches import Provider
from tests.integration.helpers import wait_for_case

ROOT = Path(__file__).resolve().parents[2]
DEV_POPULATION = population_from_env({})  # the defaults the dev stack's worker uses (settings.py)


def readme_apply_example() -> str:
    readme = (ROOT / "README.md").read_text()
    after = readme[readme.index("Example (participant)") :]
    return re.search(r"```graphql\n(.*?)```", after, re.S).group(1)


@contextmanager
def registries_know(stack: Any, population: Any):
    """The session's fake registries answer from ``population`` for the duration (the dev stack's defaults)."""
    before = {name: r.population for name, r in stack.registries.items()}
    for r in stack.registries.values():
        r.population = population
    try:
        yield
    finally:
        for name, r in stack.registries.items():
            r.population = before[name]


def test_devstack_people_lists_eligible_people_and_each_kind_of_ineligible():
    out = subprocess.run(
        [sys.executable, "-m", "devstack", "people", "--json"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    rows = json.loads(out.stdout)
    kinds = [r["kind"] for r in rows]
    assert kinds[:5] == ["ELIGIBLE"] * 5
    assert set(kinds[5:]) == {"IN_FORMAL_EDUCATION", "EXCLUDED_OCCUPATION", "DECEASED", "UNDER_AGE", "OVER_AGE",
                              "SOCIAL_AID"}  # fmt: skip
    for row in rows:
        person = DEV_POPULATION.by_nik(row["nik"])
        assert person is not None and person.kk_number == row["kkNumber"] and person.full_name == row["fullName"]
        assert row["applyInput"]["nik"] == row["nik"] and row["province"]
    assert DEV_POPULATION.by_nik(UNKNOWN_NIK) is None
    text = subprocess.run([sys.executable, "-m", "devstack", "people"], cwd=ROOT, capture_output=True, text=True)
    assert rows[0]["nik"] in text.stdout and "GOPAY" in text.stdout


async def test_the_readme_apply_example_works_as_written(stack):
    example = readme_apply_example()
    first = samples(DEV_POPULATION, today=dt.date.today())[0]
    assert first.kind == "ELIGIBLE" and f'nik: "{first.person.nik}"' in example  # the first person listed
    token = stack.token(Role.PARTICIPANT, f"my-account-{uuid.uuid4().hex[:6]}")
    with registries_know(stack, DEV_POPULATION):
        applied = (await stack.gql("participant", example, token=token))["apply"]
        assert applied["__typename"] == "ApplySuccess", applied
        assert applied["case"]["stage"] in ("VALIDATING", "ELIGIBLE")
        case = await wait_for_case(stack, token, lambda c: c["stage"] in ("ELIGIBLE", "INELIGIBLE"))
    assert case["stage"] == "ELIGIBLE", case["decisions"]
    assert case["application"]["phone"] == "+6281865303640"  # as the README says


async def test_demo_people_hold_accounts_at_the_fake_partner(stack):
    first = samples(DEV_POPULATION, today=dt.date.today())[0].person
    opened = await open_demo_accounts(stack.settings.database_url, [first])
    assert opened in (0, 3)
    assert await open_demo_accounts(stack.settings.database_url, [first]) == 0  # a rerun leaves them as they are
    partner = FakePaymentPartner(stack.engine, latency=(0, 0))
    gopay, bni, ovo = demo_accounts(first)
    assert gopay.account_number == "081865303640"  # the README's linkPayoutAccount example
    for account, verdict in (
        (gopay, AccountVerdict.OK),
        (bni, AccountVerdict.OK),
        (ovo, AccountVerdict.KYC_NOT_VERIFIED),
    ):
        check = await partner.check_account(Provider(account.provider), account.account_number, first.nik)
        assert check.verdict is verdict
    stranger = samples(DEV_POPULATION, today=dt.date.today())[1].person
    check = await partner.check_account(Provider.GOPAY, gopay.account_number, stranger.nik)
    assert check.verdict is AccountVerdict.NIK_MISMATCH


async def test_the_dev_inbox_shows_what_was_sent_with_otps(stack):
    case_id = f"inbox-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)
    otp = Notification(f"{case_id}:OTP", case_id, Channel.SMS, "+6281299991111", "PURCHASE_OTP",
                       "Kode OTP Prakerja Anda: 424242", now)  # fmt: skip
    mail = Notification(f"{case_id}:M", case_id, Channel.EMAIL, "inbox@example.id", "ENROLLED", "Selamat!", now)
    await PgOutbox(stack.engine).add((otp, mail))
    resp = await stack.http.get("/dev/inbox", params={"to": "0812-9999-1111"})  # typed any way: E.164 lookup
    assert resp.status_code == 200 and resp.headers["x-content-type-options"] == "nosniff"
    [found] = resp.json()["messages"]
    assert found["body"] == "Kode OTP Prakerja Anda: 424242" and found["channel"] == "SMS"
    everything = (await stack.http.get("/dev/inbox")).json()["messages"]
    assert {"inbox@example.id", "+6281299991111"} <= {m["recipient"] for m in everything}


async def test_the_dev_inbox_does_not_exist_without_dev_mode():
    class Sent:
        async def recent(self, *, limit: int, recipient: str | None = None) -> list[Notification]:
            raise AssertionError("never read outside DEV_MODE")

    app = Starlette(routes=dev_inbox_routes(dev=False, messages=Sent()))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/dev/inbox")).status_code == 404


async def test_without_dev_mode_the_server_has_no_inbox_ui_proxy_or_cookie_session(stack):
    import dataclasses

    from adapters.db.dev_inbox import PgSentMessages
    from server import api_ports, create_app

    settings = dataclasses.replace(stack.settings, dev_mode=False, temporal_ui_upstream="http://127.0.0.1:9")
    ports = dataclasses.replace(
        api_ports(settings, stack.engine, stack.client, None), inbox=PgSentMessages(stack.engine)
    )  # even with an inbox wired in, nothing is served without DEV_MODE
    app = create_app(settings, ports)
    staff = stack.token(Role.STAFF)
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://t") as http:
        assert (await http.get("/dev/inbox")).status_code == 404
        assert (await http.get("/temporal/namespaces/default/workflows")).status_code == 404
        session = await http.post("/codec/session", headers={"authorization": f"Bearer {staff}", "origin": "http://t"})
        assert session.status_code in (404, 405) and "set-cookie" not in session.headers
