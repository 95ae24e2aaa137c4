"""Sandbox credentials for partners: ``python -m devstack sandbox --lp LPK-SANDBOX --dp DP-SANDBOX``.

Registers (once) a training provider and a digital platform, issues the provider's four ``PRAT-`` test codes
(TC1/TC2 × sequence 1/999, see ``domain.sandbox``) and gives the platform a sandbox course with a schedule of 1,000
seats, then prints everything a partner needs (client codes, sign keys, codes) as JSON. Running it again prints
the same credentials and codes. Nothing here touches a real case.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.db.marketplace import PgMarketplace
from adapters.db.partner_api import PgPartnerApiStore
from domain.training.schedules import Schedule
from domain.training.trainings import Course, Partner, PartnerType, TrainingMode

SANDBOX_PRICE = 100_000
SCHEDULE_SEATS = 1000


async def _partner(market: PgMarketplace, code: str, kind: PartnerType, now: dt.datetime) -> str:
    known = await market.partner(code)
    if known is None:
        await market.register_partner(Partner(code, f"Sandbox {code}", kind, now), secrets.token_hex(32))
    elif known.type is not kind:
        raise SystemExit(f"{code} is already registered as a {known.type.value}")
    key = await market.sign_key(code)
    assert key is not None
    return key


async def provision(engine: AsyncEngine, lp: str, dp: str, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or dt.datetime.now(dt.UTC)
    market, store = PgMarketplace(engine), PgPartnerApiStore(engine)
    lp_key = await _partner(market, lp, PartnerType.TRAINING_PROVIDER, now)
    dp_key = await _partner(market, dp, PartnerType.DIGITAL_PLATFORM, now)
    course_code = f"SANDBOX-{dp}"
    if await market.course(course_code) is None:
        course = Course(course_code, "Pelatihan Sandbox", lp, dp, SANDBOX_PRICE, TrainingMode.SELF_PACED, "Sandbox")
        await market.upsert_course(course)
    schedule_code = f"{course_code}-SCH"
    start = (now + dt.timedelta(days=365)).replace(microsecond=0)
    existing = await store.schedule(schedule_code)
    if existing is None or existing.starts_at <= now:
        await store.upsert_schedule(
            Schedule(schedule_code, course_code, start, start + dt.timedelta(days=30), SCHEDULE_SEATS, sandbox=True)
        )
    codes = await store.issue_sandbox_codes(lp, now)
    return {
        "lp": {"client_code": lp, "sign_key": lp_key, "test_codes": {c.test_case: c.redeem_code for c in codes}},
        "dp": {"client_code": dp, "sign_key": dp_key, "course_code": course_code, "schedule_code": schedule_code},
    }
