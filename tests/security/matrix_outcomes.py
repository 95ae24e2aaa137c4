"""The outcomes a row of the authorization matrix can expect (``tests/security/matrix_table.py``)."""

ALLOW = "ALLOW"
"""Past the authorization checks: a result, or a typed business answer about the caller's own objects."""
UNAUTH = "UNAUTH"
"""``NotAuthenticated``: no token, or a token not for this endpoint."""
FORBID = "FORBID"
"""``Forbidden`` (or a four-eyes refusal): the role, partner type or scope does not allow it."""
HIDDEN = "HIDDEN"
"""A not-found typed error for an object that exists but is outside the caller's scope (it must look missing)."""
NOT_YOURS = "NOT_YOURS"
"""A typed refusal because the object belongs to another partner of the same type (codes below)."""
EMPTY = "EMPTY"
"""An empty list or null from a field that has no typed error: nothing is shown to the caller."""

NOT_YOURS_CODES = {"CODE_OF_OTHER_PROVIDER", "NOT_YOUR_PURCHASE"}
