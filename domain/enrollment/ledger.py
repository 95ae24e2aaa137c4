"""The training balance as an append-only ledger (integer rupiah; the balance is derived, never stored)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class EntryKind(StrEnum):
    CREDIT = "CREDIT"
    """The scheme's balance, credited once at enrollment."""
    DEBIT = "DEBIT"
    """A training purchase."""
    REFUND = "REFUND"
    """A cancelled purchase gives its price back."""
    FORFEIT = "FORFEIT"
    """What is left returns to the treasury (revocation, end of programme)."""


_SIGN = {EntryKind.CREDIT: 1, EntryKind.REFUND: 1, EntryKind.DEBIT: -1, EntryKind.FORFEIT: -1}


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    entry_key: str
    """Business idempotency key (``<case>:debit:<purchase key>``); unique in PostgreSQL."""
    kind: EntryKind
    amount: int
    """Always positive; the kind gives the direction."""
    at: dt.datetime
    reference: str = ""
    """Voucher code, or the reason of a forfeit."""


def balance(entries: Iterable[LedgerEntry]) -> int:
    return sum(_SIGN[e.kind] * e.amount for e in entries)


def invariant_violations(entries: list[LedgerEntry]) -> list[str]:
    """Every way a card's ledger can be wrong; empty when it is sound."""
    problems = []
    running = 0
    keys = set()
    for e in entries:
        if e.amount <= 0:
            problems.append(f"{e.entry_key}: amount {e.amount} is not positive")
        if e.entry_key in keys:
            problems.append(f"{e.entry_key}: appears twice")
        keys.add(e.entry_key)
        running += _SIGN[e.kind] * e.amount
        if running < 0:
            problems.append(f"{e.entry_key}: balance went negative ({running})")
    if sum(1 for e in entries if e.kind is EntryKind.CREDIT) > 1:
        problems.append("more than one enrollment credit")
    return problems
