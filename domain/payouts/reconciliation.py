"""Daily reconciliation of the payment partner's statement against the programme's payments rows (pure).

The partner's statement lists what it paid on one Asia/Jakarta day; our rows say what we asked for and what we
recorded. Every disagreement becomes a ``Discrepancy`` for staff to resolve; nothing is corrected automatically.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from domain.notifications import rupiah
from domain.payouts.ports import Discrepancy, DiscrepancyKind, PaymentRow, PaymentStatus, StatementLine

_ATTEMPT_KEY = re.compile(r"^(?P<case>.+):incentive:\d+/\d+$")


def tranche_of(key: str) -> str:
    """The tranche key of an attempt key: ``<case>:incentive:<n>/<attempt>`` cut at the last ``/``."""
    head, sep, _ = key.rpartition("/")
    return head if sep else key


def case_of(key: str) -> str | None:
    """The case id an attempt key names, or ``None`` when the key does not have the programme's shape."""
    m = _ATTEMPT_KEY.match(key)
    return m.group("case") if m else None


def _line_text(line: StatementLine) -> str:
    return f"{line.key} {rupiah(line.amount)} to {line.provider} {line.account_number} (ref {line.partner_ref})"


def _line_order(line: StatementLine) -> tuple[str, dt.datetime, str]:
    return (line.key, line.at, line.partner_ref)


def _check_line(day: dt.date, line: StatementLine, row: PaymentRow | None) -> list[Discrepancy]:
    if row is None:
        return [
            Discrepancy(
                day,
                line.key,
                DiscrepancyKind.UNKNOWN_TRANSFER,
                f"the partner paid {rupiah(line.amount)} to {line.provider} {line.account_number} under key "
                f"{line.key} (ref {line.partner_ref}), which the programme never recorded",
                case_id=case_of(line.key),
            )
        ]
    found: list[Discrepancy] = []
    if row.status != PaymentStatus.PAID:
        found.append(
            Discrepancy(
                day,
                line.key,
                DiscrepancyKind.NOT_SETTLED,
                f"the partner paid {rupiah(line.amount)} (ref {line.partner_ref}) but our payment is "
                f"{row.status.value}" + (f" ({row.failure_code})" if row.failure_code else ""),
                case_id=row.case_id,
            )
        )
    if line.amount != row.amount:
        found.append(
            Discrepancy(
                day,
                line.key,
                DiscrepancyKind.AMOUNT_MISMATCH,
                f"the partner paid {rupiah(line.amount)}, the programme asked for {rupiah(row.amount)} "
                f"(difference {rupiah(abs(line.amount - row.amount))})",
                case_id=row.case_id,
            )
        )
    if (line.provider, line.account_number) != (row.provider, row.account_number):
        found.append(
            Discrepancy(
                day,
                line.key,
                DiscrepancyKind.ACCOUNT_MISMATCH,
                f"the partner paid {rupiah(line.amount)} to {line.provider} {line.account_number}, the programme "
                f"asked for {row.provider} {row.account_number}",
                case_id=row.case_id,
            )
        )
    return found


def _doubles(
    day: dt.date, statement: list[StatementLine], rows_by_key: dict[str, PaymentRow], paid_rows: list[PaymentRow]
) -> list[Discrepancy]:
    """Tranches paid more than once: each statement line is a transfer, and so is each PAID row of ours for
    the same tranche under a key the statement does not list."""
    lines: dict[str, list[StatementLine]] = defaultdict(list)
    for line in statement:
        lines[tranche_of(line.key)].append(line)
    ours: dict[str, dict[str, PaymentRow]] = defaultdict(dict)
    for row in [*rows_by_key.values(), *paid_rows]:
        if row.status == PaymentStatus.PAID:
            ours[row.tranche_key][row.key] = row
    found: list[Discrepancy] = []
    for tranche, paid_lines in lines.items():
        listed = {line.key for line in paid_lines}
        others = [row for key, row in sorted(ours[tranche].items()) if key not in listed]
        if len(paid_lines) + len(others) < 2:
            continue
        known = [rows_by_key[k].case_id for k in sorted(listed) if k in rows_by_key] + [r.case_id for r in others]
        transfers = [f"{_line_text(line)} on the statement" for line in sorted(paid_lines, key=_line_order)]
        transfers += [f"{row.key} {rupiah(row.amount)} recorded PAID (ref {row.partner_ref or '-'})" for row in others]
        found.append(
            Discrepancy(
                day,
                tranche,
                DiscrepancyKind.DOUBLE_PAYMENT,
                f"tranche {tranche} was paid {len(transfers)} times: " + "; ".join(transfers),
                case_id=known[0] if known else case_of(paid_lines[0].key),
            )
        )
    return found


def compare(
    day: dt.date, statement: list[StatementLine], rows_by_key: dict[str, PaymentRow], paid_rows: list[PaymentRow]
) -> list[Discrepancy]:
    """Discrepancies between the partner's statement of ``day`` and our rows, sorted by key then kind.

    ``rows_by_key`` holds our row for every key on the statement (``PaymentStore.by_keys``); it may hold more
    rows (e.g. every attempt of those tranches), and any PAID one among them counts toward ``DOUBLE_PAYMENT``.
    ``paid_rows`` are our rows settled PAID on ``day`` (``PaymentStore.paid_on``). A ``DOUBLE_PAYMENT`` is keyed
    by the tranche key; every other kind by the payment key.
    """
    found: list[Discrepancy] = []
    for line in statement:
        found.extend(_check_line(day, line, rows_by_key.get(line.key)))
    listed = {line.key for line in statement}
    for row in paid_rows:
        if row.key not in listed:
            found.append(
                Discrepancy(
                    day,
                    row.key,
                    DiscrepancyKind.MISSING_AT_PARTNER,
                    f"the programme recorded {rupiah(row.amount)} to {row.provider} {row.account_number} as PAID "
                    f"(ref {row.partner_ref or '-'}) but the partner's statement does not list it",
                    case_id=row.case_id,
                )
            )
    found.extend(_doubles(day, statement, rows_by_key, paid_rows))
    unique = {(d.key, d.kind): d for d in found}  # a key listed twice on the statement is reported once per kind
    return [unique[k] for k in sorted(unique)]
