"""Personal data at rest: AES-256-GCM sealed columns and HMAC blind indexes for the searches staff make.

A sealed value is ``key-id-length (1 byte) || key id || nonce (12) || ciphertext || tag``. The associated data is
the key ID and the column (``cases.pii``), so a value copied into another column, or relabelled with another key,
fails authentication. Keys rotate like the payload codec's (``PII_KEYS`` lists every key still needed for reading,
``PII_ACTIVE_KEY`` seals); a row is re-sealed with the active key the next time its case is projected.

Name search uses blind prefix tokens: HMAC-SHA256 of each prefix of the normalised full name of 3 to 12
characters (``domain.names``). They reveal which rows share a name prefix to whoever holds the database, but not
the name; the HMAC key stays with the application, like the NIK blind index.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.crypto_codec import NONCE_BYTES, TAG_BYTES, parse_key_ring


class PiiDecryptionError(ValueError):
    """A sealed column value that cannot be opened (unknown key, tampered, moved from another column)."""


class FieldCipher:
    def __init__(self, ciphers: dict[str, AESGCM], active_key_id: str) -> None:
        self._ciphers, self._active = ciphers, active_key_id

    @classmethod
    def from_settings(cls, keys: str, active: str) -> FieldCipher:
        return cls(*parse_key_ring(keys, active, variable="PII_KEYS"))

    def seal(self, plain: bytes, column: str) -> bytes:
        key_id = self._active.encode()
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self._active].encrypt(nonce, plain, key_id + b"|" + column.encode())
        return bytes([len(key_id)]) + key_id + nonce + sealed

    def open(self, sealed: bytes, column: str) -> bytes:
        n = sealed[0] if sealed else 0
        key_id, rest = sealed[1 : 1 + n], sealed[1 + n :]
        cipher = self._ciphers.get(key_id.decode(errors="replace"))
        if cipher is None:
            raise PiiDecryptionError(f"{column}: sealed with key {key_id.decode(errors='replace')!r}, not configured")
        if len(rest) < NONCE_BYTES + TAG_BYTES:
            raise PiiDecryptionError(f"{column}: sealed value is truncated")
        try:
            return cipher.decrypt(rest[:NONCE_BYTES], rest[NONCE_BYTES:], key_id + b"|" + column.encode())
        except InvalidTag:
            raise PiiDecryptionError(f"{column}: sealed value failed authentication") from None


def pii_cipher(settings: Any) -> FieldCipher:
    """The cipher of ``PII_KEYS`` / ``PII_ACTIVE_KEY`` (composition roots and tests)."""
    return FieldCipher.from_settings(settings.pii_keys.reveal(), settings.pii_active_key)
