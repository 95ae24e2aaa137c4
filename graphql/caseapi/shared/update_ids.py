"""Update IDs, one builder per kind of update. An update ID is the idempotency key Temporal de-duplicates on
within a run: a retry with the same ID gets the first answer, whatever it was, so an ID must name the request a
person or partner repeats, never a moment.
"""

from __future__ import annotations

import hashlib
import secrets


def apply(account: str, request_id: str) -> str:
    return f"apply:{account}:{request_id}"


def start_test(account: str, attempt: int) -> str:
    return f"start-test:{account}:{attempt}"


def submit_test(account: str, attempt: int) -> str:
    return f"submit-test:{account}:{attempt}"


def attempt(kind: str, *parts: str) -> str:
    """A new ID for every request, for updates whose refusal depends on the outside world (the payment partner's
    account and KYC, a wave's status in PostgreSQL) and whose handler is idempotent on the case's own state. Under a
    repeated ID Temporal would answer the first refusal for ever, after the participant fixed what was wrong."""
    return ":".join((kind, *parts, secrets.token_hex(8)))


def join_wave(account: str, wave_id: str) -> str:
    """The wave may open, or the domicile be corrected, after a refusal; a join of the wave already joined
    returns the entry."""
    return attempt("join", account, wave_id)


def link_account(provider: str, number: str) -> str:
    """The account may be opened, KYC-verified or the partner reachable again after a refusal; linking the account
    already linked returns it."""
    return attempt("link", provider, number)


def unlink_account(version: int) -> str:
    return f"unlink:v{version}"


def change_phone(number: str, version: int) -> str:
    return f"phone:{number}:v{version}"


def answer_survey(number: int) -> str:
    return f"survey:{number}"


def rate_training(voucher_code: str, stars: int, review: str) -> str:
    return f"rate:{voucher_code}:{stars}:{hashlib.sha256(review.encode()).hexdigest()[:16]}"


def purchase_otp(platform: str, request_id: str) -> str:
    return f"otp:{platform}:{request_id}"


def purchase(key: str, otp: str) -> str:
    """The platform's order key and a digest of the code: a wrong code is refused (and counted) once per code, and
    the right code sent with the same key after a wrong one is a new request; a purchase is made once per key by the
    workflow's own state."""
    return f"purchase:{key}:{hashlib.sha256(f'{key}:{otp}'.encode()).hexdigest()[:12]}"


def cancel_purchase(platform: str, voucher_code: str) -> str:
    return f"cancel:{platform}:{voucher_code}"


def staff_cancel(voucher_code: str) -> str:
    return f"cancel:staff:{voucher_code}"


def sanction_cancel(sanction_id: int, voucher_code: str) -> str:
    """A suspension's refund of a training not yet started: once per sanction and voucher."""
    return f"cancel:sanction:{sanction_id}:{voucher_code}"


def redeem(provider: str, request_key: str) -> str:
    return f"redeem:{provider}:{request_key}"


def training_report(kind: str, partner: str, voucher_code: str) -> str:
    """``kind``: ``report`` (provider) or ``confirm`` (platform)."""
    return f"{kind}:{partner}:{voucher_code}"


def test_score(provider: str, voucher_code: str, kind: str, score: int) -> str:
    return f"score:{provider}:{voucher_code}:{kind}:{score}"


def verify_completion(voucher_code: str) -> str:
    return f"verify:{voucher_code}"


def repayment(reference: str) -> str:
    return f"repayment:{reference}"


def operator_action(request_id: str) -> str:
    return f"operator:{request_id}"


def close_wave(wave_id: str) -> str:
    return f"close:{wave_id}"


def extend_wave(wave_id: str, closes_at_iso: str) -> str:
    return f"extend:{wave_id}:{closes_at_iso}"
