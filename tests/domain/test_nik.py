import datetime as dt

import pytest

from domain.nik import blind_index, check_kk, check_nik, mask_nik


def codes(problems):
    return sorted(p.code for p in problems)


def test_valid_male_nik():
    assert check_nik("3201011508950001", date_of_birth=dt.date(1995, 8, 15), sex="M") == []


def test_valid_female_nik_adds_40_to_the_day():
    assert check_nik("3201015508950001", date_of_birth=dt.date(1995, 8, 15), sex="F") == []


def test_female_day_on_a_male_applicant_is_a_sex_mismatch():
    assert codes(check_nik("3201015508950001", date_of_birth=dt.date(1995, 8, 15), sex="M")) == ["NIK_SEX_MISMATCH"]


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        ("320101150895000", ["NIK_FORMAT"]),
        ("32010115089500011", ["NIK_FORMAT"]),
        ("32010115O8950001", ["NIK_FORMAT"]),
        ("9901011508950001", ["NIK_PROVINCE"]),
        ("3200011508950001", ["NIK_WILAYAH"]),
        ("3201011508950000", ["NIK_SERIAL"]),
    ],
)
def test_structural_problems(nik, expected):
    assert codes(check_nik(nik, date_of_birth=dt.date(1995, 8, 15), sex="M")) == expected


def test_birth_date_must_match_the_form():
    assert codes(check_nik("3201011608950001", date_of_birth=dt.date(1995, 8, 15), sex="M")) == [
        "NIK_BIRTHDATE_MISMATCH"
    ]


def test_impossible_encoded_date_is_a_mismatch():
    assert "NIK_BIRTHDATE_MISMATCH" in codes(check_nik("3201013102950001", date_of_birth=dt.date(1995, 2, 28), sex="M"))


def test_pre_split_papua_province_code_is_accepted():
    assert check_nik("9101011508950001", date_of_birth=dt.date(1995, 8, 15), sex="M") == []


@pytest.mark.parametrize(
    ("kk", "ok"),
    [
        ("3201010101200001", True),
        ("320101010120000", False),
        ("9901010101200001", False),
        ("3200010101200001", False),
    ],
)
def test_kk(kk, ok):
    assert (check_kk(kk) == []) is ok


def test_blind_index_is_keyed_and_stable():
    a = blind_index("3201011508950001", b"k1")
    assert a == blind_index("3201011508950001", b"k1")
    assert a != blind_index("3201011508950001", b"k2")
    assert "3201011508950001" not in a and len(a) == 64


def test_mask_keeps_last_four_only():
    assert mask_nik("3201011508950001") == "************0001"
