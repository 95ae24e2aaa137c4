"""Durations as a person reads them ("25 minutes", "15 days", "25 seconds"), for texts built from a scheme."""

from __future__ import annotations

from datetime import timedelta

_UNITS = (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1))


def describe(d: timedelta) -> str:
    """The largest unit that divides ``d`` evenly, else its two largest non-zero units (``"1 minute 30 seconds"``).

    Compressed schemes produce odd lengths (15 days / 60 = 6 hours); the text must state what really runs.
    """
    total = max(0, round(d.total_seconds()))
    if total == 0:
        return "0 seconds"
    parts: list[str] = []
    for name, size in _UNITS:
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
        if len(parts) == 2 or (parts and total == 0):
            break
    return " ".join(parts)
