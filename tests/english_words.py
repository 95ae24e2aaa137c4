"""A small stop-list of English words: a text that contains one is (part of) an English sentence."""

from __future__ import annotations

import re

STOP_WORDS = frozenset(
    {"the", "your", "was", "will", "is", "and", "you", "are", "has", "been", "before", "with", "not", "of", "to"}
)


def english_words(text: str) -> set[str]:
    """The stop-list's words in ``text`` (placeholders like ``{amount:rp}`` are not words)."""
    return set(re.findall(r"[a-z]+", re.sub(r"\{[^}]*\}", " ", text).lower())) & STOP_WORDS
