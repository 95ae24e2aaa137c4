"""The two languages participants read: Bahasa Indonesia (``id``, the default) and English (``en``)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")
DEFAULT_LANG: Lang = "id"


def from_accept_language(header: str | None) -> Lang:
    """The language an ``Accept-Language`` header (or the console's switch) asks for: English only when it is
    preferred over Indonesian; anything else, or nothing, is Indonesian.

    ``"en-US,en;q=0.9"`` -> ``en``; ``"id-ID,id;q=0.9,en;q=0.8"`` -> ``id``; ``"fr"`` -> ``id``.
    """
    best: tuple[float, Lang] | None = None
    for order, part in enumerate((header or "").split(",")):
        tag, _, rest = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGS:
            continue
        quality = 1.0
        for param in rest.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        ranked = (quality - order * 1e-6, primary)  # equal weights: the first listed wins
        if best is None or ranked[0] > best[0]:
            best = (ranked[0], primary)  # type: ignore[assignment]
    return best[1] if best is not None else DEFAULT_LANG
