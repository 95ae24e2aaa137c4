"""What the participant should do next, from the stage and the ability-test attempts."""

from __future__ import annotations

from collections.abc import Sequence

from domain.ability_test.attempts import AttemptStatus, TestAttempt
from domain.case import Stage
from domain.clawback.saga import Clawback
from domain.durations import describe
from domain.enrollment.enrollment import CardStatus, Enrollment
from domain.notifications import rupiah
from domain.payouts.progress import clawback_next_action, payout_next_action
from domain.payouts.tranches import PayoutAccount, Tranche
from domain.scheme import Scheme
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
) -> str:
    if clawback is not None:
        return clawback_next_action(clawback)
    if stage is Stage.CLOSED:
        return _FIXED[stage]
    if enrollment is not None:
        if enrollment.status is CardStatus.ACTIVE and unfinished(trainings) is None:
            payout = payout_next_action(trainings, account, incentives)
            if payout is not None and balance > 0:
                return f"{payout} You can also buy another training with your remaining {rupiah(balance)}."
            if payout is not None:
                return payout
        return enrolled_next_action(enrollment, trainings, balance)
    status = test_status(attempts)
    if stage in (Stage.INELIGIBLE, Stage.CLOSED, Stage.STARTED):
        return _FIXED[stage]
    if status == "IN_PROGRESS":
        return "Finish your basic-ability test before its deadline."
    if status != "PASSED":
        left = attempts_left(attempts, scheme)
        if left == 0:
            return "You used every attempt at the basic-ability test; you cannot join a wave."
        prefix = "While we check your data, take" if stage is Stage.VALIDATING else "Take"
        length = f"{scheme.ability_test_questions} questions, {describe(scheme.ability_test_duration)}"
        return f"{prefix} the basic-ability test ({length}; {left} attempt(s) left)."
    if stage is Stage.VALIDATING:
        return "Test passed. We are checking your data with government registries; no action needed."
    if stage is Stage.IN_WAVE:
        return "You joined a wave. The lottery runs when it closes; you will be told the result here and by SMS."
    if stage is Stage.SELECTED:
        return "Selected! Your Kartu Prakerja and training balance are being prepared."
    return "You are eligible and passed the test. Join an open wave for your province."


_FIXED = {
    Stage.STARTED: "Submit your application.",
    Stage.INELIGIBLE: "You are not eligible; see the reasons. For NIK/KK data errors contact Dukcapil (1500-538).",
    Stage.CLOSED: "This case is closed.",
}
