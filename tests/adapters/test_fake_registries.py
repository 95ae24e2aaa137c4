import asyncio
import time

import pytest

from adapters.registries.fake import FakeRegistry, fake_registries
from adapters.registries.population import Population
from domain.application.registries import Answer, PersonQuery, Registry

FAST = (0.0005, 0.002)


@pytest.fixture(scope="module")
def population() -> Population:
    return Population.generate(3, 5000)


def query(nik: str, kk: str = "3201010101200001") -> PersonQuery:
    return PersonQuery(nik=nik, kk_number=kk, case_id="case-1")


def unknown_nik(population: Population) -> str:
    return next(n for n in (f"3201014101990{i:03d}" for i in range(1, 1000)) if population.by_nik(n) is None)


def test_builds_the_four_registries_and_refuses_programme(population):
    registries = fake_registries(population)
    assert [r.registry for r in registries] == [
        Registry.DUKCAPIL,
        Registry.EDUCATION,
        Registry.OCCUPATION,
        Registry.SOCIAL_AID,
    ]
    with pytest.raises(ValueError):
        FakeRegistry(Registry.PROGRAMME, population)


async def test_dukcapil_returns_the_civil_record(population):
    dukcapil = FakeRegistry(Registry.DUKCAPIL, population, latency=FAST)
    person = population.find(lambda p: not p.alive)
    answer = await dukcapil.lookup(query(person.nik, person.kk_number))
    assert answer.registry is Registry.DUKCAPIL and answer.answer is Answer.FOUND
    assert answer.civil is not None
    assert (answer.civil.nik, answer.civil.kk_number, answer.civil.full_name) == (
        person.nik,
        person.kk_number,
        person.full_name,
    )
    assert (answer.civil.date_of_birth, answer.civil.sex, answer.civil.alive) == (
        person.date_of_birth,
        person.sex,
        False,
    )
    assert answer.checked_at.tzinfo is not None
    assert dukcapil.calls == 1


@pytest.mark.parametrize("registry", [Registry.EDUCATION, Registry.OCCUPATION, Registry.SOCIAL_AID])
async def test_membership_registries(population, registry):
    fake = FakeRegistry(registry, population, latency=FAST)
    member = population.find(lambda p: bool(p.codes(registry)))
    outsider = population.find(lambda p: not p.codes(registry))
    found = await fake.lookup(query(member.nik))
    assert found.answer is Answer.FOUND
    assert found.memberships == member.codes(registry) and found.civil is None
    missing = await fake.lookup(query(outsider.nik))
    assert missing.answer is Answer.NOT_FOUND and missing.memberships == ()


async def test_unknown_nik_is_not_found_everywhere(population):
    nik = unknown_nik(population)
    answers = await asyncio.gather(*(r.lookup(query(nik)) for r in fake_registries(population, latency=FAST)))
    assert [a.answer for a in answers] == [Answer.NOT_FOUND] * 4
    assert all(a.civil is None for a in answers)


async def test_outage_and_recovery(population):
    person = next(iter(population))
    dukcapil = FakeRegistry(Registry.DUKCAPIL, population, latency=(0.05, 0.05))
    dukcapil.outage = True
    started = time.perf_counter()
    down = await dukcapil.lookup(query(person.nik))
    assert time.perf_counter() - started < 0.04  # answered at once, no latency
    assert down.answer is Answer.UNAVAILABLE and down.detail == "outage"
    dukcapil.outage = False
    assert (await dukcapil.lookup(query(person.nik))).answer is Answer.FOUND
    assert dukcapil.calls == 2


async def test_persistent_errors_become_unavailable_after_retries(population):
    person = next(iter(population))
    fake = FakeRegistry(Registry.DUKCAPIL, population, latency=FAST, error_rate=1.0, retries=2)
    answer = await fake.lookup(query(person.nik))
    assert answer.answer is Answer.UNAVAILABLE
    assert "503" in answer.detail and "3 attempts" in answer.detail
    assert fake.calls == 1


async def test_transient_errors_mostly_recover_through_retries(population):
    people = list(population)[:100]
    fake = FakeRegistry(Registry.DUKCAPIL, population, latency=FAST, error_rate=0.3, seed=5)
    answers = await asyncio.gather(*(fake.lookup(query(p.nik)) for p in people))
    found = sum(a.answer is Answer.FOUND for a in answers)
    assert found >= 90  # 0.3³ ≈ 2.7% fail all three attempts
    assert all(a.answer in (Answer.FOUND, Answer.UNAVAILABLE) for a in answers)


async def test_timeouts_become_unavailable(population):
    person = next(iter(population))
    fake = FakeRegistry(Registry.EDUCATION, population, latency=FAST, timeout_rate=1.0, timeout=0.02, retries=1)
    started = time.perf_counter()
    answer = await fake.lookup(query(person.nik))
    elapsed = time.perf_counter() - started
    assert answer.answer is Answer.UNAVAILABLE
    assert "timeout after 0.02s" in answer.detail and "2 attempts" in answer.detail
    assert 0.04 <= elapsed < 1.0


async def test_latency_is_applied(population):
    person = next(iter(population))
    fake = FakeRegistry(Registry.SOCIAL_AID, population, latency=(0.03, 0.04))
    started = time.perf_counter()
    await fake.lookup(query(person.nik))
    assert time.perf_counter() - started >= 0.03


async def test_same_seed_same_failures(population):
    people = list(population)[:30]

    async def run() -> list[Answer]:
        fake = FakeRegistry(Registry.DUKCAPIL, population, latency=FAST, error_rate=0.5, retries=0, seed=9)
        return [(await fake.lookup(query(p.nik))).answer for p in people]

    first = await run()
    assert first == await run()
    assert Answer.UNAVAILABLE in first and Answer.FOUND in first
