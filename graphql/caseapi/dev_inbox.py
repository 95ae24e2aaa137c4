"""``GET /dev/inbox`` (``DEV_MODE`` only, 404 otherwise): the SMS and e-mails the programme sent, OTPs included.

There is no SMS gateway or mail server in the development stack: the notification outbox is where messages land.
This route lets a newcomer read them (the console's dev inbox page), like a local mail catcher. Outside
``DEV_MODE`` it does not exist: OTPs and personal contact details are never served this way in production.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, request_response

from caseapi.shared.ports import SentMessages
from caseapi.web_console import SecurityHeaders
from domain.notifications import Notification
from domain.phones import normalised

_MAX = 200


def _view(n: Notification) -> dict[str, str | None]:
    return {
        "createdAt": n.created_at.isoformat(),
        "sentAt": n.sent_at.isoformat() if n.sent_at else None,
        "channel": n.channel.value,
        "recipient": n.recipient,
        "kind": n.kind,
        "body": n.body,
        "status": n.status,
    }


def dev_inbox_routes(*, dev: bool, messages: SentMessages | None) -> list[BaseRoute]:
    async def inbox(request: Request) -> Response:
        if not dev or messages is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        to = request.query_params.get("to", "").strip()
        try:
            limit = min(_MAX, max(1, int(request.query_params.get("limit", "50"))))
        except ValueError:
            return JSONResponse({"error": "limit must be a whole number"}, status_code=400)
        found = await messages.recent(limit=limit, recipient=(normalised(to) if "@" not in to else to) or None)
        return JSONResponse({"messages": [_view(n) for n in found]}, headers={"cache-control": "no-store"})

    return [Route("/dev/inbox", SecurityHeaders(request_response(inbox)), methods=["GET"])]
