"""organisations: every BOP, staff member and visitor belongs to one; staff are assigned to BOPs

An existing installation moves into one organisation, "Mijn organisatie", without losing anything:
every location, staff member and visitor joins it, and every worker and volunteer keeps the access
they had (they are assigned to every existing BOP). Rename the organisation on the staff pages.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_table(
        "staff_location",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["location_id"], ["location.id"], name=op.f("fk_staff_location_location_id_location"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_staff_location_staff_id_staff"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staff_id", "location_id", name=op.f("pk_staff_location")),
    )
    for table in ("staff", "location", "visitor"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))

    bind = op.get_bind()
    existing = any(bind.execute(sa.text(f"SELECT 1 FROM {t} LIMIT 1")).first()
                   for t in ("staff", "location", "visitor"))
    if existing:
        bind.execute(sa.text("INSERT INTO organisation (name, created_at) VALUES ('Mijn organisatie', CURRENT_TIMESTAMP)"))
        org_id = bind.execute(sa.text("SELECT id FROM organisation")).scalar_one()
        for table in ("staff", "location", "visitor"):
            bind.execute(sa.text(f"UPDATE {table} SET organisation_id = :org"), {"org": org_id})
        bind.execute(sa.text(
            "INSERT INTO staff_location (staff_id, location_id) "
            "SELECT staff.id, location.id FROM staff CROSS JOIN location WHERE staff.role <> 'coordinator'"))

    with op.batch_alter_table("staff") as batch:
        batch.create_index(batch.f("ix_staff_organisation_id"), ["organisation_id"])
        batch.create_foreign_key(batch.f("fk_staff_organisation_id_organisation"), "organisation",
                                 ["organisation_id"], ["id"], ondelete="CASCADE")
    for table in ("location", "visitor"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)
            batch.create_index(batch.f(f"ix_{table}_organisation_id"), ["organisation_id"])
            batch.create_foreign_key(batch.f(f"fk_{table}_organisation_id_organisation"), "organisation",
                                     ["organisation_id"], ["id"], ondelete="CASCADE")


def downgrade():
    for table in ("visitor", "location", "staff"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"fk_{table}_organisation_id_organisation"), type_="foreignkey")
            batch.drop_index(batch.f(f"ix_{table}_organisation_id"))
            batch.drop_column("organisation_id")
    op.drop_table("staff_location")
    op.drop_table("organisation")
