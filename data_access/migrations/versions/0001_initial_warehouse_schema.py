"""initial warehouse schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29

The same script runs on SQLite and on PostgreSQL; on PostgreSQL it also enables PostGIS
and adds GiST indexes on the geometry columns.
"""

from alembic import op
import sqlalchemy as sa
import data_access.types


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


GIST_INDEXES = (
    ("ix_admin_unit_geom", "admin_unit"),
    ("ix_institution_geom", "institution"),
)


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _is_postgres():
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "admin_unit",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=True),
        sa.Column("unit_type", sa.String(length=32), nullable=True),
        sa.Column("parent_id", sa.String(length=16), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("population_note", sa.String(length=200), nullable=True),
        sa.Column("centroid_lon", sa.Float(), nullable=True),
        sa.Column("centroid_lat", sa.Float(), nullable=True),
        sa.Column("geom", data_access.types.Geometry("MULTIPOLYGON"), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["admin_unit.id"],
            name=op.f("fk_admin_unit_parent_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_unit")),
    )
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_admin_unit_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_unit_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_unit_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_username"), ["username"], unique=False)

    op.create_table(
        "data_domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name_vi", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("supervising_units", sa.String(length=120), nullable=False),
        sa.Column("refresh_days", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_domain")),
        sa.UniqueConstraint("slug", name=op.f("uq_data_domain_slug")),
    )
    op.create_table(
        "data_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("licence", sa.String(length=120), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_source")),
        sa.UniqueConstraint("key", name=op.f("uq_data_source_key")),
    )
    op.create_table(
        "dx_criteria_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dx_criteria_set")),
        sa.UniqueConstraint("code", name=op.f("uq_dx_criteria_set_code")),
    )
    op.create_table(
        "plan_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("group", sa.String(length=200), nullable=False),
        sa.Column("title_vi", sa.Text(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=True),
        sa.Column("lead_units", sa.String(length=200), nullable=False),
        sa.Column("partner_units", sa.String(length=300), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status_early_2023", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task")),
        sa.UniqueConstraint("kind", "code", name=op.f("uq_plan_task_kind")),
    )
    op.create_table(
        "plan_unit",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name_vi", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_plan_unit")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_api_token_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_token_token_sha256")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "dx_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("title_vi", sa.String(length=300), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["dx_criteria_set.id"],
            name=op.f("fk_dx_criterion_set_id_dx_criteria_set"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dx_criterion")),
        sa.UniqueConstraint("set_id", "code", name=op.f("uq_dx_criterion_set_id")),
    )
    with op.batch_alter_table("dx_criterion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dx_criterion_set_id"), ["set_id"], unique=False)

    op.create_table(
        "ingestion_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset", sa.String(length=40), nullable=False),
        sa.Column("domain_id", sa.Integer(), nullable=True),
        sa.Column("source_system", sa.String(length=120), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_in", sa.Integer(), nullable=False),
        sa.Column("rows_loaded", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Text(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["domain_id"],
            ["data_domain.id"],
            name=op.f("fk_ingestion_batch_domain_id_data_domain"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingestion_batch")),
    )
    with op.batch_alter_table("ingestion_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingestion_batch_dataset"), ["dataset"], unique=False)

    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=True),
        sa.Column("grade_from", sa.Integer(), nullable=True),
        sa.Column("grade_to", sa.Integer(), nullable=True),
        sa.Column("ownership", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("ward_id", sa.String(length=16), nullable=False),
        sa.Column("old_ward_id", sa.String(length=16), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("geom", data_access.types.Geometry("POINT"), nullable=True),
        sa.Column("programmes", sa.Text(), nullable=True),
        sa.Column("opened_year", sa.Integer(), nullable=True),
        sa.Column("closed_year", sa.Integer(), nullable=True),
        sa.Column("licence_no", sa.String(length=40), nullable=True),
        sa.Column("licence_issued", sa.Date(), nullable=True),
        sa.Column("licence_valid_until", sa.Date(), nullable=True),
        sa.Column("licence_status", sa.String(length=16), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["old_ward_id"],
            ["admin_unit.id"],
            name=op.f("fk_institution_old_ward_id_admin_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["ward_id"],
            ["admin_unit.id"],
            name=op.f("fk_institution_ward_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institution")),
        sa.UniqueConstraint("code", name=op.f("uq_institution_code")),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_institution_old_ward_id"), ["old_ward_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_institution_ownership"), ["ownership"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_ward_id"), ["ward_id"], unique=False)

    op.create_table(
        "plan_task_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=24), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["plan_task.id"],
            name=op.f("fk_plan_task_unit_task_id_plan_task"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_task_unit")),
        sa.UniqueConstraint("task_id", "unit_code", name=op.f("uq_plan_task_unit_task_id")),
    )
    with op.batch_alter_table("plan_task_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_task_unit_task_id"), ["task_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_task_unit_unit_code"), ["unit_code"], unique=False
        )

    op.create_table(
        "population",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("age_group", sa.String(length=8), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_population_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_population")),
        sa.UniqueConstraint("unit_id", "year", "age_group", name=op.f("uq_population_unit_id")),
    )
    with op.batch_alter_table("population", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_population_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "quarterly_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=24), nullable=False),
        sa.Column("quarter", sa.String(length=6), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("difficulties", sa.Text(), nullable=True),
        sa.Column("proposals", sa.Text(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"],
            ["plan_unit.code"],
            name=op.f("fk_quarterly_report_unit_code_plan_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quarterly_report")),
        sa.UniqueConstraint("unit_code", "quarter", name=op.f("uq_quarterly_report_unit_code")),
    )
    with op.batch_alter_table("quarterly_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quarterly_report_unit_code"), ["unit_code"], unique=False
        )

    op.create_table(
        "unit_crosswalk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_unit_id", sa.String(length=16), nullable=False),
        sa.Column("new_unit_id", sa.String(length=16), nullable=False),
        sa.Column("partly_merged", sa.Boolean(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("weight_is_estimate", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["new_unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_unit_crosswalk_new_unit_id_admin_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["old_unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_unit_crosswalk_old_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_crosswalk")),
        sa.UniqueConstraint(
            "old_unit_id", "new_unit_id", name=op.f("uq_unit_crosswalk_old_unit_id")
        ),
    )
    with op.batch_alter_table("unit_crosswalk", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unit_crosswalk_new_unit_id"), ["new_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_unit_crosswalk_old_unit_id"), ["old_unit_id"], unique=False
        )

    op.create_table(
        "user_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_code"],
            ["plan_unit.code"],
            name=op.f("fk_user_unit_unit_code_plan_unit"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_unit_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_unit")),
        sa.UniqueConstraint("user_id", "unit_code", name=op.f("uq_user_unit_user_id")),
    )
    with op.batch_alter_table("user_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_unit_user_id"), ["user_id"], unique=False)

    op.create_table(
        "admission_cutoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("nv1", sa.Float(), nullable=True),
        sa.Column("nv2", sa.Float(), nullable=True),
        sa.Column("nv3", sa.Float(), nullable=True),
        sa.Column("score_scale_max", sa.Integer(), nullable=False),
        sa.Column("name_as_published", sa.String(length=200), nullable=False),
        sa.Column("district_as_published", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_admission_cutoff_institution_id_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admission_cutoff")),
        sa.UniqueConstraint("year", "institution_id", name=op.f("uq_admission_cutoff_year")),
    )
    with op.batch_alter_table("admission_cutoff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_admission_cutoff_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_admission_cutoff_year"), ["year"], unique=False)

    op.create_table(
        "dx_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("set_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("self_group1", sa.Float(), nullable=False),
        sa.Column("self_group2", sa.Float(), nullable=False),
        sa.Column("reviewed_group1", sa.Float(), nullable=True),
        sa.Column("reviewed_group2", sa.Float(), nullable=True),
        sa.Column("mandatory_met", sa.Boolean(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_dx_assessment_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["set_id"],
            ["dx_criteria_set.id"],
            name=op.f("fk_dx_assessment_set_id_dx_criteria_set"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dx_assessment")),
        sa.UniqueConstraint(
            "institution_id",
            "set_id",
            "school_year",
            name=op.f("uq_dx_assessment_institution_id"),
        ),
    )
    with op.batch_alter_table("dx_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dx_assessment_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_dx_assessment_school_year"), ["school_year"], unique=False
        )

    op.create_table(
        "fact_admin",
        sa.Column("awards", sa.Integer(), nullable=False),
        sa.Column("disciplinary_cases", sa.Integer(), nullable=False),
        sa.Column("inspections", sa.Integer(), nullable=False),
        sa.Column("inspection_findings", sa.Integer(), nullable=False),
        sa.Column("documents_processed", sa.Integer(), nullable=False),
        sa.Column("documents_online", sa.Integer(), nullable=False),
        sa.Column("it_incidents", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_admin_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_admin_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_admin_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_admin")),
        sa.UniqueConstraint(
            "school_year", "institution_id", name=op.f("uq_fact_admin_school_year")
        ),
    )
    with op.batch_alter_table("fact_admin", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_admin_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fact_admin_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_admin_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_enrolment",
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("girls", sa.Integer(), nullable=False),
        sa.Column("classes", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_enrolment_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_enrolment_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_enrolment_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_enrolment")),
        sa.UniqueConstraint(
            "school_year",
            "institution_id",
            "grade",
            name=op.f("uq_fact_enrolment_school_year"),
        ),
    )
    with op.batch_alter_table("fact_enrolment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_enrolment_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_fact_enrolment_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_enrolment_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_exam",
        sa.Column("exam", sa.String(length=16), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("mean_score", sa.Float(), nullable=False),
        sa.Column("pass_rate", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_exam_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_exam_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["admin_unit.id"], name=op.f("fk_fact_exam_unit_id_admin_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_exam")),
        sa.UniqueConstraint(
            "school_year",
            "institution_id",
            "exam",
            name=op.f("uq_fact_exam_school_year"),
        ),
    )
    with op.batch_alter_table("fact_exam", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_exam_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_exam_school_year"), ["school_year"], unique=False)
        batch_op.create_index(batch_op.f("ix_fact_exam_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_facility",
        sa.Column("classrooms", sa.Integer(), nullable=False),
        sa.Column("classrooms_solid", sa.Integer(), nullable=False),
        sa.Column("functional_rooms", sa.Integer(), nullable=False),
        sa.Column("computer_rooms", sa.Integer(), nullable=False),
        sa.Column("computers", sa.Integer(), nullable=False),
        sa.Column("smart_classrooms", sa.Integer(), nullable=False),
        sa.Column("site_area_m2", sa.Float(), nullable=False),
        sa.Column("internet_mbps", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_facility_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_facility_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_facility_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_facility")),
        sa.UniqueConstraint(
            "school_year", "institution_id", name=op.f("uq_fact_facility_school_year")
        ),
    )
    with op.batch_alter_table("fact_facility", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_facility_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_fact_facility_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_facility_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_health",
        sa.Column("pupils_examined", sa.Integer(), nullable=False),
        sa.Column("overweight", sa.Integer(), nullable=False),
        sa.Column("underweight", sa.Integer(), nullable=False),
        sa.Column("myopia", sa.Integer(), nullable=False),
        sa.Column("insured", sa.Integer(), nullable=False),
        sa.Column("conduct_good", sa.Integer(), nullable=False),
        sa.Column("life_skills_participants", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_health_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_health_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_health_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_health")),
        sa.UniqueConstraint(
            "school_year", "institution_id", name=op.f("uq_fact_health_school_year")
        ),
    )
    with op.batch_alter_table("fact_health", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_health_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_fact_health_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_health_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_nonpublic",
        sa.Column("learners", sa.Integer(), nullable=False),
        sa.Column("staff", sa.Integer(), nullable=False),
        sa.Column("foreign_staff", sa.Integer(), nullable=False),
        sa.Column("courses", sa.Integer(), nullable=False),
        sa.Column("inspections", sa.Integer(), nullable=False),
        sa.Column("violations", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_nonpublic_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_nonpublic_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_nonpublic_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_nonpublic")),
        sa.UniqueConstraint(
            "school_year", "institution_id", name=op.f("uq_fact_nonpublic_school_year")
        ),
    )
    with op.batch_alter_table("fact_nonpublic", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_nonpublic_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_fact_nonpublic_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_nonpublic_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_outcome",
        sa.Column("pupils_assessed", sa.Integer(), nullable=False),
        sa.Column("promoted", sa.Integer(), nullable=False),
        sa.Column("retained", sa.Integer(), nullable=False),
        sa.Column("dropouts", sa.Integer(), nullable=False),
        sa.Column("graduates", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_outcome_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_outcome_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_outcome_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_outcome")),
        sa.UniqueConstraint(
            "school_year", "institution_id", name=op.f("uq_fact_outcome_school_year")
        ),
    )
    with op.batch_alter_table("fact_outcome", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_outcome_institution_id"),
            ["institution_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_fact_outcome_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_outcome_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "fact_staff",
        sa.Column("teachers", sa.Integer(), nullable=False),
        sa.Column("teachers_female", sa.Integer(), nullable=False),
        sa.Column("teachers_above_standard", sa.Integer(), nullable=False),
        sa.Column("managers", sa.Integer(), nullable=False),
        sa.Column("support_staff", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=16), nullable=False),
        sa.Column("generated", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["ingestion_batch.id"],
            name=op.f("fk_fact_staff_batch_id_ingestion_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_fact_staff_institution_id_institution"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_fact_staff_unit_id_admin_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_staff")),
        sa.UniqueConstraint(
            "school_year", "institution_id", name=op.f("uq_fact_staff_school_year")
        ),
    )
    with op.batch_alter_table("fact_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fact_staff_institution_id"), ["institution_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_fact_staff_school_year"), ["school_year"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_fact_staff_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "task_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("work_done", sa.Text(), nullable=True),
        sa.Column("next_quarter", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["quarterly_report.id"],
            name=op.f("fk_task_progress_report_id_quarterly_report"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["plan_task.id"],
            name=op.f("fk_task_progress_task_id_plan_task"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_progress")),
        sa.UniqueConstraint("report_id", "task_id", name=op.f("uq_task_progress_report_id")),
    )
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_progress_report_id"), ["report_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_progress_task_id"), ["task_id"], unique=False)

    op.create_table(
        "dx_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("self_score", sa.Float(), nullable=False),
        sa.Column("reviewed_score", sa.Float(), nullable=True),
        sa.Column("evidence", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["dx_assessment.id"],
            name=op.f("fk_dx_score_assessment_id_dx_assessment"),
        ),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["dx_criterion.id"],
            name=op.f("fk_dx_score_criterion_id_dx_criterion"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dx_score")),
        sa.UniqueConstraint(
            "assessment_id", "criterion_id", name=op.f("uq_dx_score_assessment_id")
        ),
    )
    with op.batch_alter_table("dx_score", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dx_score_assessment_id"), ["assessment_id"], unique=False
        )

    if _is_postgres():
        for name, table in GIST_INDEXES:
            op.create_index(name, table, ["geom"], postgresql_using="gist")


def downgrade() -> None:
    if _is_postgres():
        for name, table in GIST_INDEXES:
            op.drop_index(name, table_name=table)
    with op.batch_alter_table("dx_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dx_score_assessment_id"))

    op.drop_table("dx_score")
    with op.batch_alter_table("task_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_progress_task_id"))
        batch_op.drop_index(batch_op.f("ix_task_progress_report_id"))

    op.drop_table("task_progress")
    with op.batch_alter_table("fact_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_staff_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_staff_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_staff_institution_id"))

    op.drop_table("fact_staff")
    with op.batch_alter_table("fact_outcome", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_outcome_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_outcome_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_outcome_institution_id"))

    op.drop_table("fact_outcome")
    with op.batch_alter_table("fact_nonpublic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_nonpublic_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_nonpublic_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_nonpublic_institution_id"))

    op.drop_table("fact_nonpublic")
    with op.batch_alter_table("fact_health", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_health_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_health_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_health_institution_id"))

    op.drop_table("fact_health")
    with op.batch_alter_table("fact_facility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_facility_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_facility_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_facility_institution_id"))

    op.drop_table("fact_facility")
    with op.batch_alter_table("fact_exam", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_exam_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_exam_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_exam_institution_id"))

    op.drop_table("fact_exam")
    with op.batch_alter_table("fact_enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_enrolment_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_enrolment_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_enrolment_institution_id"))

    op.drop_table("fact_enrolment")
    with op.batch_alter_table("fact_admin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_admin_unit_id"))
        batch_op.drop_index(batch_op.f("ix_fact_admin_school_year"))
        batch_op.drop_index(batch_op.f("ix_fact_admin_institution_id"))

    op.drop_table("fact_admin")
    with op.batch_alter_table("dx_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dx_assessment_school_year"))
        batch_op.drop_index(batch_op.f("ix_dx_assessment_institution_id"))

    op.drop_table("dx_assessment")
    with op.batch_alter_table("admission_cutoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admission_cutoff_year"))
        batch_op.drop_index(batch_op.f("ix_admission_cutoff_institution_id"))

    op.drop_table("admission_cutoff")
    with op.batch_alter_table("user_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_unit_user_id"))

    op.drop_table("user_unit")
    with op.batch_alter_table("unit_crosswalk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_crosswalk_old_unit_id"))
        batch_op.drop_index(batch_op.f("ix_unit_crosswalk_new_unit_id"))

    op.drop_table("unit_crosswalk")
    with op.batch_alter_table("quarterly_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarterly_report_unit_code"))

    op.drop_table("quarterly_report")
    with op.batch_alter_table("population", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_population_unit_id"))

    op.drop_table("population")
    with op.batch_alter_table("plan_task_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_unit_code"))
        batch_op.drop_index(batch_op.f("ix_plan_task_unit_task_id"))

    op.drop_table("plan_task_unit")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_ward_id"))
        batch_op.drop_index(batch_op.f("ix_institution_ownership"))
        batch_op.drop_index(batch_op.f("ix_institution_old_ward_id"))
        batch_op.drop_index(batch_op.f("ix_institution_name"))
        batch_op.drop_index(batch_op.f("ix_institution_level"))
        batch_op.drop_index(batch_op.f("ix_institution_kind"))

    op.drop_table("institution")
    with op.batch_alter_table("ingestion_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingestion_batch_dataset"))

    op.drop_table("ingestion_batch")
    with op.batch_alter_table("dx_criterion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dx_criterion_set_id"))

    op.drop_table("dx_criterion")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_user_id"))

    op.drop_table("api_token")
    op.drop_table("plan_unit")
    op.drop_table("plan_task")
    op.drop_table("dx_criteria_set")
    op.drop_table("data_source")
    op.drop_table("data_domain")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_username"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    op.drop_table("app_user")
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_admin_unit_parent_id"))
        batch_op.drop_index(batch_op.f("ix_admin_unit_kind"))
        batch_op.drop_index(batch_op.f("ix_admin_unit_code"))

    op.drop_table("admin_unit")
