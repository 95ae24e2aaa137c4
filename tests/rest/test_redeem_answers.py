"""The redeem-code endpoints' business answers: each refusal becomes its catalogue entry."""

from __future__ import annotations

import pytest

from caseapi.rest import RedeemError
from caseapi.rest import catalogue as cat
from domain.errors import DomainError, ErrorCode, StoreUnavailable
from tests.rest.redeem_support import CODE, COMMIT, STATUS, assert_refused, official_client

# --- business answers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "entry"),
    [
        (ErrorCode.REDEEM_CODE_NOT_FOUND, cat.REDEEM_CODE_NOT_FOUND),
        (ErrorCode.CODE_OF_OTHER_PROVIDER, cat.CODE_OF_OTHER_PROVIDER),
        (ErrorCode.TEMPORARILY_UNAVAILABLE, cat.UNAVAILABLE),
        (ErrorCode.CODE_ALREADY_USED, cat.CODE_ALREADY_USED),
        (ErrorCode.OUTSIDE_REDEEM_WINDOW, cat.OUTSIDE_WINDOW),
        (ErrorCode.TRAINING_TYPE_MISMATCH, cat.TRAINING_TYPE_MISMATCH),
        (ErrorCode.CODE_CANCELLED, cat.CODE_CANCELLED),
        (ErrorCode.TRANSACTION_CANCELLED, cat.TRANSACTION_CANCELLED),
        (ErrorCode.INVALID_SEQUENCE, cat.INVALID_SEQUENCE),
    ],
)
@pytest.mark.parametrize("path", [STATUS, COMMIT])
async def test_business_error_maps_to_its_catalogue_entry(http, gateway, code, entry, path):
    gateway.refusals[CODE] = RedeemError(code=code.value, message=f"refused: {code.value}")
    body, headers = official_client({"redeem_code": CODE}, path=path)
    response = await http.post(path, content=body, headers=headers)
    status = 503 if entry is cat.UNAVAILABLE else 400
    assert_refused(response, status, entry)
    assert response.json()["message"] == f"refused: {code.value}"
    assert response.headers.get("retry-after") == ("1" if status == 503 else None)


async def test_domain_error_raised_by_gateway_is_a_business_answer(http, gateway):
    gateway.raise_on_call = DomainError(ErrorCode.CODE_ALREADY_USED, "Already used.")
    body, headers = official_client({"redeem_code": CODE})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"success": False, "code": cat.CODE_ALREADY_USED.code, "message": "Already used."}


async def test_store_unavailable_is_503_with_retry_after(http, gateway):
    gateway.raise_on_call = StoreUnavailable("db down")
    body, headers = official_client({"redeem_code": CODE})
    response = await http.post(COMMIT, content=body, headers=headers)
    assert_refused(response, 503, "TEMPORARILY_UNAVAILABLE")
    assert response.headers["retry-after"] == "1"
