"""Enrolment in bulk (generation 4): a selected participant's enrolment is a function of the card and credit the
wave's selection issued, so the woken workflow and the wave's fan-out record the same thing without talking to each
other. The workflow records it in its state (no local activity: its workflow task only records the card, indexes
the stage and starts the deadline's timer); the fan-out writes the read-model row and the ``ENROLLED`` SMS and
e-mail (the same dedupe keys as the workflow's own, so either writer's copy is the only one).

The enrolment time is the card's issue time (the wave's decision, ``EnrollResult.credit.at``), not the moment the
workflow was woken: the first-purchase deadline counts from it."""

from __future__ import annotations

import dataclasses
import datetime as dt

from domain.case import Stage
from domain.enrollment.enrollment import Enrollment
from domain.messages import CaseRecord
from domain.notifications import Channel, Notification, body_of, enrolled_text
from domain.progress import next_action
from domain.scheme import Scheme
from domain.training.messages import EnrollResult


def enrolment_from_card(card: EnrollResult, scheme: Scheme, at: dt.datetime) -> Enrollment:
    """The enrolment of ``card`` made at ``at`` (the deadline and its reminder from the scheme)."""
    deadline = at + scheme.first_purchase_deadline
    return Enrollment(
        card_number=card.card_number,
        enrolled_at=at,
        credited=card.credit.amount,
        purchase_deadline=deadline,
        reminder_at=deadline - scheme.purchase_reminder_before,
    )


def enrolled_notes(
    case_id: str, phone: str, email: str, enrolment: Enrollment, balance: int
) -> tuple[Notification, ...]:
    """The ``ENROLLED`` SMS and e-mail, keyed as the workflow keys them (``<case>:ENROLLED:<channel>``)."""
    body, text = body_of(enrolled_text(enrolment.card_number, balance, enrolment.purchase_deadline))
    return tuple(
        Notification(
            f"{case_id}:ENROLLED:{ch.value}", case_id, ch, to, "ENROLLED", body, enrolment.enrolled_at, text=text
        )
        for ch, to in ((Channel.SMS, phone), (Channel.EMAIL, email))
    )


def enrolled_record(record: CaseRecord, card: EnrollResult, scheme: Scheme) -> CaseRecord | None:
    """``record`` (a selected case as the read model shows it, result overlaid) enrolled with ``card``, with its
    notifications; ``None`` when the case shows anything else (its workflow projected it already)."""
    if record.stage is not Stage.SELECTED or record.enrollment is not None:
        return None
    enrolment = enrolment_from_card(card, scheme, card.credit.at)
    balance = card.credit.amount
    form = record.application
    return dataclasses.replace(
        record,
        stage=Stage.ENROLLED,
        enrollment=enrolment,
        balance=balance,
        next_action=next_action(Stage.ENROLLED, record.ability_test, scheme, enrollment=enrolment, balance=balance),
        updated_at=max(record.updated_at, enrolment.enrolled_at),
        notifications=enrolled_notes(record.case_id, form.phone, form.email, enrolment, balance),
    )
