"""AES-256-GCM payload codec: workflow inputs, results, updates, signals and memos leave the process encrypted.

Each encrypted payload names the key it was sealed with (metadata ``encryption-key-id``), so keys rotate without
rewriting histories: a new key becomes the active one for encoding and the old keys stay for decoding. Payloads
without ``encoding: binary/encrypted`` pass through ``decode`` unchanged, so runs recorded before encryption was
switched on (and the committed replay corpus) still replay.

Sealed layout: ``data = nonce (12 random bytes) || ciphertext || GCM tag``; the key ID is the associated data, so
a payload relabelled with another key ID fails authentication instead of decrypting under the wrong key.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16

__all__ = [
    "ENCODING",
    "KEY_ID",
    "AesGcmCodec",
    "PayloadDecryptionError",
    "PayloadKeyError",
    "UnknownPayloadKey",
    "codec_from_settings",
]


class PayloadDecryptionError(ValueError):
    """An encrypted payload that cannot be opened: unknown key, tampered or truncated data."""


class UnknownPayloadKey(PayloadDecryptionError):
    """The payload was sealed with a key this codec does not hold (a key removed too early from the ring)."""

    def __init__(self, key_id: str, known: Sequence[str]) -> None:
        super().__init__(
            f"payload was encrypted with key {key_id!r}, which is not configured "
            f"(known keys: {', '.join(sorted(known)) or 'none'}); keep retired keys in PAYLOAD_KEYS for decoding"
        )
        self.key_id = key_id


class PayloadKeyError(ValueError):
    """The key ring configuration is unusable (the message never contains key material)."""


class AesGcmCodec(PayloadCodec):
    """Encrypts with the active key; decrypts with whichever configured key a payload names."""

    def __init__(self, keys: Mapping[str, bytes], active_key_id: str) -> None:
        self._ciphers = ciphers_for(keys, active_key_id)
        self._active = active_key_id

    @classmethod
    def from_ciphers(cls, ciphers: dict[str, AESGCM], active_key_id: str) -> AesGcmCodec:
        codec = cls.__new__(cls)
        codec._ciphers, codec._active = ciphers, active_key_id
        return codec

    @property
    def active_key_id(self) -> str:
        return self._active

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._ciphers))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.seal(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.open(p) for p in payloads]

    def seal(self, payload: Payload) -> Payload:
        """``payload`` serialized and encrypted under the active key with a fresh random nonce."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self._active].encrypt(nonce, payload.SerializeToString(), self._active.encode())
        return Payload(metadata={"encoding": ENCODING, KEY_ID: self._active.encode()}, data=nonce + sealed)

    def open(self, payload: Payload) -> Payload:
        """The original payload of an encrypted one; any other payload is returned as it is."""
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        raw_id = payload.metadata.get(KEY_ID)
        if raw_id is None:
            raise PayloadDecryptionError(f"encrypted payload has no {KEY_ID!r} metadata")
        key_id = raw_id.decode("utf-8", errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise UnknownPayloadKey(key_id, list(self._ciphers))
        if len(payload.data) < NONCE_BYTES + TAG_BYTES:
            raise PayloadDecryptionError(f"encrypted payload (key {key_id!r}) is truncated")
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, raw_id)
        except InvalidTag:
            raise PayloadDecryptionError(
                f"encrypted payload (key {key_id!r}) failed authentication: tampered, or sealed with another key"
            ) from None
        original = Payload()
        original.ParseFromString(plain)
        return original


def parse_key_ring(text: str, active: str, *, variable: str = "PAYLOAD_KEYS") -> tuple[dict[str, AESGCM], str]:
    """``"<id>:<base64 of 32 bytes>,<id>:…"`` and the active key ID, checked, as AES-GCM ciphers by key ID."""
    keys: dict[str, bytes] = {}
    for n, entry in enumerate((e.strip() for e in text.split(",")), 1):
        if not entry:
            continue
        key_id, sep, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id:
            raise PayloadKeyError(f"{variable} entry {n} must look like '<id>:<base64 key>'")
        if key_id in keys:
            raise PayloadKeyError(f"{variable} names key {key_id!r} twice")
        try:
            keys[key_id] = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise PayloadKeyError(f"{variable} key {key_id!r} is not valid base64") from None
    active_variable = variable.replace("_KEYS", "_ACTIVE_KEY")
    if not active.strip():
        raise PayloadKeyError(f"{active_variable} must name the key to encrypt with when {variable} is set")
    return ciphers_for(keys, active.strip()), active.strip()


def ciphers_for(keys: Mapping[str, bytes], active_key_id: str) -> dict[str, AESGCM]:
    if not keys:
        raise PayloadKeyError("at least one key is needed")
    for key_id, key in keys.items():
        if not key_id or any(c in key_id for c in ",: \t\n"):
            raise PayloadKeyError(f"invalid key id {key_id!r}")
        if len(key) != KEY_BYTES:
            raise PayloadKeyError(f"key {key_id!r} must be {KEY_BYTES} bytes (AES-256), not {len(key)}")
    if active_key_id not in keys:
        raise PayloadKeyError(
            f"the active key {active_key_id!r} is not one of the configured keys ({', '.join(sorted(keys))})"
        )
    return {key_id: AESGCM(key) for key_id, key in keys.items()}


def codec_from_settings(text: str, active: str) -> AesGcmCodec:
    """The codec for ``PAYLOAD_KEYS`` (``"<id>:<base64 of 32 bytes>,<id>:…"``) and ``PAYLOAD_ACTIVE_KEY``."""
    ciphers, active_id = parse_key_ring(text, active)
    return AesGcmCodec.from_ciphers(ciphers, active_id)
