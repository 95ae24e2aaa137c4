"""One e-mail per training on ``url-generate`` (partner-api.md §5.1, the ``email`` field): "One email may not be
used twice for the same training, but may be reused across different trainings."

The e-mail is the participant's account at the training provider. The first ``url-generate`` of a training (a
course) with an e-mail binds that e-mail to the participant whose redeem code it came with; the same participant
may send it again for every session (sequence 1–10, 999) and after buying the training again, and may use it for
any other training; another participant's redeem code of the same training with that e-mail is refused. Nothing
else is ruled (a participant may give a different e-mail later: the documentation does not forbid it). E-mails
compare without surrounding spaces and case (``Budi@LPK.example`` is ``budi@lpk.example``); only a keyed digest
is stored, never the address. Sandbox ``PRAT-`` codes stand for test cases, not participants, and are not bound.

The official error list of the endpoint was not retrieved (§5.1, "Errors: not retrieved"), so the refusal's code
is ours, in the catalogue's style (``ERRPLT40032``).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Protocol


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_digest(key: bytes, email: str) -> str:
    """The stored form of an e-mail: HMAC-SHA256 under a server key, hex (the address itself is never stored)."""
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()


class AttendanceEmails(Protocol):
    async def bind_attendance_email(self, course_code: str, digest: str, redeem_code: str) -> bool:
        """Bind the e-mail (its digest) to the participant of ``redeem_code`` for ``course_code`` if it is not
        bound yet; whether it is bound to that participant (``False``: another participant used it first)."""
        ...
