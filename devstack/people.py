"""``python -m devstack people``: people the fake registries know, to try the participant path by hand.

The worker's fake Dukcapil and the other fake registries answer from a synthetic population
(``adapters/registries/population.py``, ``POPULATION_SEED`` / ``POPULATION_SIZE``, default 2020 / 50,000); a NIK
outside it is unknown to them, so an application with a made-up NIK is refused. This lists eligible people and
one of each kind of ineligible, with everything the apply form needs, and the accounts each one holds at the fake
payment partner (opened by ``python -m devstack up``, DEV_MODE only) to try ``linkPayoutAccount``.

Eligible people are taken from the end of the population: ``make up DEMO=1`` seeds demo participants from its
start, so the two never apply with the same NIK.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from adapters.registries.population import Person, Population, apply_input
from domain.application.registries import Registry
from domain.regions import province_name
from domain.scheme import NORMAL_2023, Scheme

UNKNOWN_NIK = "3201011508950001"
"""Structurally valid (West Java, born 15 Aug 1995) but not in the synthetic population: Dukcapil refuses it."""


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """An account the person holds at the fake payment partner."""

    provider: str
    account_number: str
    kyc_verified: bool


@dataclass(frozen=True, slots=True)
class Sample:
    kind: str
    """``ELIGIBLE`` or why the programme refuses the person."""
    outcome: str
    """What applying does, in a few words."""
    person: Person

    def apply_input(self) -> dict[str, Any]:
        """The apply form this person sends (contact details derived from the person, as in the demo)."""
        return apply_input(self.person, request_id=f"req-{self.person.nik[-6:]}")


def demo_accounts(person: Person) -> tuple[DemoAccount, ...]:
    """GoPay on the person's phone and a BNI account (both KYC-verified), and an OVO wallet without KYC (to see
    the ``KYC_NOT_VERIFIED`` refusal). Account numbers are derived from the NIK: the same on every machine."""
    phone = apply_input(person, request_id="x")["phone"]
    bni = str(int(hashlib.sha256(f"bni:{person.nik}".encode()).hexdigest(), 16))[:10]
    return (DemoAccount("GOPAY", phone, True), DemoAccount("BNI", bni, True), DemoAccount("OVO", phone, False))


def population_from_env(env: dict[str, str] | None = None) -> Population:
    """The population the worker's fake registries use (the same variables and defaults as settings.py)."""
    e = os.environ if env is None else env
    return Population.generate(int(e.get("POPULATION_SEED", "2020")), int(e.get("POPULATION_SIZE", "50000")))


def _clean(p: Person) -> bool:
    return not any(p.codes(r) for r in (Registry.EDUCATION, Registry.OCCUPATION, Registry.SOCIAL_AID))


def samples(population: Population, *, today: dt.date, eligible: int = 5, scheme: Scheme = NORMAL_2023) -> list[Sample]:
    """``eligible`` eligible people (one per family card, from the end of the population), then one of each kind
    of ineligible the fake registries produce."""
    people = list(reversed(list(population)))
    adult = lambda p: p.alive and scheme.min_age + 1 <= p.age(today) <= (scheme.max_age or 120) - 1  # noqa: E731
    out: list[Sample] = []
    households: set[str] = set()
    for p in people:
        if len(out) < eligible and adult(p) and _clean(p) and p.kk_number not in households:
            households.add(p.kk_number)
            out.append(Sample("ELIGIBLE", "can take the test and join a wave", p))
    kinds: list[tuple[str, str, Callable[[Person], bool]]] = [
        ("IN_FORMAL_EDUCATION", "INELIGIBLE: enrolled in a school or university (education registry)",
         lambda p: adult(p) and bool(p.codes(Registry.EDUCATION))),
        ("EXCLUDED_OCCUPATION", "INELIGIBLE: civil servant, military, police, village official… (occupation registry)",
         lambda p: adult(p) and bool(p.codes(Registry.OCCUPATION))),
        ("DECEASED", "INELIGIBLE: Dukcapil records the NIK as deceased", lambda p: not p.alive),
        ("UNDER_AGE", f"refused at apply: younger than {scheme.min_age}",
         lambda p: p.alive and p.age(today) < scheme.min_age),
        ("OVER_AGE", f"refused at apply: older than {scheme.max_age} (2023+ scheme)",
         lambda p: p.alive and scheme.max_age is not None and p.age(today) > scheme.max_age),
        ("SOCIAL_AID", "eligible in 2023+; INELIGIBLE under SEMI_BANSOS_2020 (social-aid registry)",
         lambda p: adult(p) and bool(p.codes(Registry.SOCIAL_AID)) and not p.codes(Registry.EDUCATION)
         and not p.codes(Registry.OCCUPATION)),
    ]  # fmt: skip
    for kind, outcome, match in kinds:
        found = next((p for p in people if match(p) and p.kk_number not in households), None)
        if found is not None:
            households.add(found.kk_number)
            out.append(Sample(kind, outcome, found))
    return out


