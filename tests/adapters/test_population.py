import datetime as dt
import itertools
import pickle
import time
from collections import Counter

import pytest

from adapters.registries.population import Person, Population, apply_input
from domain.application.form import Address, ApplicationForm, Education, EmploymentStatus, Sex, check_application
from domain.application.registries import Registry
from domain.nik import check_kk, check_nik
from domain.scheme import NORMAL_2023
from tests.factories import apply_input as factory_input

REF = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def big() -> tuple[Population, float]:
    started = time.perf_counter()
    population = Population.generate(42, 100_000)
    return population, time.perf_counter() - started


@pytest.fixture(scope="module")
def population(big) -> Population:
    return big[0]


def test_generates_100k_quickly(big):
    population, elapsed = big
    assert len(population) == 100_000
    assert elapsed < 6.0  # ~1.5 s on an idle machine; generous for shared CI


def test_same_seed_gives_identical_people_and_different_seed_does_not():
    a, b = Population.generate(7, 3000), Population.generate(7, 3000)
    assert pickle.dumps(tuple(a)) == pickle.dumps(tuple(b))
    c = Population.generate(8, 3000)
    assert [p.nik for p in a] != [p.nik for p in c]
    assert len(a) == len(c) == 3000


def test_niks_are_unique_and_valid(population):
    niks = [p.nik for p in population]
    assert len(set(niks)) == len(niks)
    for person in itertools.islice(population, 0, None, 20):
        assert check_nik(person.nik, date_of_birth=person.date_of_birth, sex=person.sex) == []
        assert person.nik[:6] == person.district_code.replace(".", "")
        assert person.district_code.startswith(person.regency_code + ".")
        assert person.regency_code.startswith(person.province_code + ".")
        assert person.sex in ("M", "F")
        assert (int(person.nik[6:8]) > 40) == (person.sex == "F")
        assert person.nik[12:] != "0000"


def test_ages_mostly_18_to_64_with_some_outside(population):
    ages = Counter("minor" if p.age(REF) < 18 else "senior" if p.age(REF) > 64 else "adult" for p in population)
    n = len(population)
    assert 0.02 < ages["minor"] / n < 0.04
    assert 0.02 < ages["senior"] / n < 0.04


def test_provinces_weighted_by_population(population):
    top = [code for code, _ in Counter(p.province_code for p in population).most_common(3)]
    assert set(top) == {"32", "33", "35"}


def test_households_share_kk_and_area(population):
    households: dict[str, list[Person]] = {}
    for p in population:
        households.setdefault(p.kk_number, []).append(p)
    sizes = Counter(len(m) for m in households.values())
    assert set(sizes) <= {1, 2, 3, 4, 5}
    assert all(sizes[k] > 0 for k in range(1, 6))
    for kk, members in itertools.islice(households.items(), 0, None, 10):
        assert check_kk(kk) == []
        assert len({(m.province_code, m.regency_code, m.district_code) for m in members}) == 1
        assert kk[:6] == members[0].district_code.replace(".", "")
        assert population.household(kk) == members
    assert population.household("0000000000000000") == []


def test_membership_shares(population):
    n = len(population)

    def share(registry, people=population):
        people = list(people)
        return sum(1 for p in people if p.codes(registry)) / len(people)

    assert 0.06 < share(Registry.EDUCATION) < 0.10
    young = [p for p in population if 18 <= p.age(REF) <= 24]
    assert share(Registry.EDUCATION, young) > 3 * share(Registry.EDUCATION)
    assert 0.02 < share(Registry.OCCUPATION) < 0.04
    assert 0.12 < share(Registry.SOCIAL_AID) < 0.18
    assert 0.002 < sum(1 for p in population if not p.alive) / n < 0.009
    allowed = {
        Registry.EDUCATION: {"DAPODIK", "PDDIKTI", "EMIS"},
        Registry.OCCUPATION: {"ASN", "TNI", "POLRI", "DPRD", "VILLAGE_OFFICIAL", "BUMN_BOARD"},
        Registry.SOCIAL_AID: {"DTKS", "PKH", "BPNT", "BSU", "BPUM"},
    }
    seen: dict[Registry, set[str]] = {r: set() for r in allowed}
    for p in population:
        for registry, codes in p.memberships:
            assert codes and set(codes) <= allowed[registry]
            seen[registry] |= set(codes)
        assert p.codes(Registry.DUKCAPIL) == ()
    assert seen == allowed
    assert any(len(p.codes(Registry.SOCIAL_AID)) > 1 for p in population)


def test_person_is_hashable(population):
    person = next(iter(population))
    assert hash(person) == hash(Population.generate(42, 10).by_nik(person.nik))


def test_by_nik_and_find(population):
    person = next(iter(population))
    assert population.by_nik(person.nik) is person
    absent = next(n for n in (f"{person.nik[:12]}{i:04d}" for i in range(1, 10_000)) if n != person.nik)
    assert population.by_nik(absent) is None or population.by_nik(absent).nik == absent
    assert population.by_nik(person.nik[:12] + "0000") is None  # serials start at 0001
    assert population.by_nik("not-a-nik") is None

    def pddikti(p):
        return "PDDIKTI" in p.codes(Registry.EDUCATION)

    first, second = population.find(pddikti), population.find(pddikti, skip=1)
    assert pddikti(first) and pddikti(second) and first != second
    assert [p for p in population if pddikti(p)][:2] == [first, second]
    with pytest.raises(LookupError):
        population.find(lambda p: False)


def test_apply_input_shape_and_validity(population):
    person = population.find(lambda p: 18 <= p.age(REF) <= 64 and p.alive)
    data = apply_input(person, request_id="req-1")
    template = factory_input()
    assert data.keys() == template.keys()
    assert data["ktpAddress"].keys() == template["ktpAddress"].keys() == data["domicile"].keys()
    assert data["requestId"] == "req-1"
    assert data["nik"] == person.nik and data["kkNumber"] == person.kk_number
    assert data["dateOfBirth"] == person.date_of_birth.isoformat()
    assert data["ktpAddress"]["regencyCode"] == person.regency_code
    assert data["consent"] is True
    assert apply_input(person, request_id="req-1") == data  # deterministic
    assert apply_input(person, request_id="req-2", email="x@example.id")["email"] == "x@example.id"

    adults = [p for p in itertools.islice(population, 0, 5000, 7) if 18 <= p.age(REF) <= 64]
    for p in adults:
        d = apply_input(p, request_id="r")
        form = ApplicationForm(
            email=d["email"],
            phone=d["phone"],
            nik=d["nik"],
            kk_number=d["kkNumber"],
            date_of_birth=dt.date.fromisoformat(d["dateOfBirth"]),
            full_name=d["fullName"],
            sex=Sex(d["sex"]),
            ktp_address=Address(**_snake(d["ktpAddress"])),
            domicile=Address(**_snake(d["domicile"])),
            education=Education(d["education"]),
            employment_status=EmploymentStatus(d["employmentStatus"]),
            training_interest=d["trainingInterest"],
            consent=d["consent"],
        )
        assert check_application(form, scheme=NORMAL_2023, today=REF) == [], p


def _snake(address: dict) -> dict:
    return {
        "street": address["street"],
        "province_code": address["provinceCode"],
        "regency_code": address["regencyCode"],
    }
