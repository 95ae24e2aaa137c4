"""The case row's personal data is sealed once per form, and what a read opens is always the stored (masked) form."""

from __future__ import annotations

import base64
import dataclasses
import json

from adapters.db.codec import form_from_json, form_to_json
from adapters.db.pii import FieldCipher
from adapters.db.sealed_forms import PII_COLUMN, SealedForms
from domain.application.form import ApplicationForm
from domain.names import name_tokens
from domain.phones import normalised
from tests.factories import application_form

KEY = bytes(range(32))
BLIND = b"b" * 32


class CountingCipher(FieldCipher):
    def __init__(self) -> None:
        ring = FieldCipher.from_settings(f"a:{base64.b64encode(KEY).decode()}", "a")
        super().__init__(ring._ciphers, "a")
        self.seals = self.opens = 0

    def seal(self, plain: bytes, column: str) -> bytes:
        self.seals += 1
        return super().seal(plain, column)

    def open(self, sealed: bytes, column: str) -> bytes:
        self.opens += 1
        return super().open(sealed, column)


def _form(**changes: object) -> ApplicationForm:
    return application_form(**{"full_name": "Siti Rahmawati", **changes})


def test_an_unchanged_form_is_sealed_once_and_a_changed_one_again() -> None:
    cipher = CountingCipher()
    forms = SealedForms(cipher, BLIND)
    sealed, tokens = forms.seal("case-1", _form())
    assert forms.seal("case-1", _form()) == (sealed, tokens)
    assert cipher.seals == 1
    assert tokens == name_tokens("Siti Rahmawati", BLIND)
    moved = _form(phone="081299999999", full_name="Siti Aminah")
    resealed, retokened = forms.seal("case-1", moved)
    assert cipher.seals == 2 and resealed != sealed and retokened == name_tokens("Siti Aminah", BLIND)
    stored = dataclasses.replace(moved, phone="+6281299999999")  # the phone is sealed in E.164
    assert form_from_json(json.loads(cipher.open(resealed, PII_COLUMN))) == form_from_json(form_to_json(stored))


def test_a_read_opens_the_stored_masked_form_once() -> None:
    cipher = CountingCipher()
    forms = SealedForms(cipher, BLIND)
    sealed, _ = forms.seal("case-1", _form())
    opened = forms.open(sealed)
    assert opened.nik != _form().nik  # masked as stored, even in the process that sealed it
    assert opened == form_from_json(form_to_json(dataclasses.replace(_form(), phone=normalised(_form().phone))))
    assert opened.phone.startswith("+628")
    assert forms.open(sealed) is opened and cipher.opens == 1


def test_the_caches_are_bounded() -> None:
    forms = SealedForms(CountingCipher(), BLIND, size=2)
    for i in range(5):
        forms.open(forms.seal(f"case-{i}", _form())[0])
    assert len(forms._sealed) == 2 and len(forms._opened) == 2
