"""A text as data: a stable catalogue code and its parameters (stored in state and rendered at the edge)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """``code`` names a catalogue entry; ``params`` fill its placeholders (all strings, so any serialiser keeps
    them: amounts as decimal integers, instants as ISO 8601 with their offset)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.params if k == name), None)


def text(code: str, /, **params: str | int | dt.datetime | dt.date | None) -> Text:
    """``text("AGE.PASS", age=30, rule="18-64")``: parameters are stored as strings (``None`` as empty)."""
    return Text(code, tuple((k, _as_str(v)) for k, v in params.items()))


def _as_str(value: str | int | dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
