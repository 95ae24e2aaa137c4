"""The AES-GCM payload codec: round trip, tamper detection, fresh nonces, pass-through of plaintext payloads and
key rotation (old payloads keep decoding, a codec without their key says which key is missing)."""

from __future__ import annotations

import base64
import os

import pytest
from temporalio.api.common.v1 import Payload
from temporalio.api.failure.v1 import Failure
from temporalio.exceptions import ApplicationError

from adapters.crypto_codec import (
    ENCODING,
    KEY_ID,
    NONCE_BYTES,
    AesGcmCodec,
    PayloadDecryptionError,
    PayloadKeyError,
    UnknownPayloadKey,
    codec_from_settings,
)
from adapters.payloads import converter_with, data_converter
from domain.application.form import Address

K1, K2 = os.urandom(32), os.urandom(32)
SECRET = b'{"nik":"3201011508950001","full_name":"Budi Santoso"}'


def _plain(data: bytes = SECRET) -> Payload:
    return Payload(metadata={"encoding": b"json/plain"}, data=data)


async def _seal(codec: AesGcmCodec, payload: Payload) -> Payload:
    [sealed] = await codec.encode([payload])
    return sealed


async def test_round_trip_restores_the_payload_and_hides_its_bytes():
    codec = AesGcmCodec({"k1": K1}, "k1")
    original = _plain()
    sealed = await _seal(codec, original)
    assert sealed.metadata["encoding"] == ENCODING and sealed.metadata[KEY_ID] == b"k1"
    assert b"3201011508950001" not in sealed.SerializeToString() and b"Budi" not in sealed.SerializeToString()
    assert await codec.decode([sealed]) == [original]


async def test_tampering_with_data_or_key_label_is_detected():
    codec = AesGcmCodec({"k1": K1, "k2": K2}, "k1")
    sealed = await _seal(codec, _plain())
    flipped = bytearray(sealed.data)
    flipped[NONCE_BYTES + 3] ^= 0x01
    with pytest.raises(PayloadDecryptionError, match="failed authentication"):
        await codec.decode([Payload(metadata=dict(sealed.metadata), data=bytes(flipped))])
    relabelled = Payload(metadata={**dict(sealed.metadata), KEY_ID: b"k2"}, data=sealed.data)
    with pytest.raises(PayloadDecryptionError, match="failed authentication"):
        await codec.decode([relabelled])
    with pytest.raises(PayloadDecryptionError, match="truncated"):
        await codec.decode([Payload(metadata=dict(sealed.metadata), data=sealed.data[:NONCE_BYTES])])


async def test_each_encode_uses_a_fresh_nonce():
    codec = AesGcmCodec({"k1": K1}, "k1")
    first, second = await codec.encode([_plain(), _plain()])
    assert first.data[:NONCE_BYTES] != second.data[:NONCE_BYTES]
    assert first.data != second.data


async def test_unencrypted_payloads_pass_through_decode_unchanged():
    codec = AesGcmCodec({"k1": K1}, "k1")
    plain, binary_null = _plain(), Payload(metadata={"encoding": b"binary/null"})
    sealed = await _seal(codec, _plain(b'"x"'))
    assert await codec.decode([plain, binary_null, sealed]) == [plain, binary_null, _plain(b'"x"')]


async def test_rotation_keeps_old_payloads_readable_and_new_ones_use_the_new_key():
    old_codec = AesGcmCodec({"k1": K1}, "k1")
    old = await _seal(old_codec, _plain())

    rotated = AesGcmCodec({"k1": K1, "k2": K2}, "k2")
    assert await rotated.decode([old]) == [_plain()]
    new = await _seal(rotated, _plain())
    assert new.metadata[KEY_ID] == b"k2"
    assert await rotated.decode([new]) == [_plain()]

    without_k1 = AesGcmCodec({"k2": K2}, "k2")
    assert await without_k1.decode([new]) == [_plain()]
    with pytest.raises(UnknownPayloadKey, match="'k1'") as missing:
        await without_k1.decode([old])
    assert missing.value.key_id == "k1"
    assert "keep retired keys in PAYLOAD_KEYS" in str(missing.value)


async def test_codec_from_settings_parses_the_key_ring():
    text = f" k1:{base64.b64encode(K1).decode()} , k2:{base64.b64encode(K2).decode()} "
    codec = codec_from_settings(text, "k2")
    assert codec.active_key_id == "k2" and codec.key_ids == ("k1", "k2")
    sealed = await _seal(codec, _plain())
    assert await AesGcmCodec({"k2": K2}, "k2").decode([sealed]) == [_plain()]


@pytest.mark.parametrize(
    ("text", "active", "problem"),
    [
        ("k1", "k1", "entry 1 must look like"),
        ("k1:not base64!", "k1", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "k1", "must be 32 bytes"),
        (f"k1:{base64.b64encode(K1).decode()}", "k9", "'k9' is not one of"),
        (f"k1:{base64.b64encode(K1).decode()}", "", "PAYLOAD_ACTIVE_KEY"),
        (f"k1:{base64.b64encode(K1).decode()},k1:{base64.b64encode(K2).decode()}", "k1", "twice"),
    ],
)
def test_codec_from_settings_refuses_bad_configuration_without_echoing_keys(text, active, problem):
    with pytest.raises(PayloadKeyError, match=problem) as refused:
        codec_from_settings(text, active)
    assert base64.b64encode(K1).decode() not in str(refused.value)


async def test_converter_with_a_codec_round_trips_our_dataclasses():
    assert converter_with(None) is data_converter
    converter = converter_with(AesGcmCodec({"k1": K1}, "k1"))
    value = Address("Jl. Melati 3", "32", "32.01")
    [payload] = await converter.encode([value])
    assert payload.metadata["encoding"] == ENCODING and b"Melati" not in payload.data
    assert await converter.decode([payload], [Address]) == [value]
    assert await data_converter.decode(await data_converter.encode([value]), [Address]) == [value]


async def test_failure_messages_are_encrypted_too_and_decode_back():
    converter = converter_with(AesGcmCodec({"k1": K1}, "k1"))
    failure = Failure()
    await converter.encode_failure(ApplicationError("NIK 3201011508950001 refused", type="NIK_INVALID"), failure)
    assert b"3201011508950001" not in failure.SerializeToString()
    assert failure.application_failure_info.type == "NIK_INVALID"  # types stay readable for the API's mapping
    decoded = await converter.decode_failure(failure)
    assert isinstance(decoded, ApplicationError) and decoded.message == "NIK 3201011508950001 refused"
