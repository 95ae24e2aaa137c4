"""The request's language (``Accept-Language``, or ``lang`` in a WebSocket's ``connection_init``; Bahasa Indonesia
by default) and rendering catalogue texts in it at the edge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from strawberry.extensions import SchemaExtension

from domain.texts import DEFAULT_LANG, Lang, Text, from_accept_language, render, render_code

__all__ = ["ErrorMessagesInLanguage", "Lang", "lang_of", "request_lang", "say", "say_code"]


def request_lang(header: str | None, override: object = None) -> Lang:
    """``override`` (the console's switch: ``"id"`` or ``"en"``) wins over the header."""
    if isinstance(override, str) and override:
        return from_accept_language(override)
    return from_accept_language(header)


def lang_of(info: Any) -> Lang:
    return getattr(info.context, "lang", DEFAULT_LANG)


def say(info: Any, value: Text | None, fallback: str) -> str:
    """``value`` in the request's language; ``fallback`` (the stored text) for states recorded before it."""
    return render(value, lang_of(info), fallback=fallback) if value is not None else fallback


def say_code(info: Any, code: str, fallback: str) -> str:
    return render_code(code, lang_of(info), fallback=fallback)


class ErrorMessagesInLanguage(SchemaExtension):
    """Every typed error's ``message`` (and every field problem's) in the request's language, from its stable
    code; the code itself is unchanged. Resolvers write their messages in English, often with specifics (a limit,
    a state): English readers get those as written, others the catalogue's text for the code."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        if info.field_name == "message" and root is not None:
            code = getattr(root, "code", None)
            lang = lang_of(info)
            if code is not None and lang != "en":
                prefix = "field" if type(root).__name__ == "FieldError" else "error"
                generic = render_code(f"{prefix}.INVALID" if prefix == "field" else "error.INVALID_ARGUMENT", lang)
                return render_code(f"{prefix}.{code}", lang, fallback=generic)
        return _next(root, info, *args, **kwargs)
