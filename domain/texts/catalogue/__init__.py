"""The message catalogue: every code with its Bahasa Indonesia and English template, ``code -> (id, en)``."""

from __future__ import annotations

from domain.texts.catalogue.decisions import DECISIONS, RULES
from domain.texts.catalogue.errors import ERRORS, FIELDS
from domain.texts.catalogue.notifications import NOTIFICATIONS
from domain.texts.catalogue.payouts import FAILURES, JOBS, WAVES
from domain.texts.catalogue.progress import NEXT
from domain.texts.catalogue.quality import QUALITY
from domain.texts.catalogue.tasks import TASKS

_PARTS = (ERRORS, FIELDS, DECISIONS, RULES, NEXT, WAVES, FAILURES, JOBS, NOTIFICATIONS, TASKS, QUALITY)

CATALOGUE: dict[str, tuple[str, str]] = {code: pair for part in _PARTS for code, pair in part.items()}
assert len(CATALOGUE) == sum(len(p) for p in _PARTS), "a code is defined twice"
