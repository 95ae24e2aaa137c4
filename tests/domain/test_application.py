import datetime as dt

import pytest

from domain.application.form import Address, ApplicationForm, Sex, age_on, check_application
from domain.scheme import NORMAL_2023, SEMI_BANSOS_2020, get_scheme
from tests.factories import application_form

TODAY = dt.date(2026, 11, 23)
form = application_form


def codes(f, scheme=NORMAL_2023):
    return sorted(p.code for p in check_application(f, scheme=scheme, today=TODAY))


def test_good_form_has_no_problems():
    assert codes(form()) == []


@pytest.mark.parametrize(
    ("dob", "today", "age"),
    [
        (dt.date(2000, 11, 23), TODAY, 26),
        (dt.date(2000, 11, 24), TODAY, 25),
        (dt.date(2000, 2, 29), dt.date(2026, 2, 28), 25),
    ],
)
def test_age_on(dob, today, age):
    assert age_on(dob, today) == age


def _aged(years_old: int, sex: Sex = Sex.M) -> ApplicationForm:
    dob = dt.date(TODAY.year - years_old, 1, 10)
    day = dob.day + (40 if sex is Sex.F else 0)
    nik = f"320101{day:02d}{dob.month:02d}{dob.year % 100:02d}0001"
    return form(date_of_birth=dob, nik=nik, sex=sex)


def test_age_limits_follow_the_scheme():
    assert codes(_aged(17)) == ["AGE_OUT_OF_RANGE"]
    assert codes(_aged(18)) == []
    assert codes(_aged(64)) == []
    assert codes(_aged(65)) == ["AGE_OUT_OF_RANGE"]
    # The 2020 semi-bansos scheme had no upper age limit.
    assert codes(_aged(70), SEMI_BANSOS_2020) == []
    assert codes(_aged(17), SEMI_BANSOS_2020) == ["AGE_OUT_OF_RANGE"]


def test_every_field_problem_is_reported_at_once():
    bad = form(
        email="nope",
        phone="12345",
        full_name="X",
        consent=False,
        training_interest="",
        domicile=Address("Jl", "99", "99.01"),
        ktp_address=Address("Jl. A", "32", "33.01"),
    )
    assert codes(bad) == [
        "CONSENT_REQUIRED",
        "EMAIL_FORMAT",
        "INTEREST_LENGTH",
        "NAME_LENGTH",
        "PHONE_FORMAT",
        "PROVINCE_UNKNOWN",
        "REGENCY_UNKNOWN",
        "STREET_LENGTH",
    ]


def test_future_birth_date():
    assert "DOB_FUTURE" in codes(form(date_of_birth=dt.date(2030, 8, 15)))


def test_schemes_differ_only_by_configuration():
    assert NORMAL_2023.balance == 3_500_000 and SEMI_BANSOS_2020.balance == 1_000_000
    assert NORMAL_2023.first_purchase_deadline.days == 15 and SEMI_BANSOS_2020.first_purchase_deadline.days == 30
    assert sum(t.amount for t in NORMAL_2023.incentives) == 700_000
    assert sum(t.amount for t in SEMI_BANSOS_2020.incentives) == 2_550_000


def test_compressed_scheme_round_trips_by_id():
    fast = NORMAL_2023.compressed(factor=60)
    assert get_scheme(fast.id) == fast
    assert fast.ability_test_duration == dt.timedelta(minutes=5)  # a person's window keeps 5 minutes
    with pytest.raises(KeyError):
        get_scheme("NOPE")
