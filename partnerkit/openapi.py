"""The OpenAPI 3.1 description of the partner REST API, built from contract.json and the error catalogue.

``python -m partnerkit.openapi > docs/partner-api/openapi.yaml`` writes it; a test fails when the committed file
drifts from what this builds, and validates the server's answers against it (:func:`validate`).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from partnerkit.contract import CONTRACT, Z_TIME

SERVED = ("payment.", "attendance.", "tpm.")
"""Rows 1–12 of partner-api.md §1 (SSO is out of scope)."""
_JSON = {"string": "string", "integer": "integer", "boolean": "boolean", "object": "object"}
_STRING_OR_INTEGER = {"invoice_code", "user_platform_id", "otp"}
_OPTIONAL = {
    ("attendance.redeem_code_status", "sequence"),
    ("attendance.generate_url", "sequence"),
    ("tpm.feedback", "url_file"),
}
_SUMMARIES = {
    "payment.check_quota": "Seats left on a schedule (DP)",
    "payment.send_otp": "Check schedule, course, start, quota and the buyer's fit; text the OTP; return payment_token",
    "payment.authorize": "Buy with the OTP and Authorization: Payment <payment_token>; invoice_code is idempotent",
    "payment.status": "A purchase by the platform's invoice_code",
    "payment.void": "Cancel a purchase before the training starts (no data on success)",
    "attendance.generate_url": "A signed, expiring attendance-verification link for the participant (LP)",
    "attendance.redeem_code_status": "A redeem code's status and attendance for one sequence",
    "attendance.redeem_code_reset": "Reset a sandbox PRAT- test code",
    "attendance.redeem_code_commit": "Use a redeem code for one sequence (older flow)",
    "tpm.submission": "Forward a participant's TPM (1–998) / UK (999) task file; status 2 = submitted",
    "tpm.submission_status": "A task's assignment status (0 none, 1 open, 2 submitted, 3 lapsed) and feedback status "
    "(0 not graded, 1 passed, 2 revise)",
    "tpm.feedback": "Grade a submitted task with notes (passes it; our optional extension status 2 asks a revision)",
}
_EXAMPLE_MESSAGES = {
    "payment.authorize": "Pelatihan berhasil dibeli.",
    "payment.void": "Transaksi berhasil dibatalkan.",
}


def _field(name: str, kind: str, *, response: bool) -> dict[str, Any]:
    if not response and name in _STRING_OR_INTEGER:
        return {"type": ["string", "integer"]}
    schema: dict[str, Any] = {"type": _JSON[kind]}
    if name in ("redeem_at", "created_at"):
        schema["pattern"] = Z_TIME
        if name == "redeem_at":
            schema["type"] = ["string", "null"]
    return schema


def _object(fields: dict[str, str], *, response: bool, endpoint: str) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for name, kind in fields.items():
        if "." in name:
            parent, child = name.split(".", 1)
            if "properties" not in props.get(parent, {}):
                props[parent] = {"type": "object", "properties": {}, "required": []}
            nested = props[parent]
            nested["properties"][child] = _field(child, kind, response=response)
            nested["required"].append(child)
        elif name not in props:
            props[name] = _field(name, kind, response=response)
    required = [n for n in props if (endpoint, n) not in _OPTIONAL]
    return {"type": "object", "properties": props, "required": required}


def build() -> dict[str, Any]:
    from caseapi.rest.catalogue import CATALOGUE

    paths: dict[str, Any] = {}
    for e in CONTRACT:
        if not e["name"].startswith(SERVED):
            continue
        envelope: dict[str, Any] = {
            "type": "object",
            "properties": {"success": {"const": True}, "message": {"type": "string"}},
            "required": ["success", "message"],
        }
        if e["response_data_fields"]:
            envelope["properties"]["data"] = _object(e["response_data_fields"], response=True, endpoint=e["name"])
            envelope["required"].append("data")
        else:
            envelope["not"] = {"required": ["data"]}
        error = {"$ref": "#/components/schemas/Error"}
        statuses = sorted({entry.http for entry in CATALOGUE})
        security = [{"signature": [], "clientCode": [], "timestamp": []}]
        if e["name"] == "payment.authorize":
            security = [{"signature": [], "clientCode": [], "timestamp": [], "paymentToken": []}]
        paths[e["path"]] = {
            "post": {
                "operationId": e["name"].replace(".", "_"),
                "summary": _SUMMARIES[e["name"]],
                "security": security,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": _object(e["request_fields"], response=False, endpoint=e["name"])}
                    },
                },
                "responses": {
                    "200": {
                        "description": _EXAMPLE_MESSAGES.get(e["name"], "OK"),
                        "content": {"application/json": {"schema": envelope}},
                    },
                    **{
                        str(s): {
                            "description": "See docs/partner-api/errors.md",
                            "content": {"application/json": {"schema": error}},
                        }
                        for s in statuses
                    },
                },
            }
        }
    codes = sorted(entry.code for entry in CATALOGUE)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Prakerja partner integration API",
            "version": "1.0.0",
            "description": "The official partner REST contract as served here (docs/partner-api/errors.md).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "clientCode": {"type": "apiKey", "in": "header", "name": "client_code"},
                "timestamp": {"type": "apiKey", "in": "header", "name": "timestamp"},
                "signature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "signature",
                    "description": "hex HMAC-SHA1(sign_key, client_code + timestamp + POST + path + body)",
                },
                "paymentToken": {"type": "apiKey", "in": "header", "name": "Authorization"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "success": {"const": False},
                        "code": {"type": "string", "enum": codes},
                        "message": {"type": "string"},
                    },
                    "required": ["success", "code", "message"],
                    "additionalProperties": False,
                }
            },
        },
    }


def dump() -> str:
    import yaml

    return yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=120)


def validate(schema: dict[str, Any], value: Any, spec: dict[str, Any], at: str = "$") -> list[str]:
    """Problems of ``value`` under the JSON Schema subset :func:`build` writes (type, const, enum, pattern,
    properties, required, additionalProperties, not-required, $ref)."""
    if "$ref" in schema:
        return validate(spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], value, spec, at)
    problems: list[str] = []
    if "const" in schema and value != schema["const"]:
        problems.append(f"{at}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{at}: {value!r} not in the enum")
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        kinds = {
            "string": isinstance(value, str),
            "integer": type(value) is int,
            "boolean": type(value) is bool,
            "object": isinstance(value, dict),
            "null": value is None,
        }
        if not any(kinds[t] for t in allowed):
            return [*problems, f"{at}: {value!r} is not {allowed}"]
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{at}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{at}.{name}: missing")
        props = schema.get("properties", {})
        for name, item in value.items():
            if name in props:
                problems += validate(props[name], item, spec, f"{at}.{name}")
            elif schema.get("additionalProperties") is False:
                problems.append(f"{at}.{name}: not allowed")
        forbidden = schema.get("not", {}).get("required", [])
        problems += [f"{at}.{name}: must be absent" for name in forbidden if name in value]
    return problems


if __name__ == "__main__":
    sys.stdout.write(dump())
