"""A fan-out attempt that dies mid-page resumes from its heartbeat cursor on retry."""

from __future__ import annotations

import dataclasses

import pytest
from temporalio.testing import ActivityEnvironment

from activities.waves import WaveActivities
from domain.waves.lifecycle import NotifyPageInput
from domain.waves.ports import WakePage
from tests.fakes.unused import Unused

IDS = [f"case-{n:05d}" for n in range(1000)]


class Joiners:
    """Every joiner is woken (selected, or joined by code that learns its result only when woken)."""

    def __init__(self) -> None:
        self.pushed: list[tuple[str, str]] = []

    async def wake_page(self, wave_id: str, after: str, limit: int) -> WakePage:
        ids = [i for i in IDS if i > after][:limit]
        return WakePage(ids, ids[-1] if ids else after, len(ids) < limit)

    async def push_results(self, wave_id: str, after: str, upto: str) -> int:
        self.pushed.append((after, upto))
        return 1


class FlakyClient:
    """Signals succeed until ``fail_at`` signals have been sent, like a worker killed mid-page."""

    def __init__(self, fail_at: int | None) -> None:
        self.sent: list[str] = []
        self.fail_at = fail_at

    def get_workflow_handle(self, workflow_id: str) -> FlakyClient._Handle:
        return FlakyClient._Handle(self, workflow_id.removeprefix("participant-"))

    @dataclasses.dataclass
    class _Handle:
        client: FlakyClient
        case_id: str

        async def signal(self, name: str, arg: object) -> None:
            if self.client.fail_at is not None and len(self.client.sent) >= self.client.fail_at:
                raise ConnectionError("worker killed")
            self.client.sent.append(self.case_id)


async def test_a_retried_fanout_page_resumes_after_the_last_heartbeat():
    activities = WaveActivities(Joiners(), Unused("selection"), blind_key=b"k")  # type: ignore[arg-type]
    page = NotifyPageInput("G1", "", 1000)

    first_client = FlakyClient(fail_at=600)
    first = ActivityEnvironment(client=first_client)  # type: ignore[arg-type]
    beats: list[object] = []
    first.on_heartbeat = lambda *details: beats.append(details[0])
    with pytest.raises(ConnectionError):
        await first.run(activities.notify_joiners, page)
    assert beats, "progress must be heartbeated"

    second_client = FlakyClient(fail_at=None)
    second = ActivityEnvironment(client=second_client)  # type: ignore[arg-type]
    second.info = dataclasses.replace(second.info, heartbeat_details=[beats[-1]])
    result = await second.run(activities.notify_joiners, page)

    assert result.last_case_id == IDS[-1] and result.done is True  # the rest of the list fitted in this page
    everyone = set(first_client.sent) | set(second_client.sent)
    assert everyone == set(IDS)  # nobody lost
    resent = set(first_client.sent) & set(second_client.sent)
    # At most the chunk in flight and the one before it are sent twice (participants ignore repeats): a chunk's cursor
    # is heartbeated once its rows are written, one chunk behind the signals (generation 4, activities.waves).
    assert len(resent) < 512
    assert second_client.sent[0] > str(beats[-1])
