"""The case row's personal data, sealed and tokenised once per form instead of once per projection or read.

An application form rarely changes once the case is registered (a new phone number), yet every projection (18 per
participant) sealed it again (AES-GCM over its JSON) and hashed its name's prefix tokens, and every read of the row
opened and parsed it.
A bounded cache per process keeps the newest forms: a projection of an unchanged form reuses its sealed bytes and
tokens (the column is rewritten with the same bytes, no new nonce for new plaintext); a read of bytes already
opened reuses the parsed form (as stored: NIK and KK number masked). Each cache holds at most ``size`` forms per
process; the worker's workflow cache already keeps as many cases, forms included, in memory.
"""

from __future__ import annotations

import dataclasses
import json
from collections import OrderedDict

from adapters.db.codec import form_from_json, form_to_json
from adapters.db.pii import FieldCipher
from domain.application.form import ApplicationForm
from domain.names import name_tokens
from domain.phones import normalised

PII_COLUMN = "cases.pii"


class SealedForms:
    def __init__(self, cipher: FieldCipher, blind_key: bytes, *, size: int = 10_000) -> None:
        self._cipher, self._key, self._size = cipher, blind_key, size
        self._sealed: OrderedDict[str, tuple[ApplicationForm, bytes, list[str]]] = OrderedDict()
        self._opened: OrderedDict[bytes, ApplicationForm] = OrderedDict()

    def seal(self, case_id: str, form: ApplicationForm) -> tuple[bytes, list[str]]:
        """The sealed form and its name tokens: the cached ones while the case's form is unchanged.

        The phone is sealed in E.164: a workflow started before phones were normalised still holds ``08…``.
        """
        cached = self._sealed.get(case_id)
        if cached is not None and cached[0] == form:
            self._sealed.move_to_end(case_id)
            return cached[1], cached[2]
        stored = dataclasses.replace(form, phone=normalised(form.phone))
        sealed = self._cipher.seal(json.dumps(form_to_json(stored)).encode(), PII_COLUMN)
        tokens = name_tokens(form.full_name, self._key)
        self._remember(self._sealed, case_id, (form, sealed, tokens))
        return sealed, tokens

    def open(self, sealed: bytes) -> ApplicationForm:
        """The form as stored: its NIK and KK number masked (``form_to_json``), like every read of the row."""
        form = self._opened.get(sealed)
        if form is None:
            form = form_from_json(json.loads(self._cipher.open(sealed, PII_COLUMN)))
            form = dataclasses.replace(form, phone=normalised(form.phone))  # rows sealed before migration 0014
            self._remember(self._opened, sealed, form)
        else:
            self._opened.move_to_end(sealed)
        return form

    def _remember(self, cache: OrderedDict, key: object, value: object) -> None:
        cache[key] = value
        if len(cache) > self._size:
            cache.popitem(last=False)
