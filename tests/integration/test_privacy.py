"""No raw NIK, name or phone in the Temporal database (payloads are AES-GCM encrypted before they leave the
client or worker), nor in the logs of the request that carried them."""

from __future__ import annotations

import logging

from adapters.registries.population import apply_input
from tests.integration.helpers import apply_person, fresh_clean_person, wait_for_case


async def test_the_temporal_database_holds_no_raw_nik_name_or_phone(stack, data_dir, caplog):
    person = fresh_clean_person(stack.population)
    phone = apply_input(person, request_id="x")["phone"]
    with caplog.at_level(logging.DEBUG):
        _, token = await apply_person(stack, person)
        await wait_for_case(stack, token, lambda c: c["stage"] in ("ELIGIBLE", "INELIGIBLE", "VALIDATING"))
    files = [p for p in (data_dir / "temporal").glob("temporal.db*") if p.is_file()]
    assert files, "the dev server keeps its database in the test data directory"
    raw = b"".join(p.read_bytes() for p in files)
    # phone[1:] (8…) is in every way of writing the number: as typed (08…) and as stored (+628…).
    for secret in (person.nik, person.full_name, phone, phone[1:]):
        assert secret.encode() not in raw, f"{secret[:4]}… found in the Temporal database"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert person.nik not in logged and phone[1:] not in logged


async def test_postgres_holds_personal_data_only_sealed(stack):
    """The read model stores the application sealed (AES-GCM) and the name only as blind prefix tokens; staff still
    find the case by a name prefix, and the API still shows the name to those allowed to see it."""
    from sqlalchemy import text

    from caseapi.shared.auth import Role
    from tests.integration.queries import STAFF_CASES

    person = fresh_clean_person(stack.population)
    form = apply_input(person, request_id="x")
    case, token = await apply_person(stack, person)
    await wait_for_case(stack, token, lambda c: c["stage"] in ("ELIGIBLE", "INELIGIBLE", "VALIDATING"))
    async with stack.engine.connect() as conn:
        row = (await conn.execute(text("SELECT c::text FROM cases c WHERE case_id = :id"), {"id": case["id"]})).one()
        names = await conn.execute(text("SELECT count(*) FROM case_names WHERE case_id = :id"), {"id": case["id"]})
        assert names.scalar() >= 3
    for secret in (person.nik, person.full_name, form["phone"][1:], form["email"], form["dateOfBirth"]):
        assert secret not in row[0], f"{secret[:4]}… stored in clear in cases"
    staff = stack.token(Role.STAFF)
    flt = {"namePrefix": person.full_name[:8].upper(), "provinceCode": person.province_code}
    page = (await stack.gql("staff", STAFF_CASES, {"first": 100, "filter": flt}, token=staff))["cases"]
    assert case["id"] in {e["node"]["id"] for e in page["edges"]}
