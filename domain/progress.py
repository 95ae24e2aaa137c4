"""What the participant should do next, from the stage and the ability-test attempts.

``next_action_texts`` says it as catalogue texts (rendered in the reader's language at the edge); ``next_action``
is their Indonesian rendering, the line the read model stores.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.ability_test.attempts import AttemptStatus, TestAttempt
from domain.case import Stage
from domain.clawback.saga import Clawback
from domain.enrollment.enrollment import CardStatus, Enrollment
from domain.payouts.progress import clawback_next_action, payout_next_action
from domain.payouts.tranches import PayoutAccount, Tranche
from domain.scheme import Scheme
from domain.texts.lang import DEFAULT_LANG, Lang
from domain.texts.render import render
from domain.texts.text import Text, text
from domain.training.progress import enrolled_next_action
from domain.training.trainings import Training, unfinished


def test_status(attempts: list[TestAttempt] | tuple[TestAttempt, ...]) -> str:
    """``NOT_TAKEN``, ``PASSED`` if any attempt passed, else the latest attempt's status."""
    if any(a.status is AttemptStatus.PASSED for a in attempts):
        return AttemptStatus.PASSED.value
    return attempts[-1].status.value if attempts else "NOT_TAKEN"


def attempts_left(attempts: list[TestAttempt] | tuple[TestAttempt, ...], scheme: Scheme) -> int:
    return max(0, scheme.ability_test_max_attempts - len(attempts))


def next_action(
    stage: Stage,
    attempts: list[TestAttempt] | tuple[TestAttempt, ...],
    scheme: Scheme,
    *,
    enrollment: Enrollment | None = None,
    trainings: list[Training] | tuple[Training, ...] = (),
    balance: int = 0,
    account: PayoutAccount | None = None,
    incentives: Sequence[Tranche] = (),
    clawback: Clawback | None = None,
    lang: Lang = DEFAULT_LANG,
) -> str:
    texts = next_action_texts(
        stage,
        attempts,
        scheme,
        enrollment=enrollment,
        trainings=trainings,
        balance=balance,
        account=account,
        incentives=incentives,
        clawback=clawback,
    )
    return " ".join(render(t, lang) for t in texts)


def next_action_texts(
    stage: Stage,
    attempts: list[TestAttempt] | tuple[TestAttempt, ...],
    scheme: Scheme,
    *,
    enrollment: Enrollment | None = None,
    trainings: list[Training] | tuple[Training, ...] = (),
    balance: int = 0,
    account: PayoutAccount | None = None,
    incentives: Sequence[Tranche] = (),
    clawback: Clawback | None = None,
) -> tuple[Text, ...]:
    if clawback is not None:
        return (clawback_next_action(clawback),)
    if stage is Stage.CLOSED:
        return (text("next.CLOSED"),)
    if enrollment is not None:
        if enrollment.status is CardStatus.ACTIVE and unfinished(trainings) is None:
            payout = payout_next_action(trainings, account, incentives)
            if payout is not None and balance > 0:
                return (payout, text("next.ALSO_BUY", balance=balance))
            if payout is not None:
                return (payout,)
        return (enrolled_next_action(enrollment, trainings, balance),)
    return (_before_enrollment(stage, attempts, scheme),)


def _before_enrollment(stage: Stage, attempts: list[TestAttempt] | tuple[TestAttempt, ...], scheme: Scheme) -> Text:
    status = test_status(attempts)
    if stage in (Stage.INELIGIBLE, Stage.STARTED):
        return text(f"next.{stage.value}")
    if status == "IN_PROGRESS":
        return text("next.TEST_IN_PROGRESS")
    if status != "PASSED":
        left = attempts_left(attempts, scheme)
        if left == 0:
            return text("next.NO_ATTEMPTS_LEFT")
        code = "next.TAKE_TEST_WHILE_VALIDATING" if stage is Stage.VALIDATING else "next.TAKE_TEST"
        seconds = round(scheme.ability_test_duration.total_seconds())
        return text(code, questions=scheme.ability_test_questions, duration=seconds, left=left)
    if stage is Stage.VALIDATING:
        return text("next.VALIDATING")
    if stage is Stage.IN_WAVE:
        return text("next.IN_WAVE")
    if stage is Stage.SELECTED:
        return text("next.SELECTED")
    return text("next.JOIN_WAVE")
