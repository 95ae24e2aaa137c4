"""GraphQL documents of job vacancies, recommendations and trends, as portals and the participant app send them."""

VACANCY_FIELDS = """id portal vacancyId title category provinceCode provinceName regencyCode regencyName employer
    salaryMin salaryMax postedOn expiresOn url updatedAt"""

UPSERT_VACANCY = (
    """
mutation U($input: VacancyInput!) {
  upsertVacancy(input: $input) { __typename ... on Vacancy { %s } ... on Error { code message } }
}"""
    % VACANCY_FIELDS
)

RECOMMENDATIONS = """
query R($first: Int) {
  myJobRecommendations(first: $first) {
    __typename
    ... on JobRecommendations {
      reason items { score explanation myAction vacancy { id portal title category regencyCode postedOn } }
    }
    ... on Error { code message }
  }
}"""

MARK = """
mutation M($id: ID!, $action: VacancyAction!) {
  markVacancy(vacancyId: $id, action: $action) {
    __typename ... on VacancyMark { vacancyId action at } ... on Error { code message }
  }
}"""

TRENDING = """
query T($province: String!, $month: String) {
  trendingJobs(provinceCode: $province, month: $month) {
    __typename
    ... on TrendingJobs { provinceCode provinceName month items { category applications vacancies } }
    ... on Error { code message }
  }
}"""

DOMICILE = """
query { myCase { ... on Case { id application { domicile { provinceCode regencyCode regencyName provinceName } } } } }"""
