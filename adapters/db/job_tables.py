"""Tables of the job board (migration 0009): vacancies from job portals and participants' marks on them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, ForeignKey, Table, Text

from adapters.db.tables import metadata

vacancies = Table(
    "vacancies",
    metadata,
    Column("id", Text, primary_key=True, comment="<portal client code>:<the portal's vacancy ID>"),
    Column("portal", Text, nullable=False),
    Column("external_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("province_code", Text, nullable=False),
    Column("regency_code", Text),
    Column("employer", Text, nullable=False),
    Column("salary_min", BigInteger, comment="integer rupiah per month"),
    Column("salary_max", BigInteger),
    Column("posted_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("url", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

vacancy_marks = Table(
    "vacancy_marks",
    metadata,
    Column("case_id", Text, primary_key=True),
    Column("vacancy_id", Text, ForeignKey("vacancies.id"), primary_key=True),
    Column("action", Text, nullable=False, comment="APPLIED or NOT_INTERESTED; the latest wins"),
    Column("at", DateTime(timezone=True), nullable=False),
)
