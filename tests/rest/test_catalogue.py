"""The error catalogue: unique, well-formed codes, HTTP status inside the code, published table in sync."""

from __future__ import annotations

import re
from pathlib import Path

from caseapi.rest import catalogue as cat
from domain.errors import ErrorCode

DOC = Path(__file__).parents[2] / "docs" / "partner-api" / "errors.md"


def test_codes_are_unique_well_formed_and_documented_ones_kept():
    codes = [e.code for e in cat.CATALOGUE]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"ERR(PLT|VOD|TPM)\d{5}", c) for c in codes)
    assert {e.http for e in cat.CATALOGUE} <= {400, 401, 409, 413, 429, 503}
    assert (cat.REQUIRED_EMPTY.code, cat.ALREADY_CANCELLED.code, cat.TRANSACTION_NOT_FOUND.code) == (
        "ERRPLT40036",
        "ERRPLT40028",
        "ERRVOD40001",
    )
    assert cat.TRANSACTION_NOT_FOUND.message == "Kode transaksi tidak ditemukan."


def test_the_typed_transport_refusals_keep_distinct_codes():
    typed = [cat.UNKNOWN_CLIENT, cat.STALE_TIMESTAMP, cat.INVALID_SIGNATURE, cat.REPLAYED, cat.MISSING_HEADERS]
    assert len({e.code for e in typed}) == len(typed)


def test_every_partner_facing_domain_refusal_has_its_own_entry():
    for code in (
        "REDEEM_CODE_NOT_FOUND",
        "CODE_ALREADY_USED",
        "INSUFFICIENT_BALANCE",
        "OTP_INVALID",
        "SCHEDULE_FULL",
        "SKILLS_TASK_NOT_FOUND",
        "SKILLS_TASK_LAPSED",
        "SKILLS_TASK_STATE",
    ):
        assert cat.for_domain_code(ErrorCode(code).value) is not cat.UNAVAILABLE
    assert cat.for_domain_code("SOMETHING_NEW") is cat.UNAVAILABLE
    assert cat.for_domain_code("ERRVOD40001") is cat.TRANSACTION_NOT_FOUND


def test_published_table_is_the_catalogue():
    assert DOC.read_text().endswith(cat.markdown_table())
