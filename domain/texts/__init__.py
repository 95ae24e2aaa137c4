"""Every text a participant reads, in Bahasa Indonesia (the default) and English (on request).

A domain function that explains something returns a ``Text`` (a stable code and its parameters); the edge (the
GraphQL API, the SMS and e-mail bodies) renders it with ``render(text, lang)``. The catalogue is keyed by the
codes that already exist (``ErrorCode``, rule IDs, decision kinds, wave reasons, notification kinds, failure codes).
"""

from domain.texts.lang import DEFAULT_LANG, LANGS, Lang, from_accept_language
from domain.texts.render import render, render_code
from domain.texts.text import Text, text

__all__ = ["DEFAULT_LANG", "LANGS", "Lang", "Text", "from_accept_language", "render", "render_code", "text"]
