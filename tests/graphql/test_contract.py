"""The committed GraphQL contract: one SDL file per client, regenerated from the code and compared (drift fails), and
a change that breaks the released contract fails unless the changelog records it."""

from __future__ import annotations

import caseapi.sdl as contract


def test_the_committed_sdl_is_the_code():
    assert contract.drift() == [], "run: python -m caseapi.sdl --write"


def test_nothing_breaks_the_released_contract_unrecorded():
    assert contract.unrecorded_breaking_changes() == []


def test_a_removed_field_is_a_breaking_change_until_the_changelog_records_it(monkeypatch, tmp_path):
    real = contract.sdl

    def without_price(client: str) -> str:
        text = real(client)
        return text.replace("  price: Int!\n", "", 1) if client == "partner" else text

    monkeypatch.setattr(contract, "sdl", without_price)
    [line] = [x for x in contract.unrecorded_breaking_changes() if x.startswith("partner:")]
    assert line == "partner: Field Course.price was removed."
    log = tmp_path / "CHANGELOG.md"
    log.write_text(contract.CHANGELOG.read_text() + f"- 2026-12-06 {line} (the price moves to schedules)\n")
    monkeypatch.setattr(contract, "CHANGELOG", log)
    assert contract.unrecorded_breaking_changes() == []


def test_the_partner_contract_lists_its_mutations():
    text = contract.sdl("partner")
    for name in ("purchaseTraining", "requestPurchaseOtp", "redeemVoucher", "cancelPurchase"):
        assert f"  {name}(" in text
