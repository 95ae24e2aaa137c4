"""The official redeem-code REST contract, signed exactly as the providers' sample clients sign."""

from __future__ import annotations

import json
import logging

import pytest

from caseapi.rest import catalogue as cat
from caseapi.rest.ports import RedeemDetail
from domain.training.messages import RedeemResult
from domain.training.trainings import TrainingMode
from tests.rest.redeem_support import (
    CODE,
    COMMIT,
    EXPECTED_DATA,
    KEYS,
    NOW,
    STATUS,
    TS,
    assert_ok,
    assert_refused,
    hmac_sha1,
    official_client,
    spaced_client_signing_compact,
    spaced_client_signing_raw,
)

# --- the three ways real clients sign -------------------------------------------------------------------------


@pytest.mark.parametrize("client", [official_client, spaced_client_signing_compact, spaced_client_signing_raw])
async def test_each_sample_client_signature_is_accepted(http, gateway, client):
    body, headers = client({"redeem_code": CODE, "sequence": 3})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert_ok(response, COMMIT)
    assert response.json() == {"success": True, "message": "OK", "data": EXPECTED_DATA}
    assert gateway.calls == [("commit", "LPK-001", CODE, 3, None)]


async def test_status_route_asks_status_and_redeem_at_may_be_null(http, gateway):
    async def unredeemed(client_code, redeem_code, sequence, training_type):
        gateway.calls.append(("status", client_code, redeem_code, sequence, training_type))
        unused = RedeemResult(CODE, "VCR-0001", "INV-0001", "CRS-PYTHON-01", "SCH-0001", "UNUSED", "", None, "DP", 1)
        return RedeemDetail(unused, TrainingMode.SELF_PACED, "SCH-0001", None)

    gateway.status = unredeemed  # type: ignore[method-assign]
    body, headers = official_client({"redeem_code": CODE, "sequence": 1, "training_type": "WEBINAR"}, path=STATUS)
    response = await http.post(STATUS, content=body, headers=headers)
    data = assert_ok(response, STATUS)
    assert (data.redeem_at, data.status, data.attendance_status, data.course_type) == (None, 0, 0, 1)
    assert (data.schedule_start_end, data.course_learning_method, data.is_online_attendance) == ("", "online", True)
    assert gateway.calls == [("status", "LPK-001", CODE, 1, "WEBINAR")]


async def test_missing_sequence_defaults_to_1(http, gateway):
    body, headers = official_client({"redeem_code": CODE})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["sequence"] == 1
    assert gateway.calls == [("commit", "LPK-001", CODE, 1, None)]


@pytest.mark.parametrize("sequence", [1, 10, 999])
async def test_valid_sequences(http, gateway, sequence):
    body, headers = official_client({"redeem_code": CODE, "sequence": sequence})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert gateway.calls[0][3] == sequence


async def test_non_ascii_body_signed_compact_without_escapes(http, gateway):
    body, headers = spaced_client_signing_compact({"redeem_code": CODE, "sequence": 2, "note": "Pelatihan Ä"})
    assert b"\\u00c4" in body  # Python's default json.dumps escapes; the compact form used for signing does not
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 200, response.text


# --- authentication -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("drop", ["client_code", "timestamp", "signature"])
async def test_missing_header(http, gateway, drop):
    body, headers = official_client({"redeem_code": CODE})
    headers[drop] = ""
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "MISSING_SIGNATURE_HEADERS")
    del headers[drop]
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "MISSING_SIGNATURE_HEADERS")
    assert gateway.calls == [] and gateway.nonces == set()


async def test_unknown_client(http, gateway):
    body, headers = official_client({"redeem_code": CODE}, client="LPK-999")
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "UNKNOWN_CLIENT")
    assert gateway.calls == [] and gateway.nonces == set()


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
async def test_stale_timestamp(http, gateway, offset):
    body, headers = official_client({"redeem_code": CODE}, ts=str(int(NOW.timestamp()) + offset))
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "STALE_TIMESTAMP")
    assert gateway.calls == [] and gateway.nonces == set()


@pytest.mark.parametrize("offset", [-300, 300])
async def test_timestamp_within_300_seconds_is_fresh(http, offset):
    body, headers = official_client({"redeem_code": CODE}, ts=str(int(NOW.timestamp()) + offset))
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200


@pytest.mark.parametrize("ts", ["yesterday", TS + ".0", TS + "000", "-" + TS, "2024-03-01T09:00:00Z"])
async def test_timestamp_must_be_integer_seconds(http, ts):
    body, headers = official_client({"redeem_code": CODE}, ts=ts)
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "STALE_TIMESTAMP")


async def test_wrong_signature_is_refused_and_uses_no_nonce(http, gateway):
    body, headers = official_client({"redeem_code": CODE})
    good = headers["signature"]
    headers["signature"] = "0" * 40
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")
    headers["signature"] = "not even hex"
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")
    assert gateway.calls == [] and gateway.nonces == set()
    headers["signature"] = good  # the genuine request still goes through
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200


async def test_signature_of_another_client_key_is_refused(http):
    body, headers = official_client({"redeem_code": CODE}, client="LPK-002")
    headers["client_code"] = "LPK-001"
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")


async def test_tampered_body_is_refused(http, gateway):
    _, headers = official_client({"redeem_code": CODE, "sequence": 1})
    tampered = json.dumps({"redeem_code": CODE, "sequence": 2}, separators=(",", ":")).encode()
    assert_refused(await http.post(COMMIT, content=tampered, headers=headers), 401, "INVALID_SIGNATURE")
    assert gateway.calls == []


