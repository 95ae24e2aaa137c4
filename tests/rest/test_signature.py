"""The pure signature functions, against vectors computed independently (``openssl dgst -sha1 -hmac``)."""

import datetime as dt

import pytest

from caseapi.rest.signature import compact_body, is_fresh, normalize_signature, parse_timestamp, sign, verify

KEY = "lpk-001-sign-key"
PATH = "/api/v1/integration/payment/redeem-code/commit"
COMPACT = '{"redeem_code":"RDM7Q2XK","sequence":1}'
SPACED = '{"redeem_code": "RDM7Q2XK", "sequence": 1}'
# printf '%s' 'LPK-0011700000000POST<path><body>' | openssl dgst -sha1 -hmac lpk-001-sign-key
SIG_COMPACT = "d43d7d7d2934815376a377ecb7a5b7150ba7fe11"
SIG_SPACED = "b8b37c0fd2c044cad2bd7c8c4b5488eb2efd1f07"


def test_sign_matches_openssl():
    assert sign(KEY, "LPK-001", "1700000000", "POST", PATH, COMPACT) == SIG_COMPACT
    assert sign(KEY, "LPK-001", "1700000000", "POST", PATH, SPACED.encode()) == SIG_SPACED


def test_compact_body_keeps_key_order_and_non_ascii():
    raw = '{ "sequence" : 2 ,\n  "redeem_code" : "KODE-é" }'.encode()
    assert compact_body(raw) == '{"sequence":2,"redeem_code":"KODE-é"}'


def test_compact_body_rejects_non_json():
    with pytest.raises(ValueError):
        compact_body(b"redeem_code=X")
    with pytest.raises(ValueError):
        compact_body(b"[" * 3000 + b"]" * 3000)


@pytest.mark.parametrize(
    ("raw", "signature"),
    [
        (COMPACT, SIG_COMPACT),  # compact body, signed as sent
        (SPACED, SIG_COMPACT),  # spaced body, signed over the compact form
        (SPACED, SIG_SPACED),  # spaced body, signed over the raw bytes
        (SPACED, SIG_SPACED.upper()),
    ],
)
def test_verify_accepts_compact_and_raw_forms(raw, signature):
    assert verify(KEY, "LPK-001", "1700000000", "POST", PATH, raw.encode(), signature)


@pytest.mark.parametrize(
    ("key", "client", "timestamp", "path", "raw"),
    [
        ("other-key", "LPK-001", "1700000000", PATH, COMPACT),
        (KEY, "LPK-002", "1700000000", PATH, COMPACT),
        (KEY, "LPK-001", "1700000001", PATH, COMPACT),
        (KEY, "LPK-001", "1700000000", PATH.replace("commit", "status"), COMPACT),
        (KEY, "LPK-001", "1700000000", PATH, COMPACT.replace("RDM7Q2XK", "RDM7Q2XL")),
        (KEY, "LPK-001", "1700000000", PATH, '{"sequence":1,"redeem_code":"RDM7Q2XK"}'),  # key order is signed
    ],
)
def test_verify_rejects_any_change(key, client, timestamp, path, raw):
    assert not verify(key, client, timestamp, "POST", path, raw.encode(), SIG_COMPACT)


@pytest.mark.parametrize("signature", ["", "d43d7d7d", SIG_COMPACT + "00", "z" * 40, "é" * 40])
def test_verify_rejects_malformed_signatures(signature):
    assert not verify(KEY, "LPK-001", "1700000000", "POST", PATH, COMPACT.encode(), signature)


def test_normalize_signature():
    assert normalize_signature(" " + SIG_COMPACT.upper()) == SIG_COMPACT
    assert normalize_signature("not-hex") is None


@pytest.mark.parametrize("value", ["", "abc", "1.5", "-1", "+1700000000", "1_700_000_000", "1e9", "١٢٣"])
def test_parse_timestamp_takes_plain_integers_only(value):
    assert parse_timestamp(value) is None


def test_freshness_window_is_300_seconds_both_ways():
    now = dt.datetime.fromtimestamp(1_700_000_000, dt.UTC)
    assert is_fresh(1_700_000_300, now) and is_fresh(1_699_999_700, now)
    assert not is_fresh(1_700_000_301, now) and not is_fresh(1_699_999_699, now)


# --- the Go client's escaping and the Authorization slot (partner-api.md §3) ----------------------------------

AUTHORIZE = "/api/v1/integration/payment/authorize"
AUTH_BODY = b'{"otp":"123456","invoice_url":"https://dp.example/inv/INV-001","invoice_code":"INV-001"}'


def test_documented_authorize_vectors_five_part_and_with_authorization_slot():
    from caseapi.rest.signature import sign, verify

    assert sign("another-docs-key", "dp-contoh-01", "1730000100", "POST", AUTHORIZE, AUTH_BODY) == (
        "08c419a60465be6a03f871f5108633e0fa0dd7b9"
    )
    slot = "Payment PAYMENT_TOKEN_XYZ"
    for sig in ("08c419a60465be6a03f871f5108633e0fa0dd7b9", "d4c5593db8391175331295f91910da6c6d25affb"):
        assert verify(
            "another-docs-key", "dp-contoh-01", "1730000100", "POST", AUTHORIZE, AUTH_BODY, sig, authorization=slot
        )
    # without the header value the slot form is not accepted (only authorize passes it)
    assert not verify(
        "another-docs-key",
        "dp-contoh-01",
        "1730000100",
        "POST",
        AUTHORIZE,
        AUTH_BODY,
        "d4c5593db8391175331295f91910da6c6d25affb",
    )


def test_go_marshal_escaping_of_lt_gt_amp_is_accepted():
    from caseapi.rest.signature import sign, verify

    path = "/api/v1/integration/oauth/url-generate"
    sent = b'{"redeem_code":"PRAT-AB12CD","redirect_uri":"https://lp.example/cb?a=1&b=<2>"}'
    go_signed = b'{"redeem_code":"PRAT-AB12CD","redirect_uri":"https://lp.example/cb?a=1\\u0026b=\\u003c2\\u003e"}'
    signature = sign("k", "lpk", "1730000000", "POST", path, go_signed)
    assert verify("k", "lpk", "1730000000", "POST", path, sent, signature)
    assert not verify("k", "lpk", "1730000000", "POST", path, sent.replace(b"1&", b"2&"), signature)
