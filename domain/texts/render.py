"""Rendering a ``Text`` in a language: the catalogue's template with its placeholders filled.

Placeholders are ``{name}`` or ``{name:kind}``: ``rp`` (an amount in rupiah), ``date`` and ``dt`` (an ISO instant,
read in WIB), ``dur`` (seconds as a duration), ``code`` (another catalogue code, rendered in the same language) and
``codes`` (``;``-separated codes, rendered and joined).
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from domain.texts.catalogue import CATALOGUE
from domain.texts.format import date_text, datetime_text, duration_text, rupiah
from domain.texts.lang import Lang
from domain.texts.text import Text


class _Formatter(string.Formatter):
    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        v = str(value)
        if format_spec == "rp":
            return rupiah(int(v))
        if format_spec == "date":
            return date_text(dt.date.fromisoformat(v[:10]) if len(v) == 10 else dt.datetime.fromisoformat(v), self.lang)
        if format_spec == "dt":
            return datetime_text(dt.datetime.fromisoformat(v), self.lang)
        if format_spec == "dur":
            return duration_text(dt.timedelta(seconds=float(v)), self.lang)
        if format_spec == "code":
            return render_code(v, self.lang, fallback=v)
        if format_spec == "codes":
            return "; ".join(render_code(c, self.lang, fallback=c) for c in v.split(";") if c)
        return super().format_field(value, format_spec)


def render(value: Text, lang: Lang, *, fallback: str | None = None) -> str:
    """The text in ``lang``; ``fallback`` (or the code) when the catalogue has no such code or a parameter is
    missing (a state recorded before the code existed)."""
    entry = CATALOGUE.get(value.code)
    if entry is None:
        return fallback if fallback is not None else value.code
    template = entry[0] if lang == "id" else entry[1]
    try:
        return _Formatter(lang).format(template, **dict(value.params))
    except (KeyError, ValueError, IndexError):
        return fallback if fallback is not None else template


def render_code(code: str, lang: Lang, *, fallback: str | None = None) -> str:
    """A parameterless catalogue entry."""
    return render(Text(code), lang, fallback=fallback)


def placeholders_of(code: str) -> set[str]:
    """The parameters a catalogue entry needs."""
    return {name for _, name, _, _ in string.Formatter().parse(CATALOGUE[code][0]) if name}
