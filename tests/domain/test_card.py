import itertools

import pytest

from domain.enrollment.card import PREFIX, card_number, is_card_number, luhn_digit


def luhn_valid(number: str) -> bool:
    """An independent Luhn check over the full number (check digit included)."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@pytest.mark.parametrize("sequence", [1, 2, 3, 42, 99_999, 100_000, 10**14 - 1])
def test_card_number_is_16_luhn_valid_digits(sequence):
    number = card_number(sequence)
    assert len(number) == 16
    assert number.isdigit()
    assert number.startswith(PREFIX)
    assert luhn_valid(number)
    assert is_card_number(number)


def test_known_luhn_digit():
    # The textbook example: 7992739871 has check digit 3.
    assert luhn_digit("7992739871") == "3"
    assert luhn_valid("79927398713")


def test_card_numbers_are_distinct_and_not_consecutive():
    numbers = [card_number(n) for n in range(1, 100_001)]
    assert len(set(numbers)) == len(numbers)
    assert all(is_card_number(n) for n in numbers)
    bodies = [int(n[:15]) for n in numbers]
    assert all(abs(b - a) > 1 for a, b in itertools.pairwise(bodies))
    values = [int(n) for n in numbers]
    assert all(abs(b - a) > 1 for a, b in itertools.pairwise(values))


@pytest.mark.parametrize("sequence", [0, -1, 10**14, 10**15])
def test_out_of_range_sequence_raises(sequence):
    with pytest.raises(ValueError, match="out of range"):
        card_number(sequence)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "123",
        "512345678901234",  # 15 digits
        "51234567890123456",  # 17 digits
        "5123a56789012345",
        " 5123456789012345",
    ],
)
def test_is_card_number_rejects_malformed_text(text):
    assert not is_card_number(text)


def test_is_card_number_rejects_a_wrong_check_digit():
    number = card_number(7)
    wrong = number[:15] + str((int(number[15]) + 1) % 10)
    assert not is_card_number(wrong)


def test_is_card_number_rejects_a_single_digit_typo():
    number = card_number(12345)
    typo = number[:5] + str((int(number[5]) + 1) % 10) + number[6:]
    assert not is_card_number(typo)