def as_json(found: Iterable[Sample]) -> list[dict[str, Any]]:
    rows = []
    for s in found:
        form = s.apply_input()
        rows.append(
            {
                "kind": s.kind,
                "outcome": s.outcome,
                "nik": s.person.nik,
                "kkNumber": s.person.kk_number,
                "dateOfBirth": s.person.date_of_birth.isoformat(),
                "fullName": s.person.full_name,
                "sex": s.person.sex,
                "provinceCode": s.person.province_code,
                "province": province_name(s.person.province_code),
                "regencyCode": s.person.regency_code,
                "phone": form["phone"],
                "email": form["email"],
                "applyInput": form,
                "payoutAccounts": [
                    {"provider": a.provider, "accountNumber": a.account_number, "kycVerified": a.kyc_verified}
                    for a in demo_accounts(s.person)
                ]
                if s.kind in ("ELIGIBLE", "SOCIAL_AID")
                else [],
            }
        )
    return rows


def as_text(found: Iterable[Sample]) -> str:
    lines = []
    for row in as_json(found):
        lines.append(f"{row['kind']}: {row['outcome']}")
        lines.append(
            f"  nik {row['nik']}  kkNumber {row['kkNumber']}  dateOfBirth {row['dateOfBirth']}  sex {row['sex']}"
        )
        lines.append(f"  fullName {row['fullName']!r}  {row['province']} ({row['provinceCode']}), regency "
                     f"{row['regencyCode']}")  # fmt: skip
        lines.append(f"  phone {row['phone']}  email {row['email']}")
        for a in row["payoutAccounts"]:
            kyc = "KYC verified" if a["kycVerified"] else "KYC NOT verified (linking is refused)"
            lines.append(f"  payout account at the fake partner: {a['provider']} {a['accountNumber']} ({kyc})")
        lines.append("")
    lines.append(f"UNKNOWN_TO_DUKCAPIL: nik {UNKNOWN_NIK} is well formed but nobody in the population: refused.")
    return "\n".join(lines)


def print_people(*, as_json_output: bool, eligible: int) -> int:
    found = samples(population_from_env(), today=dt.date.today(), eligible=eligible)
    print(json.dumps(as_json(found), indent=2) if as_json_output else as_text(found))
    return 0


async def open_demo_accounts(database_url: str, people: Iterable[Person]) -> int:
    """Open every demo account of ``people`` at the fake payment partner; an account already there is left as
    it is (a newcomer may have closed it on purpose). Returns how many were new."""
    from sqlalchemy.dialects.postgresql import insert

    from adapters.db.engine import make_engine
    from adapters.payments.fake_partner import FakePaymentPartner, nik_hash, partner_accounts

    rows = [
        {
            "provider": a.provider,
            "account_number": a.account_number,
            "nik_hash": nik_hash(p.nik),
            "holder_name": p.full_name.upper(),
            "kyc_verified": a.kyc_verified,
            "closed": False,
        }
        for p in people
        for a in demo_accounts(p)
    ]
    engine = make_engine(database_url)
    try:
        await FakePaymentPartner(engine).ensure_schema()
        stmt = insert(partner_accounts).on_conflict_do_nothing().returning(partner_accounts.c.provider)
        async with engine.begin() as conn:
            return len((await conn.execute(stmt, rows)).all()) if rows else 0
    finally:
        await engine.dispose()
