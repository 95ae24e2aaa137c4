"""jobs: vacancies upserted by job portals (keyed by portal and the portal's vacancy ID) and participants'
marks on them (the latest action per case and vacancy)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "vacancies",
        sa.Column("id", sa.Text, primary_key=True, comment="<portal client code>:<the portal's vacancy ID>"),
        sa.Column("portal", sa.Text, nullable=False),
        sa.Column("external_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("province_code", sa.Text, nullable=False),
        sa.Column("regency_code", sa.Text, nullable=True),
        sa.Column("employer", sa.Text, nullable=False),
        sa.Column("salary_min", sa.BigInteger, nullable=True, comment="integer rupiah per month"),
        sa.Column("salary_max", sa.BigInteger, nullable=True),
        sa.Column("posted_on", sa.Date, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("portal", "external_id", name="uq_vacancies_portal_external_id"),
        sa.CheckConstraint("id = portal || ':' || external_id", name="ck_vacancies_id"),
        sa.CheckConstraint("expires_on > posted_on", name="ck_vacancies_dates"),
        sa.CheckConstraint(
            "(salary_min IS NULL OR salary_min > 0) AND (salary_max IS NULL OR salary_max > 0)"
            " AND (salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max)",
            name="ck_vacancies_salary",
        ),
        sa.CheckConstraint("url LIKE 'https://%'", name="ck_vacancies_url"),
    )
    op.create_index("ix_vacancies_province_expires", "vacancies", ["province_code", "expires_on"])
    # Categories match case-insensitively (ranking and trending compare lower(category)).
    op.create_index("ix_vacancies_category", "vacancies", [sa.text("lower(category)")])
    op.create_table(
        "vacancy_marks",
        sa.Column("case_id", sa.Text, sa.ForeignKey("cases.case_id"), primary_key=True),
        sa.Column("vacancy_id", sa.Text, sa.ForeignKey("vacancies.id"), primary_key=True),
        sa.Column(
            "action",
            sa.Text,
            sa.CheckConstraint("action IN ('APPLIED', 'NOT_INTERESTED')", name="ck_vacancy_marks_action"),
            nullable=False,
        ),
        sa.Column("at", _TS, nullable=False),
    )
    op.create_index("ix_vacancy_marks_vacancy", "vacancy_marks", ["vacancy_id"])
    op.create_index(
        "ix_vacancy_marks_applied_at", "vacancy_marks", ["at"], postgresql_where=sa.text("action = 'APPLIED'")
    )


def downgrade() -> None:
    op.drop_table("vacancy_marks")
    op.drop_table("vacancies")
