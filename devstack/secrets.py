"""Development secrets: generated once into the data directory, never committed."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from pathlib import Path

DEV_PAYLOAD_KEY_ID = "dev1"
DEV_PII_KEY_ID = "pii1"


def _aes_key(key_id: str) -> str:
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()}"


# Every dev secret and how to make it; a data directory from before a secret existed gets it added on the next run.
_GENERATORS: dict[str, Callable[[], str]] = {
    "CASE_HMAC_KEY": lambda: secrets.token_hex(32),
    "JWT_SECRET": lambda: secrets.token_hex(32),
    "PAYLOAD_KEYS": lambda: _aes_key(DEV_PAYLOAD_KEY_ID),
    "PAYLOAD_ACTIVE_KEY": lambda: DEV_PAYLOAD_KEY_ID,
    "PII_KEYS": lambda: _aes_key(DEV_PII_KEY_ID),
    "PII_ACTIVE_KEY": lambda: DEV_PII_KEY_ID,
}


def dev_secrets(data_dir: Path) -> dict[str, str]:
    path = data_dir / "dev-secrets.json"
    values: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = {name: make() for name, make in _GENERATORS.items() if name not in values}
    if not missing:
        return values
    values.update(missing)
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values
