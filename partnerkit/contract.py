"""Strict models of the official partner API, generated from contract.json (beside this file) at import time.

Every answer the kit and the tests read is parsed with :func:`parse`: integers must be JSON integers (not
strings, floats or booleans), strings strings, booleans booleans, date-time fields must match
``YYYY-MM-DDTHH:MM:SSZ``, every documented field must be present (``redeem_at`` may be ``null`` before
redemption, partner-api.md §10 #19), the error envelope is exactly ``{success: false, code, message}`` and void
has no ``data``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, StringConstraints, create_model

CONTRACT = json.loads((Path(__file__).parent / "contract.json").read_text())
ENDPOINTS = {e["path"]: e for e in CONTRACT}
Z_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
ZTime = Annotated[str, StringConstraints(strict=True, pattern=Z_TIME)]
ERROR_CODE = re.compile(r"^ERR[A-Z]+\d{5}$")
_DATE_TIMES = {"redeem_at", "created_at"}
_NULLABLE = {"redeem_at"}
_TYPES: dict[str, Any] = {"string": StrictStr, "integer": StrictInt, "boolean": StrictBool}
_STRICT = ConfigDict(strict=True, extra="allow")


def _field_type(name: str, kind: str) -> Any:
    base = ZTime if name in _DATE_TIMES else _TYPES[kind]
    return base | None if name in _NULLABLE else base


def _data_model(endpoint: dict[str, Any]) -> type[BaseModel] | None:
    fields = endpoint["response_data_fields"]
    if not fields:
        return None
    nested: dict[str, dict[str, Any]] = {}
    top: dict[str, Any] = {}
    for name, kind in fields.items():
        if "." in name:
            parent, child = name.split(".", 1)
            nested.setdefault(parent, {})[child] = (_field_type(child, kind), ...)
        elif kind != "object":
            top[name] = (_field_type(name, kind), ...)
    for parent, children in nested.items():
        top[parent] = (create_model(f"{parent.title()}Part", __config__=_STRICT, **children), ...)
    return create_model(endpoint["name"].replace(".", "_"), __config__=_STRICT, **top)


class ErrorBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    success: StrictBool
    code: StrictStr
    message: StrictStr


MODELS = {path: _data_model(e) for path, e in ENDPOINTS.items()}


def parse(path: str, body: dict[str, Any]) -> Any:
    """The answer's ``data`` as the strict model of ``path`` (``None`` for void); raises on any deviation."""
    assert set(body) <= {"success", "message", "data"}, body
    assert body["success"] is True and isinstance(body["message"], str), body
    model = MODELS[path]
    if model is None:
        assert "data" not in body, body
        return None
    return model.model_validate(body["data"])


def parse_error(body: dict[str, Any]) -> ErrorBody:
    error = ErrorBody.model_validate(body)
    assert error.success is False and ERROR_CODE.match(error.code) and error.message, body
    return error
