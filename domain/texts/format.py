"""Numbers, money and times as Indonesians read them (and as English readers do): rupiah with dot thousands
(``Rp1.500.000``), dates with Indonesian month names, times in WIB with a dot (``14.30 WIB``, PUEBI)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from domain.clock import WIB
from domain.texts.lang import Lang

_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip


def rupiah(amount: int) -> str:
    """``Rp1.500.000`` (the rupiah is written the Indonesian way in both languages)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def date_text(value: dt.date | dt.datetime, lang: Lang) -> str:
    """``6 Desember 2026`` / ``6 December 2026``; an instant is read as its WIB date."""
    day = value.astimezone(WIB).date() if isinstance(value, dt.datetime) else value
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def datetime_text(value: dt.datetime, lang: Lang) -> str:
    """``6 Desember 2026 14.30 WIB`` / ``6 December 2026 14:30 WIB``."""
    local = value.astimezone(WIB)
    sep = "." if lang == "id" else ":"
    return f"{date_text(local, lang)} {local.hour:02d}{sep}{local.minute:02d} WIB"


_UNITS = {
    "id": (("hari", "hari", 86_400), ("jam", "jam", 3_600), ("menit", "menit", 60), ("detik", "detik", 1)),
    "en": (("day", "days", 86_400), ("hour", "hours", 3_600), ("minute", "minutes", 60), ("second", "seconds", 1)),
}


def duration_text(d: timedelta, lang: Lang) -> str:
    """The largest unit that divides ``d`` evenly, else its two largest non-zero units (``1 menit 30 detik``)."""
    total = max(0, round(d.total_seconds()))
    units = _UNITS[lang]
    if total == 0:
        return f"0 {units[-1][1]}"
    parts: list[str] = []
    for one, many, size in units:
        count, total = divmod(total, size)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
        if len(parts) == 2 or (parts and total == 0):
            break
    return " ".join(parts)
