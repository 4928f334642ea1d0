"""Initial schema: countries, users, campaigns, submissions, answers, evidence, review
comments and the audit trail.

Revision ID: 30ce340122c7
Revises:
Create Date: 2026-11-28 21:49:02.281729+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "30ce340122c7"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=120), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column(
            "definition",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("definition_hash", sa.String(length=64), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("closes_on >= opens_on", name=op.f("ck_campaigns_closes_after_opening")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
        sa.UniqueConstraint(
            "questionnaire_id",
            "questionnaire_version",
            "title",
            name=op.f("uq_campaigns_questionnaire_id_questionnaire_version_title"),
        ),
    )
    op.create_index(
        op.f("ix_campaigns_questionnaire_id"), "campaigns", ["questionnaire_id"], unique=False
    )

    op.create_table(
        "countries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso2", sa.String(length=2), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column(
            "region",
            sa.Enum(
                "africa",
                "americas",
                "arab_states",
                "asia_pacific",
                "cis",
                "europe",
                name="region",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "itu_status",
            sa.Enum(
                "member", "observer", name="itu_status", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.CheckConstraint("length(iso2) = 2", name=op.f("ck_countries_iso2_length")),
        sa.CheckConstraint("length(iso3) = 3", name=op.f("ck_countries_iso3_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_countries")),
        sa.UniqueConstraint("iso2", name=op.f("uq_countries_iso2")),
        sa.UniqueConstraint("iso3", name=op.f("uq_countries_iso3")),
    )
    op.create_index(op.f("ix_countries_region"), "countries", ["region"], unique=False)

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "returned",
                "validated",
                "published",
                name="submission_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("revision >= 0", name=op.f("ck_submissions_revision_not_negative")),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaigns.id"], name=op.f("fk_submissions_campaign_id_campaigns")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_submissions_country_id_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint(
            "campaign_id", "country_id", name=op.f("uq_submissions_campaign_id_country_id")
        ),
    )
    op.create_index(
        op.f("ix_submissions_campaign_id"), "submissions", ["campaign_id"], unique=False
    )
    op.create_index(op.f("ix_submissions_country_id"), "submissions", ["country_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "reviewer",
                "focal_point",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(role = 'focal_point') = (country_id IS NOT NULL)",
            name=op.f("ck_users_country_iff_focal_point"),
        ),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lowercase")),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_users_country_id_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_index(op.f("ix_users_country_id"), "users", ["country_id"], unique=False)

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column(
            "value",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_answers_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_answers_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "submission_id", "question_id", name=op.f("uq_answers_submission_id_question_id")
        ),
    )
    op.create_index(op.f("ix_answers_updated_by_id"), "answers", ["updated_by_id"], unique=False)

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "positive",
                "change",
                "negative",
                "security",
                name="audit_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("module", sa.String(length=50), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("country_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "meta",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_audit_events_country_id_countries")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_audit_events_submission_id_submissions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_audit_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(
        op.f("ix_audit_events_country_id"), "audit_events", ["country_id"], unique=False
    )
    op.create_index(
        op.f("ix_audit_events_occurred_dt"), "audit_events", ["occurred_dt"], unique=False
    )
    op.create_index(
        op.f("ix_audit_events_submission_id"), "audit_events", ["submission_id"], unique=False
    )
    op.create_index(op.f("ix_audit_events_user_id"), "audit_events", ["user_id"], unique=False)

    op.create_table(
        "review_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_resolved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_review_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_review_comments_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_comments")),
    )
    op.create_index(
        op.f("ix_review_comments_submission_id"), "review_comments", ["submission_id"], unique=False
    )

    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "file", "link", name="evidence_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("storage_key", sa.String(length=100), nullable=True),
        sa.Column("original_name", sa.String(length=255), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("deleted_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind != 'file' OR (storage_key IS NOT NULL AND sha256 IS NOT NULL "
            "AND size IS NOT NULL)",
            name=op.f("ck_evidence_file_is_stored"),
        ),
        sa.CheckConstraint(
            "kind != 'link' OR url IS NOT NULL", name=op.f("ck_evidence_link_has_url")
        ),
        sa.CheckConstraint("size IS NULL OR size >= 0", name=op.f("ck_evidence_size_not_negative")),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_evidence_answer_id_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_evidence_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_evidence_storage_key")),
    )
    op.create_index(op.f("ix_evidence_answer_id"), "evidence", ["answer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_answer_id"), table_name="evidence")

    op.drop_table("evidence")
    op.drop_index(op.f("ix_review_comments_submission_id"), table_name="review_comments")

    op.drop_table("review_comments")
    op.drop_index(op.f("ix_audit_events_user_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_submission_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_occurred_dt"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_country_id"), table_name="audit_events")

    op.drop_table("audit_events")
    op.drop_index(op.f("ix_answers_updated_by_id"), table_name="answers")

    op.drop_table("answers")
    op.drop_index(op.f("ix_users_country_id"), table_name="users")

    op.drop_table("users")
    op.drop_index(op.f("ix_submissions_country_id"), table_name="submissions")
    op.drop_index(op.f("ix_submissions_campaign_id"), table_name="submissions")

    op.drop_table("submissions")
    op.drop_index(op.f("ix_countries_region"), table_name="countries")

    op.drop_table("countries")
    op.drop_index(op.f("ix_campaigns_questionnaire_id"), table_name="campaigns")

    op.drop_table("campaigns")
