"""Kartu Prakerja numbers: 16 digits, unique, not guessable from their neighbours (the dashboard shows a 16-digit
number; no physical card)."""

from __future__ import annotations

PREFIX = "5"
_SPACE = 10**14
_MULTIPLIER = 73_939_133_391  # odd and not a multiple of 5, so multiplication is a bijection mod 10^14


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for ``digits`` (the digit to append)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def card_number(sequence: int) -> str:
    """The card number for the n-th issued card: prefix, 14 scrambled digits, Luhn check digit.

    Distinct sequences give distinct numbers (a permutation of 0..10^14-1), so uniqueness follows from
    the database sequence; consecutive cards do not get consecutive numbers.
    """
    if not 0 < sequence < _SPACE:
        raise ValueError("card sequence out of range")
    body = PREFIX + f"{(sequence * _MULTIPLIER) % _SPACE:014d}"
    return body + luhn_digit(body)


def is_card_number(text: str) -> bool:
    return len(text) == 16 and text.isdigit() and luhn_digit(text[:15]) == text[15]
