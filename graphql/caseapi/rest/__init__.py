"""REST endpoints that follow Prakerja's official integration contracts (so providers' integrations work unchanged)."""

from caseapi.rest.ports import RedeemError, RedeemGateway
from caseapi.rest.rate_limit import RateLimiter
from caseapi.rest.redeem import redeem_routes

__all__ = ["RateLimiter", "RedeemError", "RedeemGateway", "redeem_routes"]
