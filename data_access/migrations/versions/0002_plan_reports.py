"""plan reports: units and schools write quarterly reports, every version kept

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

Extends the plan tables rather than replacing them, so every reader of quarterly_report and
task_progress keeps working:

- plan_task: ``key`` (stable and unambiguous: ``P2023-1.1``, ``DX-1.1``, ``AH-<id>``),
  ``reporter`` and ``quarter`` (ad-hoc tasks only).
- quarterly_report: ``reporter`` (unit code or ``school:<institution id>``, unique with the
  quarter instead of unit_code), ``institution_id``, ``state``, ``late``, ``amended_late``,
  ``updated_at`` and the return (``returned_at``, ``returned_by``, ``return_comment``).
- task_progress: columns (5) and (6) per item (``difficulties``, ``recommendations``).
- report_version: every saved state of a report with the full item values as JSON.
- app_user: ``institution_id`` (school accounts) and ``must_change_password``.
"""

from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("reporter", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("quarter", sa.String(length=6), nullable=True))
    op.execute(
        "UPDATE plan_task SET key = CASE kind WHEN 'item' THEN 'P2023-' || code "
        "WHEN 'dx' THEN 'DX-' || code ELSE upper(kind) || '-' || code END"
    )
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_plan_task_key"), ["key"])
        batch_op.create_index(batch_op.f("ix_plan_task_reporter"), ["reporter"], unique=False)

    with op.batch_alter_table("quarterly_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporter", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("state", sa.String(length=12), nullable=False, server_default="draft")
        )
        for name in ("late", "amended_late"):
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
            )
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("returned_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("returned_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("return_comment", sa.Text(), nullable=True))
    op.execute("UPDATE quarterly_report SET reporter = unit_code")
    op.execute("UPDATE quarterly_report SET state = 'submitted' WHERE submitted_at IS NOT NULL")
    day = "date(submitted_at)" if op.get_bind().dialect.name == "sqlite" else "submitted_at::date"
    op.execute(
        f"UPDATE quarterly_report SET late = CASE WHEN {day} > due_on THEN TRUE ELSE FALSE END "
        "WHERE submitted_at IS NOT NULL"
    )
    with op.batch_alter_table("quarterly_report", schema=None) as batch_op:
        batch_op.alter_column("reporter", existing_type=sa.String(length=40), nullable=False)
        batch_op.drop_constraint("uq_quarterly_report_unit_code", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_quarterly_report_reporter"), ["reporter", "quarter"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_quarterly_report_institution_id_institution"),
            "institution",
            ["institution_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_quarterly_report_reporter"), ["reporter"])
        batch_op.create_index(batch_op.f("ix_quarterly_report_quarter"), ["quarter"])
        batch_op.create_index(batch_op.f("ix_quarterly_report_institution_id"), ["institution_id"])

    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.add_column(sa.Column("difficulties", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("recommendations", sa.Text(), nullable=True))

    op.create_table(
        "report_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["quarterly_report.id"],
            name=op.f("fk_report_version_report_id_quarterly_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_version")),
        sa.UniqueConstraint("report_id", "number", name=op.f("uq_report_version_report_id")),
    )
    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_version_report_id"), ["report_id"])

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("institution_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_app_user_institution_id_institution"),
            "institution",
            ["institution_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_app_user_institution_id"), ["institution_id"])


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_institution_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_app_user_institution_id_institution"), type_="foreignkey"
        )
        batch_op.drop_column("must_change_password")
        batch_op.drop_column("institution_id")

    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_version_report_id"))
    op.drop_table("report_version")

    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.drop_column("recommendations")
        batch_op.drop_column("difficulties")

    # Reports of schools (and any second report of a unit in a quarter) cannot live under the
    # old (unit_code, quarter) key: they, their items and versions go.
    op.execute(
        "DELETE FROM task_progress WHERE report_id IN "
        "(SELECT id FROM quarterly_report WHERE reporter <> unit_code)"
    )
    op.execute("DELETE FROM quarterly_report WHERE reporter <> unit_code")
    with op.batch_alter_table("quarterly_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarterly_report_institution_id"))
        batch_op.drop_index(batch_op.f("ix_quarterly_report_quarter"))
        batch_op.drop_index(batch_op.f("ix_quarterly_report_reporter"))
        batch_op.drop_constraint(
            batch_op.f("fk_quarterly_report_institution_id_institution"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_quarterly_report_reporter"), type_="unique")
        batch_op.create_unique_constraint("uq_quarterly_report_unit_code", ["unit_code", "quarter"])
        for name in (
            "return_comment",
            "returned_by",
            "returned_at",
            "updated_at",
            "amended_late",
            "late",
            "state",
            "institution_id",
            "reporter",
        ):
            batch_op.drop_column(name)

    op.execute(
        "DELETE FROM task_progress WHERE task_id IN (SELECT id FROM plan_task WHERE kind = 'adhoc')"
    )
    op.execute(
        "DELETE FROM plan_task_unit WHERE task_id IN "
        "(SELECT id FROM plan_task WHERE kind = 'adhoc')"
    )
    op.execute("DELETE FROM plan_task WHERE kind = 'adhoc'")
    with op.batch_alter_table("plan_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_reporter"))
        batch_op.drop_constraint(batch_op.f("uq_plan_task_key"), type_="unique")
        batch_op.drop_column("quarter")
        batch_op.drop_column("reporter")
        batch_op.drop_column("key")
