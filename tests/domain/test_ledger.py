import datetime as dt

from domain.enrollment.ledger import EntryKind, LedgerEntry, balance, invariant_violations

AT = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)


def entry(key: str, kind: EntryKind, amount: int) -> LedgerEntry:
    return LedgerEntry(key, kind, amount, AT)


CREDIT = entry("c1:credit", EntryKind.CREDIT, 3_500_000)


def test_empty_ledger_has_zero_balance_and_no_problems():
    assert balance([]) == 0
    assert invariant_violations([]) == []


def test_balance_signs_by_kind():
    entries = [
        CREDIT,
        entry("c1:debit:p1", EntryKind.DEBIT, 1_000_000),
        entry("c1:refund:p1", EntryKind.REFUND, 1_000_000),
        entry("c1:debit:p2", EntryKind.DEBIT, 750_000),
        entry("c1:forfeit", EntryKind.FORFEIT, 2_750_000),
    ]
    assert balance(entries) == 0
    assert balance(entries[:4]) == 2_750_000
    assert balance(iter(entries[:2])) == 2_500_000
    assert invariant_violations(entries) == []


def test_negative_running_balance_is_reported_even_if_it_recovers():
    entries = [
        CREDIT,
        entry("c1:debit:p1", EntryKind.DEBIT, 4_000_000),
        entry("c1:refund:p1", EntryKind.REFUND, 4_000_000),
    ]
    assert balance(entries) == 3_500_000
    problems = invariant_violations(entries)
    assert problems == ["c1:debit:p1: balance went negative (-500000)"]


def test_debit_before_credit_goes_negative():
    problems = invariant_violations([entry("c1:debit:p1", EntryKind.DEBIT, 1), CREDIT])
    assert problems == ["c1:debit:p1: balance went negative (-1)"]


def test_duplicate_keys_are_reported():
    entries = [CREDIT, entry("c1:debit:p1", EntryKind.DEBIT, 100), entry("c1:debit:p1", EntryKind.DEBIT, 100)]
    assert invariant_violations(entries) == ["c1:debit:p1: appears twice"]


def test_zero_and_negative_amounts_are_reported():
    entries = [CREDIT, entry("c1:debit:p1", EntryKind.DEBIT, 0), entry("c1:refund:p2", EntryKind.REFUND, -5)]
    problems = invariant_violations(entries)
    assert "c1:debit:p1: amount 0 is not positive" in problems
    assert "c1:refund:p2: amount -5 is not positive" in problems


def test_two_credits_are_reported():
    entries = [CREDIT, entry("c1:credit-again", EntryKind.CREDIT, 3_500_000)]
    assert invariant_violations(entries) == ["more than one enrollment credit"]


def test_several_problems_are_all_reported():
    entries = [
        CREDIT,
        CREDIT,
        entry("c1:debit:p1", EntryKind.DEBIT, 10_000_000),
        entry("c1:refund:p1", EntryKind.REFUND, 0),
    ]
    problems = invariant_violations(entries)
    assert problems == [
        "c1:credit: appears twice",
        "c1:debit:p1: balance went negative (-3000000)",
        "c1:refund:p1: amount 0 is not positive",
        "c1:refund:p1: balance went negative (-3000000)",
        "more than one enrollment credit",
    ]
