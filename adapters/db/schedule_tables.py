"""Tables of schedules with a quota, their seats, courses' entry requirements and sandbox codes (migration 0014)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, ForeignKey, Integer, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

from adapters.db.tables import metadata

course_schedules = Table(
    "course_schedules",
    metadata,
    Column("schedule_code", Text, primary_key=True),
    Column("course_code", Text, ForeignKey("courses.course_code"), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("quota", Integer, nullable=False),
    Column("taken", Integer, nullable=False, server_default="0"),
    Column("sandbox", Boolean, nullable=False, server_default="false"),
)

schedule_seats = Table(
    "schedule_seats",
    metadata,
    Column("purchase_key", Text, primary_key=True),
    Column("schedule_code", Text, ForeignKey("course_schedules.schedule_code"), nullable=False),
    Column("voucher_code", Text, unique=True),
    Column("invoice_url", Text, nullable=False, server_default=""),
    Column("released_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

course_requirements = Table(
    "course_requirements",
    metadata,
    Column("course_code", Text, ForeignKey("courses.course_code"), primary_key=True),
    Column("min_age", Integer),
    Column("max_age", Integer),
    Column("min_education", Text),
)

sandbox_codes = Table(
    "sandbox_codes",
    metadata,
    Column("redeem_code", Text, primary_key=True),
    Column("provider_code", Text, nullable=False),
    Column("test_case", Text, nullable=False),
    Column("mode", Text, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("redeemed_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

attendance_emails = Table(
    "attendance_emails",
    metadata,
    Column("course_code", Text, primary_key=True),
    Column("email_digest", Text, primary_key=True),
    Column("case_id", Text, nullable=False),
    Column("redeem_code", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sandbox_tasks = Table(
    "sandbox_tasks",
    metadata,
    Column("redeem_code", Text, ForeignKey("sandbox_codes.redeem_code"), primary_key=True),
    Column("sequence", BigInteger, primary_key=True),
    Column("task", JSONB, nullable=False, comment="domain.training.tasks.SkillsTask"),
    comment="TPM/UK tasks of sandbox PRAT- codes (0020); reset deletes them",
)
