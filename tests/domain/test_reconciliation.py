"""Reconciliation of the partner's daily statement against our payments rows (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from domain.payouts.ports import DiscrepancyKind, PaymentRow, PaymentStatus, StatementLine
from domain.payouts.reconciliation import case_of, compare, tranche_of
from domain.payouts.tranches import Provider, attempt_key, tranche_key

DAY = date(2024, 3, 1)
AT = datetime(2024, 3, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB
K = DiscrepancyKind


def row(case: str, n: int = 1, attempt: int = 1, *, status: PaymentStatus = PaymentStatus.PAID, **kw) -> PaymentRow:
    values = {
        "key": attempt_key(case, n, attempt),
        "tranche_key": tranche_key(case, n),
        "case_id": case,
        "tranche": n,
        "attempt": attempt,
        "kind": "JOB_SEARCH",
        "amount": 600_000,
        "provider": Provider.OVO,
        "account_number": "081234567890",
        "link_no": 1,
        "status": status,
        "created_at": AT,
        "settled_at": AT if status != PaymentStatus.PENDING else None,
        "partner_ref": "TRX-000000000001" if status == PaymentStatus.PAID else None,
    }
    values.update(kw)
    return PaymentRow(**values)


def line(r: PaymentRow, **kw) -> StatementLine:
    values = {
        "key": r.key,
        "partner_ref": r.partner_ref or "TRX-00000000000F",
        "provider": r.provider,
        "account_number": r.account_number,
        "amount": r.amount,
        "at": AT,
    }
    values.update(kw)
    return StatementLine(**values)


def kinds(found) -> list[tuple[str, DiscrepancyKind]]:
    return [(d.key, d.kind) for d in found]


def test_key_helpers() -> None:
    assert tranche_of("c1:incentive:2/3") == "c1:incentive:2"
    assert tranche_of("a/b:incentive:2/3") == "a/b:incentive:2"
    assert tranche_of("no-attempt") == "no-attempt"
    assert case_of("c1:incentive:2/3") == "c1"
    assert case_of("RANDOM-REF-1") is None


def test_clean_day_has_no_discrepancies() -> None:
    rows = [row("a"), row("b", 2, 3, amount=150_000, provider=Provider.BNI, account_number="0123")]
    statement = [line(r) for r in rows]
    assert compare(DAY, statement, {r.key: r for r in rows}, rows) == []
    assert compare(DAY, [], {}, []) == []


def test_unknown_transfer_names_the_case_when_the_key_has_the_programme_shape() -> None:
    stranger = StatementLine("zz:incentive:1/1", "TRX-1", Provider.DANA, "0899", 600_000, AT)
    odd = StatementLine("MANUAL-7", "TRX-2", Provider.BCA, "111", 1_250_000, AT)
    found = compare(DAY, [odd, stranger], {}, [])
    assert kinds(found) == [("MANUAL-7", K.UNKNOWN_TRANSFER), ("zz:incentive:1/1", K.UNKNOWN_TRANSFER)]
    assert found[0].case_id is None
    assert "Rp1.250.000" in found[0].detail and "BCA 111" in found[0].detail
    assert found[1].case_id == "zz"
    assert all(d.day == DAY and d.status == "OPEN" for d in found)


def test_not_settled_for_pending_and_failed_rows() -> None:
    pending = row("p", status=PaymentStatus.PENDING)
    failed = row("f", status=PaymentStatus.FAILED, failure_code="TRANSFER_FAILED")
    found = compare(DAY, [line(pending), line(failed)], {pending.key: pending, failed.key: failed}, [])
    assert kinds(found) == [(failed.key, K.NOT_SETTLED), (pending.key, K.NOT_SETTLED)]
    assert found[0].case_id == "f" and "FAILED (TRANSFER_FAILED)" in found[0].detail
    assert "PENDING" in found[1].detail and "Rp600.000" in found[1].detail


def test_amount_and_account_mismatch() -> None:
    r = row("m")
    found = compare(DAY, [line(r, amount=650_000, account_number="0811")], {r.key: r}, [r])
    assert kinds(found) == [(r.key, K.ACCOUNT_MISMATCH), (r.key, K.AMOUNT_MISMATCH)]
    account, amount = found
    assert "OVO 0811" in account.detail and "OVO 081234567890" in account.detail
    assert "Rp650.000" in amount.detail and "Rp600.000" in amount.detail and "Rp50.000" in amount.detail
    assert {d.case_id for d in found} == {"m"}

    other_provider = compare(DAY, [line(r, provider=Provider.GOPAY)], {r.key: r}, [r])
    assert kinds(other_provider) == [(r.key, K.ACCOUNT_MISMATCH)]


def test_missing_at_partner() -> None:
    listed, missing = row("a"), row("b")
    found = compare(DAY, [line(listed)], {listed.key: listed}, [listed, missing])
    assert kinds(found) == [(missing.key, K.MISSING_AT_PARTNER)]
    assert found[0].case_id == "b" and "Rp600.000" in found[0].detail


def test_double_payment_from_two_statement_lines_of_one_tranche() -> None:
    first = row("d", attempt=1)
    second = row("d", attempt=2, status=PaymentStatus.FAILED, failure_code="TRANSFER_FAILED")
    statement = [line(first), line(second, partner_ref="TRX-2")]
    found = compare(DAY, statement, {first.key: first, second.key: second}, [first])
    assert kinds(found) == [("d:incentive:1", K.DOUBLE_PAYMENT), (second.key, K.NOT_SETTLED)]
    double = found[0]
    assert double.case_id == "d"
    assert "2 times" in double.detail and first.key in double.detail and second.key in double.detail


def test_double_payment_from_a_line_and_another_paid_row() -> None:
    ours = row("e", attempt=2)  # we paid attempt 2; the partner's statement shows attempt 1 paid
    stale = row("e", attempt=1, status=PaymentStatus.FAILED)
    found = compare(DAY, [line(stale)], {stale.key: stale}, [ours])
    assert kinds(found) == [
        ("e:incentive:1", K.DOUBLE_PAYMENT),
        (stale.key, K.NOT_SETTLED),
        (ours.key, K.MISSING_AT_PARTNER),
    ]
    # A PAID row of another day counts too when the caller passes it along in rows_by_key.
    earlier = replace(ours, settled_at=datetime(2024, 2, 28, tzinfo=UTC))
    found = compare(DAY, [line(stale)], {stale.key: stale, earlier.key: earlier}, [])
    assert kinds(found) == [("e:incentive:1", K.DOUBLE_PAYMENT), (stale.key, K.NOT_SETTLED)]


def test_same_key_twice_on_the_statement_is_a_double_payment_reported_once_per_kind() -> None:
    r = row("t")
    found = compare(DAY, [line(r), line(r, partner_ref="TRX-9", amount=1)], {r.key: r}, [r])
    assert kinds(found) == [("t:incentive:1", K.DOUBLE_PAYMENT), (r.key, K.AMOUNT_MISMATCH)]


def test_unknown_transfer_for_a_paid_tranche_is_also_a_double_payment() -> None:
    paid = row("u")
    planted = StatementLine("u:incentive:1/7", "TRX-X", Provider.OVO, "081234567890", 600_000, AT)
    found = compare(DAY, [line(paid), planted], {paid.key: paid}, [paid])
    assert kinds(found) == [("u:incentive:1", K.DOUBLE_PAYMENT), (planted.key, K.UNKNOWN_TRANSFER)]
    assert found[0].case_id == "u"


def test_order_is_by_key_then_kind_whatever_the_input_order() -> None:
    rows = [row(c, amount=100_000) for c in ("c", "a", "b")]
    statement = [line(r, amount=200_000, account_number="9") for r in rows]
    found = compare(DAY, list(reversed(statement)), {r.key: r for r in rows}, rows)
    assert kinds(found) == sorted(kinds(found))
    assert [d.key for d in found] == [
        "a:incentive:1/1",
        "a:incentive:1/1",
        "b:incentive:1/1",
        "b:incentive:1/1",
        "c:incentive:1/1",
        "c:incentive:1/1",
    ]
    assert compare(DAY, statement, {r.key: r for r in rows}, rows[::-1]) == found
