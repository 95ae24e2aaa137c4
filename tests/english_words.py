"""A small stop-list of English words: a text that contains one is (part of) an English sentence."""

from __future__ import annotations

import re

STOP_WORDS = frozenset(
    {"the", "your", "was", "will", "is", "and", "you", "are", "has", "been", "before", "with", "not", "of", "to"}
)


def english_words(text: str) -> set[str]:
    """The stop-list's words in ``text``; placeholders (``{amount:rp}``) and codes (``NIK_MATCHES_BIRTH_DATE_AND_SEX``,
    ``PASS``) are not words."""
    tokens = re.findall(r"[A-Za-z_]+", re.sub(r"\{[^}]*\}", " ", text))
    return {t.lower() for t in tokens if "_" not in t and not t.isupper()} & STOP_WORDS
