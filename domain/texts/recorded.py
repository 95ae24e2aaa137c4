"""Catalogue texts for decisions recorded before the catalogue (no ``message``): the parameterless entry their
kind or rule ID names, when there is one; otherwise their stored line is shown as it was written."""

from __future__ import annotations

from domain.case import Decision, RuleResult
from domain.texts.catalogue import CATALOGUE
from domain.texts.render import placeholders_of
from domain.texts.text import Text


def decision_text(d: Decision) -> Text | None:
    if d.message is not None:
        return d.message
    return _first(f"decision.{d.kind}.{d.outcome.value}", f"decision.{d.kind}")


def rule_text(r: RuleResult) -> Text | None:
    if r.message is not None:
        return r.message
    return _first(f"rule.{r.rule_id}.{r.outcome.value}", f"rule.{r.rule_id}", f"wave.{r.rule_id}")


def _first(*codes: str) -> Text | None:
    for code in codes:
        if code in CATALOGUE and not placeholders_of(code):
            return Text(code)
    return None
