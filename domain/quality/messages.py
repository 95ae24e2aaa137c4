"""Wire contracts of the course review workflow (its activities' inputs and its update's answer)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.quality.review import Layer, VersionStatus


@dataclass(frozen=True, slots=True)
class AssignInput:
    course_code: str
    version: int
    provider_code: str


@dataclass(frozen=True, slots=True)
class ReviewAnswer:
    """What a reviewer's decision did: the version's status and the layer it moved to (``None`` when it ended)."""

    status: VersionStatus
    layer: Layer | None