async def test_signature_for_status_does_not_work_on_commit(http, gateway):
    body, headers = official_client({"redeem_code": CODE}, path=STATUS)
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 401, "INVALID_SIGNATURE")
    assert gateway.calls == []


# --- replay ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [STATUS, COMMIT])
async def test_replayed_request_is_refused_on_both_routes(http, gateway, path):
    body, headers = official_client({"redeem_code": CODE, "sequence": 2}, path=path)
    assert (await http.post(path, content=body, headers=headers)).status_code == 200
    assert_refused(await http.post(path, content=body, headers=headers), 409, "REPLAYED_REQUEST")
    assert len(gateway.calls) == 1


async def test_replay_with_other_whitespace_or_header_case_is_still_a_replay(http, gateway):
    payload = {"redeem_code": CODE, "sequence": 2}
    body, headers = official_client(payload)
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    respaced = json.dumps(payload, indent=2).encode()
    shouting = {k.upper(): v.upper() if k == "signature" else v for k, v in headers.items()}
    assert_refused(await http.post(COMMIT, content=respaced, headers=shouting), 409, "REPLAYED_REQUEST")
    assert len(gateway.calls) == 1


async def test_same_request_signed_anew_is_not_a_replay(http, gateway):
    payload = {"redeem_code": CODE, "sequence": 2}
    body, headers = official_client(payload)
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    body, headers = official_client(payload, ts=str(int(NOW.timestamp()) + 1))
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    assert len(gateway.calls) == 2


# --- request validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "entry"),
    [
        ({}, cat.REQUIRED_EMPTY),
        ({"redeem_code": ""}, cat.REQUIRED_EMPTY),
        ({"redeem_code": "   "}, cat.REQUIRED_EMPTY),
        ({"redeem_code": 12345}, cat.INVALID_BODY),
        ({"redeem_code": CODE, "sequence": 0}, cat.INVALID_SEQUENCE),
        ({"redeem_code": CODE, "sequence": 11}, cat.INVALID_SEQUENCE),
        ({"redeem_code": CODE, "sequence": 998}, cat.INVALID_SEQUENCE),
        ({"redeem_code": CODE, "sequence": "1"}, cat.INVALID_BODY),
        ({"redeem_code": CODE, "sequence": 1.0}, cat.INVALID_BODY),
        ({"redeem_code": CODE, "sequence": True}, cat.INVALID_BODY),
        ({"redeem_code": CODE, "training_type": "ONLINE"}, cat.INVALID_BODY),
        ({"redeem_code": CODE, "training_type": 1}, cat.INVALID_BODY),
        ([CODE, 1], cat.INVALID_BODY),
        (CODE, cat.INVALID_BODY),
    ],
)
async def test_invalid_request(http, gateway, payload, entry):
    body, headers = official_client(payload)
    assert_refused(await http.post(COMMIT, content=body, headers=headers), 400, entry)
    assert gateway.calls == []


@pytest.mark.parametrize("raw", [b"", b"redeem_code=RDM7Q2XK&sequence=1", b'{"redeem_code":"A","redeem_code":"B"}'])
async def test_signed_body_that_is_not_a_redeem_object_is_invalid(http, gateway, raw):
    signature = hmac_sha1(KEYS["LPK-001"], ("LPK-001" + TS + "POST" + COMMIT).encode() + raw)
    headers = {"client_code": "LPK-001", "timestamp": TS, "signature": signature}
    assert_refused(await http.post(COMMIT, content=raw, headers=headers), 400, cat.INVALID_BODY)
    assert gateway.calls == []


async def test_training_type_is_passed_through(http, gateway):
    body, headers = official_client({"redeem_code": CODE, "sequence": 999, "training_type": "SELF_PACED"})
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200
    assert gateway.calls == [("commit", "LPK-001", CODE, 999, "SELF_PACED")]


async def test_body_over_4_kib_is_refused(http, gateway):
    body, headers = official_client({"redeem_code": CODE, "padding": "x" * 5 * 1024})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    assert gateway.calls == [] and gateway.nonces == set()


async def test_streamed_body_over_4_kib_is_refused_without_content_length(http, gateway):
    body, headers = official_client({"redeem_code": CODE, "padding": "x" * 5 * 1024})

    async def chunks():
        for i in range(0, len(body), 512):
            yield body[i : i + 512]

    response = await http.post(COMMIT, content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    assert gateway.calls == []


async def test_body_of_exactly_4_kib_is_accepted(http):
    payload = {"redeem_code": CODE, "padding": ""}
    size = len(json.dumps(payload, separators=(",", ":")))
    body, headers = official_client({"redeem_code": CODE, "padding": "x" * (4096 - size)})
    assert len(body) == 4096
    assert (await http.post(COMMIT, content=body, headers=headers)).status_code == 200


async def test_only_post(http):
    assert (await http.get(COMMIT)).status_code == 405


# --- hygiene --------------------------------------------------------------------------------------------------


async def test_secrets_bodies_and_signatures_are_never_logged(http, caplog):
    caplog.set_level(logging.DEBUG)
    body, headers = official_client({"redeem_code": CODE, "sequence": 2})
    await http.post(COMMIT, content=body, headers=headers)
    await http.post(COMMIT, content=body, headers=headers)  # replay
    bad = dict(headers, signature="f" * 40)
    await http.post(COMMIT, content=body, headers=bad)
    logged = caplog.text
    assert "LPK-001" in logged  # the client is logged ...
    for secret in (KEYS["LPK-001"], headers["signature"], "f" * 40, body.decode(), CODE):
        assert secret not in logged  # ... but not its key, signatures, bodies or codes
