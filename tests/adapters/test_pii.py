"""Sealed columns and blind name tokens."""

from __future__ import annotations

import base64

import pytest

from adapters.db.pii import FieldCipher, PiiDecryptionError
from domain.names import MAX_PREFIX, name_tokens, search_token

K1, K2 = bytes(range(32)), bytes(range(32, 64))


def _ring(*pairs: tuple[str, bytes]) -> str:
    return ",".join(f"{i}:{base64.b64encode(k).decode()}" for i, k in pairs)


def test_rotation_keeps_old_values_readable_and_seals_with_the_new_key():
    old = FieldCipher.from_settings(_ring(("a", K1)), "a")
    sealed = old.seal(b"Siti Rahmawati", "cases.pii")
    assert b"Siti" not in sealed
    rotated = FieldCipher.from_settings(_ring(("a", K1), ("b", K2)), "b")
    assert rotated.open(sealed, "cases.pii") == b"Siti Rahmawati"
    assert rotated.seal(b"x", "cases.pii")[1:2] == b"b"
    with pytest.raises(PiiDecryptionError, match="not configured"):
        FieldCipher.from_settings(_ring(("b", K2)), "b").open(sealed, "cases.pii")


def test_a_value_moved_to_another_column_or_tampered_fails():
    cipher = FieldCipher.from_settings(_ring(("a", K1)), "a")
    sealed = cipher.seal(b"081234567890", "cases.pii")
    with pytest.raises(PiiDecryptionError, match="authentication"):
        cipher.open(sealed, "notifications.body")
    with pytest.raises(PiiDecryptionError, match="authentication"):
        cipher.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), "cases.pii")
    with pytest.raises(PiiDecryptionError, match="truncated"):
        cipher.open(sealed[:10], "cases.pii")


def test_name_tokens_match_any_prefix_of_3_to_12_letters_in_any_case_or_accent():
    key = b"k"
    tokens = set(name_tokens("Siti  Rahmawati", key))
    assert len(tokens) == MAX_PREFIX - 2
    for typed in ("sit", "SITI R", " siti   rahmá", "Siti Rahmawa", "siti rahmawati"):
        assert search_token(typed, key) in tokens, typed
    assert search_token("sir", key) not in tokens
    assert search_token("si", key) is None
    assert search_token("sit", b"other key") not in tokens
