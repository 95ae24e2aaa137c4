"""Development secrets: generated once into the data directory, never committed."""

from __future__ import annotations

import json
import secrets
from pathlib import Path


def dev_secrets(data_dir: Path) -> dict[str, str]:
    path = data_dir / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {"CASE_HMAC_KEY": secrets.token_hex(32), "JWT_SECRET": secrets.token_hex(32)}
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))
    path.chmod(0o600)
    return values
