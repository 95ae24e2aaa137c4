"""Course review steps over the quality ports: open a layer, assign an independent assessor body, escalate a lapsed
layer, record a decision. Each is idempotent (the store's writes are conditional)."""

from __future__ import annotations

from temporalio import activity

from domain.quality.bodies import pick_assessor
from domain.quality.messages import AssignInput
from domain.quality.ports import BodyRegistry, ReviewStore
from domain.quality.review import DecisionRecord, LayerLapsed, LayerOpened


class QualityActivities:
    def __init__(self, reviews: ReviewStore, bodies: BodyRegistry) -> None:
        self._reviews = reviews
        self._bodies = bodies

    @activity.defn
    async def assign_assessor(self, inp: AssignInput) -> str | None:
        """The conflict-of-interest rule: never a body that monitors the course's provider."""
        bodies = await self._bodies.bodies()
        load = await self._reviews.open_reviews_by_body()
        return pick_assessor(bodies, inp.provider_code, f"{inp.course_code}:{inp.version}", load)

    @activity.defn
    async def open_review_layer(self, opened: LayerOpened) -> None:
        await self._reviews.open_layer(opened)

    @activity.defn
    async def escalate_review_layer(self, lapsed: LayerLapsed) -> bool:
        return await self._reviews.escalate(lapsed)

    @activity.defn
    async def record_review_decision(self, record: DecisionRecord) -> None:
        await self._reviews.record_decision(record)
