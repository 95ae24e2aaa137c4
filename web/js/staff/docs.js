// The GraphQL documents of the staff console (/graphql/staff).

export const FUNNEL = `query Funnel($wave: ID, $province: String) {
  funnel(waveId: $wave, provinceCode: $province) {
    __typename ... on Funnel { waveId provinceCode provinceName steps { step count } } ... on Error { code message }
  }
}`;

const WAVE = `id number status nationalQuota opensAt closesAt selectedCount seedCommitment resultDigest
  provinces { provinceCode provinceName quota joined selected excludedAtClose }`;

export const WAVES = `query { waves { id number status nationalQuota opensAt closesAt selectedCount } }`;
export const WAVE_DETAIL = `query W($id: ID!) { wave(id: $id) { ${WAVE} } }`;

const SIDE = "quota selected reasons { reason joiners }";
const COMPARISON = `provinceCode provinceName joined inBoth onlyReal onlyWhatIf real { ${SIDE} } whatIf { ${SIDE} }`;
const WHAT_IF_FIELDS = `id status sameAsReal error total { ${COMPARISON} } provinces { ${COMPARISON} }`;
export const START_WHAT_IF = `mutation StartWhatIf($input: WhatIfInput!) {
  startWhatIf(input: $input) { __typename ... on WhatIf { ${WHAT_IF_FIELDS} } ... on Error { code message } }
}`;
export const WHAT_IF = `query WhatIf($id: ID!) {
  whatIf(id: $id) { __typename ... on WhatIf { ${WHAT_IF_FIELDS} } ... on Error { code message } }
}`;

export const CREATE_WAVE = `mutation Create($input: CreateWaveInput!) {
  createWave(input: $input) { __typename ... on Wave { id status } ... on Error { code message } }
}`;
export const CLOSE_WAVE = `mutation Close($id: ID!, $reason: String!) {
  closeWave(waveId: $id, reason: $reason) { __typename ... on Wave { id status } ... on Error { code message } }
}`;
export const EXTEND_WAVE = `mutation Extend($id: ID!, $at: DateTime!, $reason: String!) {
  extendWave(waveId: $id, closesAt: $at, reason: $reason) { __typename ... on Wave { id closesAt } ... on Error { code message } }
}`;

export const CASES = `query Cases($filter: CaseFilterInput, $first: Int!, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    __typename
    ... on CaseConnection { pageInfo { endCursor hasNextPage }
      edges { node { id stage appliedAt application { fullName nikMasked domicile { provinceCode provinceName } } } } }
    ... on Error { code message }
  }
}`;

export const CASE = `query Case($id: ID!) {
  case(id: $id) { __typename ... on Error { code message } ... on Case {
    id stage nextAction appliedAt updatedAt temporalUiUrl balance
    application { fullName nikMasked kkNumberMasked email phone dateOfBirth domicile { provinceCode provinceName regencyName } }
    decisions { kind outcome summary decidedAt rulesetVersion rules { ruleId outcome reason source } }
    waves { waveId outcome reasonText }
    card { number status firstPurchaseDeadline }
    incentives { number status amount failureReason }
    timeline { at category what actor source rulesetVersion reasons temporalUiUrl }
  } }
}`;

export const REQUEST_ACTION = `mutation Req($c: ID!, $a: OperatorActionKind!, $code: String!, $r: String!, $p: [ActionParam!]) {
  requestAction(caseId: $c, action: $a, reasonCode: $code, reason: $r, params: $p) {
    __typename ... on ActionRequest { id status result needsSecondApproval } ... on Error { code message }
  }
}`;

const REQUEST = `id caseId action params { name value } reasonCode reason requestedBy requestedAt expiresAt status result`;
export const PENDING = `query { pendingActions { __typename ... on ActionQueue { items { ${REQUEST} } } ... on Error { code message } } }`;
export const APPROVE = `mutation A($id: ID!) {
  approveAction(requestId: $id) { __typename ... on ActionRequest { ${REQUEST} decidedBy } ... on Error { code message } }
}`;
export const REJECT = `mutation J($id: ID!, $r: String!) {
  rejectAction(requestId: $id, reason: $r) { __typename ... on ActionRequest { id status } ... on Error { code message } }
}`;

export const COMPLAINTS = `query Q($status: [ComplaintStatus!], $overdue: Boolean!) {
  complaints(status: $status, overdueOnly: $overdue) { __typename
    ... on ComplaintQueue { items { id caseId category text filedAt slaDueAt overdue status assignedTo answer } }
    ... on Error { code message } }
}`;
const COMPLAINT_RESULT = `{ __typename ... on Complaint { id status } ... on Error { code message } }`;
export const ASSIGN = `mutation As($id: ID!) { assignComplaint(id: $id) ${COMPLAINT_RESULT} }`;
export const ANSWER = `mutation An($id: ID!, $a: String!) { answerComplaint(id: $id, answer: $a) ${COMPLAINT_RESULT} }`;
export const CLOSE = `mutation Cl($id: ID!) { closeComplaint(id: $id) ${COMPLAINT_RESULT} }`;

export const DISCREPANCIES = `query D($open: Boolean!) { paymentDiscrepancies(openOnly: $open) { __typename
  ... on DiscrepancyList { items { id day key kind caseId detail foundAt status } } ... on Error { code message } } }`;
export const RESOLVE = `mutation R($id: Int!, $note: String!) {
  resolveDiscrepancy(id: $id, note: $note) { __typename ... on DiscrepancyResolved { id } ... on Error { code message } }
}`;

export const CASE_CHANGES = `subscription { caseStatusChanges { __typename ... on CaseStatusUpdate { caseId stage provinceCode } } }`;
export const QUEUE_CHANGES = `subscription { queueChanges { __typename ... on QueueChange { queue id status } } }`;
