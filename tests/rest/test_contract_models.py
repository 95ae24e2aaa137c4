"""The strict contract models refuse what a typed partner client would fail on."""

from __future__ import annotations

import pydantic
import pytest

from partnerkit.contract import MODELS, parse, parse_error

STATUS = "/api/v1/integration/payment/redeem-code/status"
PAYMENT_STATUS = "/api/v1/integration/payment/status"
VOID = "/api/v1/integration/payment/void"
GOOD = {
    "redeem_code": "GHOPNYXUVMT0",
    "course_code": "c1",
    "invoice_code": "inv",
    "schedule_code": "s1",
    "status": 1,
    "attendance_status": 0,
    "redeem_at": "2023-10-24T10:54:45Z",
    "dp_platform": "Tokopedia",
    "schedule_start_end": "",
    "course_type": 1,
    "course_type_label": "Mandiri",
    "course_learning_method": "online",
    "is_online_attendance": True,
    "sequence": 1,
}


def ok(data):
    return {"success": True, "message": "OK", "data": data}


def test_documented_example_parses():
    assert parse(STATUS, ok(GOOD)).status == 1
    assert parse(STATUS, ok({**GOOD, "redeem_at": None})).redeem_at is None


@pytest.mark.parametrize(
    "change",
    [
        {"status": "UNUSED"},
        {"status": "1"},
        {"attendance_status": True},
        {"course_type": 1.0},
        {"redeem_at": "2026-12-06T00:58:19.154294+00:00"},
        {"redeem_at": "2023-10-24T10:54:45.123Z"},
        {"is_online_attendance": 1},
        {"sequence": None},
    ],
)
def test_wrong_json_types_and_time_formats_fail(change):
    with pytest.raises(pydantic.ValidationError):
        parse(STATUS, ok({**GOOD, **change}))


@pytest.mark.parametrize("missing", ["schedule_start_end", "course_type", "is_online_attendance", "sequence"])
def test_a_missing_documented_field_fails(missing):
    with pytest.raises(pydantic.ValidationError):
        parse(STATUS, ok({k: v for k, v in GOOD.items() if k != missing}))


def test_payment_amount_is_an_integer_and_created_at_z():
    row = {
        "created_at": "2020-03-18T20:23:45Z",
        "invoice_code": "TOKPED-X",
        "transaction_code": "01E3",
        "amount": 1950000,
        "status": "SUCCESS",
        "prakerja_name": "ARIEF B***",
    }
    parse(PAYMENT_STATUS, ok(row))
    with pytest.raises(pydantic.ValidationError):
        parse(PAYMENT_STATUS, ok({**row, "amount": "1950000"}))


def test_void_has_no_data_and_errors_have_the_envelope():
    assert parse(VOID, {"success": True, "message": "Transaksi berhasil dibatalkan."}) is None
    with pytest.raises(AssertionError):
        parse(VOID, ok({}))
    parse_error({"success": False, "code": "ERRVOD40001", "message": "Kode transaksi tidak ditemukan."})
    with pytest.raises((AssertionError, pydantic.ValidationError)):
        parse_error({"success": False, "code": "INVALID_SIGNATURE", "message": "x"})
    with pytest.raises(pydantic.ValidationError):
        parse_error({"success": False, "code": "ERRPLT40036", "message": "x", "data": {}})


def test_every_contract_endpoint_with_data_has_a_model():
    assert MODELS["/api/v1/integration/oauth/url-generate"] is not None
    assert MODELS[VOID] is None


TPM_STATUS = "/api/v1/integration/tpm/submission/status"
TPM_SUBMISSION = "/api/v1/integration/tpm/submission"


def test_tpm_answers_are_strict():
    part = {"redeem_code": "PRAT-UJ0EEQ", "scope": "tpm", "sequence": 2}
    assert parse(TPM_STATUS, ok({"assignment": {**part, "status": 2}, "feedback": {**part, "status": 0}}))
    with pytest.raises(pydantic.ValidationError):
        parse(TPM_STATUS, ok({"assignment": {**part, "status": "2"}, "feedback": {**part, "status": 0}}))
    with pytest.raises(pydantic.ValidationError):
        parse(TPM_STATUS, ok({"assignment": {**part, "status": 2}}))
    sent = {"id": 1, **part, "status": 2, "url_file": "https://x/y.md"}
    assert parse(TPM_SUBMISSION, ok(sent)).id == 1
    with pytest.raises(pydantic.ValidationError):
        parse(TPM_SUBMISSION, ok({**sent, "sequence": 2.0}))
