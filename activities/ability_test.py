"""Drawing and scoring the basic-ability test (local activities: the bank is read from data)."""

from __future__ import annotations

from temporalio import activity

from domain.ability_test.attempts import draw, score
from domain.ability_test.messages import DrawnTest, DrawTestInput, ScoreTestInput
from domain.ability_test.ports import QuestionBankSource


class AbilityTestActivities:
    def __init__(self, bank: QuestionBankSource) -> None:
        self._bank = bank

    @activity.defn
    async def draw_ability_test(self, inp: DrawTestInput) -> DrawnTest:
        bank = self._bank.current()
        ids = draw(bank, seed=f"{inp.case_id}:{inp.attempt}", count=inp.count)
        return DrawnTest(bank_version=bank.version, question_ids=ids)

    @activity.defn
    async def score_ability_test(self, inp: ScoreTestInput) -> int:
        bank = self._bank.version(inp.bank_version)
        return score(bank, inp.question_ids, {a.question_id: a.choice for a in inp.answers})
