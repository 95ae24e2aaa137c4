"""GraphQL documents of enrollment and training, as partners' and staff clients send them."""

REGISTER_PARTNER = """
mutation R($code: String!, $name: String!, $type: PartnerType!) {
  registerPartner(clientCode: $code, name: $name, type: $type) {
    __typename ... on PartnerRegistered { clientCode signKey } ... on Error { code message }
  }
}"""

STAFF_UPSERT_COURSE = """
mutation C($input: CourseInput!) {
  upsertCourse(input: $input) { __typename ... on Course { courseCode price } ... on Error { code message } }
}"""

REQUEST_OTP = """
mutation O($card: String!, $course: String!, $price: Int!, $rid: String!) {
  requestPurchaseOtp(cardNumber: $card, courseCode: $course, price: $price, requestId: $rid) {
    __typename ... on OtpChallengeSent { challengeId phoneHint expiresAt } ... on Error { code message }
  }
}"""

PURCHASE = """
mutation P($input: PurchaseInput!) {
  purchaseTraining(input: $input) {
    __typename
    ... on PurchaseReceipt { idempotencyKey invoiceCode voucherCode redeemCode courseCode price balanceAfter }
    ... on Error { code message }
  }
}"""

REDEEM = """
mutation R($code: String!, $key: String!, $seq: Int!, $type: TrainingMode) {
  redeemVoucher(redeemCode: $code, idempotencyKey: $key, sequence: $seq, trainingType: $type) {
    __typename ... on RedeemReceipt { redeemCode status attendanceStatus sequence redeemAt } ... on Error { code message }
  }
}"""

REPORT_FIELDS = """__typename ... on TrainingReport { voucherCode status statusReason certificateSerial }
    ... on Error { code message }"""

REPORT_COMPLETION = "mutation R($v: String!) { reportCompletion(voucherCode: $v) { %s } }" % REPORT_FIELDS
CONFIRM_COMPLETION = "mutation C($v: String!) { confirmCompletion(voucherCode: $v) { %s } }" % REPORT_FIELDS
VERIFY_COMPLETION = "mutation V($v: String!) { verifyCompletion(voucherCode: $v) { %s } }" % REPORT_FIELDS
CANCEL_PURCHASE = (
    "mutation C($v: String!, $r: String!) { cancelPurchase(voucherCode: $v, reason: $r) { %s } }" % REPORT_FIELDS
)
CANCEL_VOUCHER = (
    "mutation C($v: String!, $r: String!) { cancelVoucher(voucherCode: $v, reason: $r) { %s } }" % REPORT_FIELDS
)

MY_TRAINING = """
query {
  myCase {
    __typename
    ... on Case {
      id stage nextAction balance decisions { kind summary }
      card { number status credited firstPurchaseDeadline revokeReason }
      trainings {
        voucherCode redeemCode status statusReason certificateSerial verificationDue
        attendance { sequence providerCode } course { courseCode mode }
      }
      ledger { kind amount reference }
      notifications(limit: 50) { channel kind body status }
    }
  }
}"""

REPORT_SCORE = (
    "mutation S($v: String!, $k: TestKind!, $s: Int!) { reportTestScore(voucherCode: $v, kind: $k, score: $s) { %s } }"
    % REPORT_FIELDS
)
RATE = """
mutation R($v: String!, $s: Int!, $r: String!) {
  rateTraining(voucherCode: $v, stars: $s, review: $r) {
    __typename ... on TrainingReport { status } ... on Error { code message }
  }
}"""
OUTCOMES = """
query O($by: OutcomeGrouping!) {
  trainingOutcomes(by: $by) { key trainings averagePreTest averagePostTest ratings averageRating }
}"""
