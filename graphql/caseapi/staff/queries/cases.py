"""``cases(filter, first, after)``: keyset-paginated search of the read model."""

from __future__ import annotations

from typing import Annotated

import strawberry

from caseapi.shared.auth import Principal, Role
from caseapi.shared.context import Info
from caseapi.shared.errors import (
    Forbidden,
    InvalidArgument,
    NotAuthenticated,
    TemporarilyUnavailable,
    unavailable,
)
from caseapi.shared.guards import require
from caseapi.shared.types import Case, Stage, case_view
from domain import ports
from domain.errors import ErrorCode, StoreUnavailable
from domain.names import MIN_PREFIX, normalise
from domain.nik import blind_index
from domain.ports import CaseFilter

MAX_PAGE = 100
CARD_DIGITS = 16

CaseFlag = strawberry.enum(
    ports.CaseFlag,
    description=(
        "PAYOUT_FAILED: an incentive the payment partner refused; CLAWBACK: a clawback was started; "
        "CARD_REVOKED: the card was revoked; "
        "NO_PURCHASE_YET: the card is active and no purchase stands (cancelled ones do not count)."
    ),
)


@strawberry.input(description="Every field narrows the search; NIK is matched through its blind index.")
class CaseFilterInput:
    nik: str | None = strawberry.field(default=None, description="The 16-digit NIK (never stored or scanned).")
    province_code: str | None = strawberry.field(default=None, description="Domicile province, within your scope.")
    stage: Stage | None = strawberry.field(default=None, description="Where the case is in the programme.")
    name_prefix: str | None = strawberry.field(
        default=None, description="Start of the full name (at least 3 letters), any case or accents."
    )
    card_number: str | None = strawberry.field(
        default=None, description="The 16-digit Kartu Prakerja number (spaces and dashes ignored)."
    )
    wave_id: str | None = strawberry.field(default=None, description="Cases that joined this wave.")
    flags: list[CaseFlag] | None = strawberry.field(default=None, description="Every flag given must hold.")


@strawberry.type
class CaseEdge:
    cursor: str
    node: Case


@strawberry.type
class PageInfo:
    end_cursor: str | None
    has_next_page: bool


@strawberry.type(description="A page of cases, newest application first.")
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo


CasesResult = Annotated[
    CaseConnection | InvalidArgument | NotAuthenticated | Forbidden | TemporarilyUnavailable,
    strawberry.union("CasesResult"),
]


def _bad(message: str) -> InvalidArgument:
    return InvalidArgument(code=ErrorCode.INVALID_ARGUMENT, message=message)


def _scope(principal: Principal, wanted: str | None) -> tuple[str, ...] | InvalidArgument | None:
    if wanted is None:
        return principal.provinces
    if not principal.covers(wanted):
        return _bad("That province is outside your scope.")
    return (wanted,)


async def cases(
    info: Info, filter: CaseFilterInput | None = None, first: int = 20, after: str | None = None
) -> CasesResult:
    principal = require(info, Role.STAFF, Role.SUPERVISOR)
    if not isinstance(principal, Principal):
        return principal
    if not 1 <= first <= MAX_PAGE:
        return _bad(f"first must be between 1 and {MAX_PAGE}.")
    f = filter or CaseFilterInput()
    provinces = _scope(principal, f.province_code)
    if isinstance(provinces, InvalidArgument):
        return provinces
    card = "".join(f.card_number.replace("-", " ").split()) if f.card_number is not None else None
    if card is not None and not (len(card) == CARD_DIGITS and card.isdigit()):
        return _bad("cardNumber must be the 16 digits of a Kartu Prakerja.")
    if f.name_prefix is not None and len(normalise(f.name_prefix)) < MIN_PREFIX:
        return _bad(f"namePrefix needs at least {MIN_PREFIX} letters (names are stored encrypted).")
    flt = CaseFilter(
        case_id=blind_index(f.nik.strip(), info.context.config.blind_index_key) if f.nik else None,
        province_codes=provinces,
        stage=f.stage,
        name_prefix=f.name_prefix.strip() if f.name_prefix else None,
        card_number=card,
        wave_id=f.wave_id.strip() if f.wave_id else None,
        flags=frozenset(f.flags or ()),
    )
    try:
        page = await info.context.ports.reader.search(flt, first=first, after=after)
    except ValueError:
        return _bad("after is not a cursor from a previous page.")
    except StoreUnavailable:
        return unavailable("The case database")
    edges = []
    for i, record in enumerate(page.records):
        cursor = page.end_cursor if i == len(page.records) - 1 else None
        edges.append(CaseEdge(cursor=cursor or "", node=case_view(record)))
    return CaseConnection(edges=edges, page_info=PageInfo(end_cursor=page.end_cursor, has_next_page=page.has_next_page))
