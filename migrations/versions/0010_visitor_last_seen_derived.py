"""visitor.last_seen_at goes: "last seen" is the day of the visitor's latest check-in

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 07:45:00

Every kiosk scan updated the visitor's row only to keep this copy of what the check-ins already
say, and the copy outlived them: when a visitor's old check-ins are anonymised, "who came when" is
to be forgotten, but last_seen_at kept the day. The staff pages now read it from the check-ins
(`bop.visitors.records.last_visits`), and a scan writes one row less.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


# A plain ALTER TABLE, also on SQLite (3.35 and later, which the kiosk's INSERT ... RETURNING needs
# too): a batch copy of the table would lose the expression index on lower(name) (migration 0008).
def upgrade():
    op.drop_column('visitor', 'last_seen_at')


def downgrade():
    op.add_column('visitor', sa.Column('last_seen_at', sa.DateTime(), nullable=True))
    # Filled again from the check-ins that still name their visitor.
    op.execute("UPDATE visitor SET last_seen_at = (SELECT max(checkin.server_time) FROM checkin "
               "WHERE checkin.visitor_id = visitor.id)")
