"""A port a test does not exercise: any use fails the test loudly."""

from __future__ import annotations

from typing import Any


class Unused:
    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        raise AssertionError(f"{self._name}.{attr} was used, but this test does not provide it")
