"""Indonesian mobile numbers in E.164 (``+628…``): how they are stored, compared and handed to SMS gateways.

People type ``0812-3456-7890``, ``62 812…`` or ``+62812…``; ``lokal-id``'s parser reads every common way.
"""

from __future__ import annotations

from lokal.phone import parse_phone


def e164(phone: str) -> str | None:
    """``+628…`` for an Indonesian mobile number written any common way, else ``None`` (landlines included)."""
    info = parse_phone(phone)
    return info.e164 if info.valid and info.type == "mobile" else None


def normalised(phone: str) -> str:
    """The E.164 form when ``phone`` is a mobile number, otherwise ``phone`` unchanged (validation refuses it)."""
    return e164(phone) or phone
