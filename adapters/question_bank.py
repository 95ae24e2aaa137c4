"""The question bank from versioned JSON files in ``domain/data/`` (``ability_questions*.json``)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from domain.ability_test.attempts import QuestionBank, parse_bank

DATA = Path(__file__).resolve().parent.parent / "domain" / "data"


class FileQuestionBank:
    """Implements ``QuestionBankSource``; every bank file ever shipped stays loadable by version."""

    def __init__(self, directory: Path = DATA) -> None:
        self._dir = directory

    @functools.cached_property
    def _banks(self) -> dict[str, QuestionBank]:
        banks = [
            parse_bank(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(self._dir.glob("ability_questions*.json"))
        ]
        if not banks:
            raise RuntimeError(f"no question bank in {self._dir}")
        return {b.version: b for b in banks}

    def current(self) -> QuestionBank:
        return self._banks[max(self._banks)]

    def version(self, version: str) -> QuestionBank:
        return self._banks[version]
