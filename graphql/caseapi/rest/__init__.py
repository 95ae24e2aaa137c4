"""REST endpoints that follow Prakerja's official integration contracts (so partners' integrations work unchanged)."""

from caseapi.rest.payment import payment_routes
from caseapi.rest.ports import PaymentGateway, RedeemError, RedeemGateway
from caseapi.rest.rate_limit import RateLimit, RateLimiter
from caseapi.rest.redeem import redeem_routes

__all__ = [
    "PaymentGateway",
    "RateLimit",
    "RateLimiter",
    "RedeemError",
    "RedeemGateway",
    "payment_routes",
    "redeem_routes",
]
