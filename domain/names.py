"""Blind prefix tokens for searching names that are stored encrypted (pure; the key comes from the caller)."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

MIN_PREFIX = 3
MAX_PREFIX = 12
"""Prefixes of 3 to 12 characters are indexed; a longer prefix is matched on its first 12 (then checked)."""


def normalise(name: str) -> str:
    """Case-, accent- and spacing-insensitive: ``"  Siti  Rahmá"`` → ``"siti rahma"``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())


def prefix_token(prefix: str, key: bytes) -> str:
    """The token of an already normalised prefix (of at most ``MAX_PREFIX`` characters)."""
    return hmac.new(key, b"name-prefix|" + prefix.encode(), hashlib.sha256).hexdigest()[:32]


def name_tokens(full_name: str, key: bytes) -> list[str]:
    name = normalise(full_name)
    return [prefix_token(name[:n], key) for n in range(MIN_PREFIX, min(len(name), MAX_PREFIX) + 1)]


def search_token(prefix: str, key: bytes) -> str | None:
    """The token to look a typed prefix up by; ``None`` when it is shorter than ``MIN_PREFIX`` once normalised."""
    p = normalise(prefix)
    return prefix_token(p[:MAX_PREFIX], key) if len(p) >= MIN_PREFIX else None
