"""Tokens from the operator's identity provider: RS256/ES256 signatures checked against the issuer's JWKS, keys
cached and refreshed when a token names a key ID (``kid``) not seen yet (key rotation), a small clock leeway, one
audience per endpoint, and a documented mapping from claims to roles and province scope (docs/deploy.md, "Identity").

HS256 with a shared secret (``auth.authenticate`` without an ``Oidc``) stays for the development stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jwt

ALGORITHMS = ["RS256", "ES256"]


@dataclass(frozen=True)
class Oidc:
    issuer: str
    jwks_url: str
    audiences: dict[str, str]
    """Endpoint (participant, staff, partner) -> the ``aud`` its tokens must carry."""
    role_claim: str = "role"
    """The claim holding one of participant | staff | supervisor | partner."""
    provinces_claim: str = "provinces"
    """Staff scope: a list of province codes; absent or ``["*"]`` means national."""
    leeway_seconds: int = 30
    cache_seconds: int = 300
    refresh_cooldown_seconds: float = 10
    """An unknown ``kid`` refreshes the key set at most this often: tokens with made-up key IDs cannot make this
    server hammer the issuer; an issuer publishes a new key before it signs with it."""
    _client: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Keys are fetched on first use and when a token names an unknown ``kid`` (PyJWKClient refreshes once), then
        # kept ``cache_seconds``: the issuer is not asked per request.
        client = jwt.PyJWKClient(
            self.jwks_url,
            cache_keys=True,
            lifespan=self.cache_seconds,
            cooldown_duration=self.refresh_cooldown_seconds,
        )
        object.__setattr__(self, "_client", client)

    def claims(self, token: str, endpoint: str) -> dict[str, Any]:
        """The verified claims; raises ``jwt.PyJWTError`` for a token this endpoint must refuse."""
        key = self._client.get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            # The key's own algorithm only (of RS256/ES256): a token cannot choose how it is checked.
            algorithms=[key.algorithm_name] if key.algorithm_name in ALGORITHMS else [],
            audience=self.audiences[endpoint],
            issuer=self.issuer,
            leeway=self.leeway_seconds,
            options={"require": ["exp", "iat", "sub"]},
        )
        claims["role"] = claims.get(self.role_claim)
        claims["provinces"] = claims.get(self.provinces_claim)
        return claims
