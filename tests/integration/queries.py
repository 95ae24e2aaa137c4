"""The GraphQL documents the clients send (participant web frontend, staff console)."""

CASE_FIELDS = """
  id schemeId stage nextAction appliedAt temporalUiUrl
  abilityTest { status attemptsLeft passMark attempts { number status correct total deadline } }
  waves { waveId joinedAt outcome reason reasonText decidedAt }
  application { email phone nikMasked kkNumberMasked dateOfBirth fullName sex education employmentStatus
                trainingInterest domicile { provinceCode regencyCode provinceName regencyName } }
  decisions { kind outcome summary decidedAt rulesetVersion rules { ruleId outcome reason source checkedAt } }
"""

APPLY = (
    """
mutation Apply($input: ApplyInput!) {
  apply(input: $input) {
    __typename
    ... on ApplySuccess { case { %s } }
    ... on ApplicationInvalid { fieldErrors { field code message } }
    ... on Error { code message }
  }
}"""
    % CASE_FIELDS
)

MY_CASE = (
    """
query { myCase { __typename ... on Case { %s } ... on Error { code message } } }"""
    % CASE_FIELDS
)

STAFF_CASE = (
    """
query Case($id: ID!) { case(id: $id) { __typename ... on Case { %s } ... on Error { code message } } }"""
    % CASE_FIELDS
)

STAFF_CASE_BY_NIK = """
query CaseByNik($nik: String!) { caseByNik(nik: $nik) { __typename ... on Case { id stage } ... on Error { code } } }"""

STAFF_CASES = """
query Cases($filter: CaseFilterInput, $first: Int!, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    __typename
    ... on CaseConnection { edges { cursor node { id stage applicationProvince: application { domicile { provinceCode } } } }
                            pageInfo { endCursor hasNextPage } }
    ... on Error { code message }
  }
}"""

SHEET_FIELDS = """
  attempt { number status startedAt deadline finishedAt correct total }
  questions { id category prompt choices }
  secondsLeft
"""

START_TEST = (
    """
mutation { startAbilityTest { __typename ... on AbilityTestSheet { %s } ... on Error { code message } } }"""
    % SHEET_FIELDS
)

ABILITY_TEST = (
    """
query { abilityTest { __typename ... on AbilityTestSheet { %s } ... on Error { code message } } }"""
    % SHEET_FIELDS
)

SUBMIT_TEST = """
mutation Submit($input: SubmitAbilityTestInput!) {
  submitAbilityTest(input: $input) {
    __typename
    ... on AbilityTestAttempt { number status correct total finishedAt }
    ... on Error { code message }
  }
}"""

WAVE_FIELDS = """
  id number status nationalQuota seedCommitment revealedSeed resultDigest selectedCount opensAt closesAt
  provinces { provinceCode quota joined selected excludedAtClose }
"""

CREATE_WAVE = (
    """
mutation Create($input: CreateWaveInput!) {
  createWave(input: $input) { __typename ... on Wave { %s } ... on Error { code message } }
}"""
    % WAVE_FIELDS
)

CLOSE_WAVE = (
    """
mutation Close($id: ID!, $reason: String!) {
  closeWave(waveId: $id, reason: $reason) { __typename ... on Wave { %s } ... on Error { code message } }
}"""
    % WAVE_FIELDS
)

EXTEND_WAVE = """
mutation Extend($id: ID!, $at: DateTime!, $reason: String!) {
  extendWave(waveId: $id, closesAt: $at, reason: $reason) { __typename ... on Wave { closesAt } ... on Error { code } }
}"""

STAFF_WAVE = "query W($id: ID!) { wave(id: $id) { %s } }" % WAVE_FIELDS

UPLOAD_COHORT = """
mutation Up($id: ID!, $cohort: String!, $file: String!) {
  uploadPriorityCohort(waveId: $id, cohort: $cohort, niksFile: $file) {
    __typename ... on CohortUploaded { accepted rejectedLines } ... on Error { code }
  }
}"""

JOIN_WAVE = """
mutation Join($id: ID!) {
  joinWave(waveId: $id) { __typename ... on WaveHistoryEntry { waveId joinedAt outcome } ... on Error { code message } }
}"""

OPEN_WAVES = "query { openWaves { id number status seedCommitment } }"

VERIFY_WAVE = """
query V($id: ID!) {
  verifyWaveSelection(waveId: $id) {
    __typename
    ... on WaveVerification { commitmentOk identical recomputedDigest publishedDigest differences }
    ... on Error { code }
  }
}"""
