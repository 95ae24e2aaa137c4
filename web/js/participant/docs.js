// The GraphQL documents of the participant dashboard (/graphql/participant).

export const CASE_FIELDS = `
  id stage nextAction appliedAt updatedAt
  application { fullName nikMasked domicile { provinceCode provinceName regencyName } }
  decisions { kind outcome summary decidedAt rulesetVersion rules { ruleId outcome reason source } }
  abilityTest { status attemptsLeft passMark attempts { number status correct total deadline } }
  waves { waveId joinedAt outcome reason reasonText decidedAt }`;

export const MY_CASE = `query { myCase { __typename ... on Case { ${CASE_FIELDS} } ... on Error { code message } } }`;

export const APPLY = `mutation Apply($input: ApplyInput!) {
  apply(input: $input) {
    __typename
    ... on ApplySuccess { case { id stage } }
    ... on ApplicationInvalid { code message fieldErrors { field code message } }
    ... on Error { code message }
  }
}`;

export const OPEN_WAVES = `query { openWaves { id number status closesAt } }`;

export const JOIN_WAVE = `mutation Join($id: ID!) {
  joinWave(waveId: $id) { __typename ... on WaveHistoryEntry { waveId } ... on Error { code message } }
}`;

const SHEET = `attempt { number status deadline correct total } questions { id category prompt choices } secondsLeft`;

export const TEST_LENGTH = `query { myCase { __typename ... on Case { abilityTest { questionCount durationSeconds } } } }`;
export const ABILITY_TEST = `query { abilityTest { __typename ... on AbilityTestSheet { ${SHEET} } ... on Error { code message } } }`;
export const START_TEST = `mutation { startAbilityTest { __typename ... on AbilityTestSheet { ${SHEET} } ... on Error { code message } } }`;
export const SUBMIT_TEST = `mutation Submit($input: SubmitAbilityTestInput!) {
  submitAbilityTest(input: $input) {
    __typename ... on AbilityTestAttempt { number status correct total } ... on Error { code message }
  }
}`;

export const MONEY = `query { myCase { __typename ... on Error { code message } ... on Case {
  stage balance incentivesPaid
  card { number status credited firstPurchaseDeadline revokedAt revokeReason }
  trainings { voucherCode redeemCode status statusReason purchasedAt certificateSerial rating
              course { title providerCode mode } attendance { sequence at } }
  payoutAccount { provider accountNumberMasked holderName linkedAt }
  incentivePrerequisites { certificate rating account met missing }
  incentives { number kind amount status dueAt paidAt failureReason transferAttempts }
  ledger { kind amount at reference } } } }`;

export const RATE = `mutation Rate($v: String!, $s: Int!, $r: String!) {
  rateTraining(voucherCode: $v, stars: $s, review: $r) { __typename ... on Error { code message } }
}`;

export const LINK = `mutation Link($p: PayoutProvider!, $n: String!) {
  linkPayoutAccount(provider: $p, accountNumber: $n) {
    __typename ... on PayoutAccount { provider accountNumberMasked } ... on Error { code message }
  }
}`;

export const UNLINK = `mutation { unlinkPayoutAccount { __typename ... on Error { code message } } }`;

export const JOBS = `query Jobs($province: String!) {
  myJobRecommendations { __typename
    ... on JobRecommendations { reason items { score explanation myAction
      vacancy { id title employer category url provinceName salaryMin salaryMax expiresOn } } }
    ... on Error { code message } }
  trendingJobs(provinceCode: $province) { __typename
    ... on TrendingJobs { month provinceName items { category applications vacancies } }
    ... on Error { code message } }
}`;

export const MARK_VACANCY = `mutation Mark($id: ID!, $a: VacancyAction!) {
  markVacancy(vacancyId: $id, action: $a) { __typename ... on Error { code message } }
}`;

export const INBOX = `query { myCase { __typename ... on Error { code message } ... on Case {
  notifications(limit: 30) { channel kind body createdAt status }
  complaints { id category text filedAt slaDueAt status answer answeredAt } } } }`;

export const FILE_COMPLAINT = `mutation File($c: ComplaintCategory!, $t: String!, $r: String!) {
  fileComplaint(category: $c, text: $t, requestId: $r) { __typename ... on Complaint { id } ... on Error { code message } }
}`;

export const STATUS = `subscription { myCaseStatus { __typename ... on CaseStatusUpdate { stage version nextAction } ... on Error { code } } }`;
