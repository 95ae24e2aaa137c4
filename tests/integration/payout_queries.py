"""GraphQL documents of the payout tests."""

MY_PAYOUTS = """
query {
  myCase {
    ... on Case {
      id stage nextAction
      payoutAccount { provider accountNumberMasked holderName }
      incentivePrerequisites { certificate rating account met missing }
      incentives { number kind amount status dueAt failureReason transferAttempts }
      incentivesPaid
      clawback { reasonCode trainingAid incentives amountDue repaid outstanding status dueAt steps { step detail actor } }
      application { phone }
    }
  }
}"""

ERR = "... on Error { code message }"

LINK = (
    """
mutation L($p: PayoutProvider!, $n: String!) {
  linkPayoutAccount(provider: $p, accountNumber: $n) {
    __typename ... on PayoutAccount { provider accountNumberMasked holderName } %s
  }
}"""
    % ERR
)

UNLINK = "mutation { unlinkPayoutAccount { __typename ... on PayoutAccount { provider } %s } }" % ERR

CHANGE_PHONE = (
    "mutation P($p: String!) { changePhone(phone: $p) { __typename ... on PhoneChanged { phone } %s } }" % ERR
)

MARK_INELIGIBLE = (
    """
mutation M($c: ID!, $code: String!, $r: String!, $e: String!) {
  markIneligible(caseId: $c, reasonCode: $code, reason: $r, evidence: $e) {
    __typename ... on ActionRequest { id status result needsSecondApproval } %s
  }
}"""
    % ERR
)

APPROVE = (
    """
mutation A($id: ID!) {
  approveAction(requestId: $id) { __typename ... on ActionRequest { id status result } %s }
}"""
    % ERR
)


async def mark_and_approve(stack, args: dict, *, requester: str = "auditor-7", supervisor: str = "sup-1") -> dict:
    """``markIneligible`` by one staff member, approved by a different supervisor: the approval's answer."""
    from caseapi.shared.auth import Role

    asked = (await stack.gql("staff", MARK_INELIGIBLE, args, token=stack.token(Role.STAFF, subject=requester)))[
        "markIneligible"
    ]
    assert asked["status"] == "PENDING" and asked["needsSecondApproval"], asked
    token = stack.token(Role.SUPERVISOR, subject=supervisor)
    return (await stack.gql("staff", APPROVE, {"id": asked["id"]}, token=token))["approveAction"]


REPAY = (
    """
mutation R($c: ID!, $ref: String!, $a: Int!) {
  recordRepayment(caseId: $c, reference: $ref, amount: $a) {
    __typename ... on Clawback { repaid outstanding status } %s
  }
}"""
    % ERR
)

RECEIVABLES = (
    """
query R($s: ReceivableStatus) {
  receivables(status: $s) { __typename ... on ReceivableList { items { caseId amountDue repaid status } } %s }
}"""
    % ERR
)

RECONCILE = (
    """
mutation R($d: Date!) {
  runReconciliation(day: $d) {
    __typename ... on ReconciliationRun { statementLines payments discrepancies newDiscrepancies } %s
  }
}"""
    % ERR
)

DISCREPANCIES = (
    """
query { paymentDiscrepancies { __typename ... on DiscrepancyList { items { id key kind caseId detail } } %s } }
"""
    % ERR
)

RESOLVE = (
    """
mutation R($id: Int!, $n: String!) {
  resolveDiscrepancy(id: $id, note: $n) { __typename ... on DiscrepancyResolved { id } %s }
}"""
    % ERR
)
