"""Port of the basic-ability test: the versioned question bank (data, loaded by an adapter)."""

from __future__ import annotations

from typing import Protocol

from domain.ability_test.attempts import QuestionBank


class QuestionBankSource(Protocol):
    """Where the basic-ability test's question bank comes from (a data file, later a CMS)."""

    def current(self) -> QuestionBank: ...

    def version(self, version: str) -> QuestionBank:
        """A specific version, so an attempt is always scored against the bank it was drawn from."""
        ...
