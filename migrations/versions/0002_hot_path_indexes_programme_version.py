"""hot-path indexes: check-ins by (location_id, day); the programme version of a location

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 22:45:00

Today's list, today.json, the kiosk's today and visit counts ask `location_id = ? AND day = ?`;
SQLite used the single-column index and read every check-in of the BOP (or of the day at every
BOP). The composite index replaces the one on location_id alone, which it also serves.

location.programme_version / programme_changed_at: moved on by every change of the programme
(bop.planning.versioning); the public pages' ETag and Last-Modified come from them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_location_id_day', ['location_id', 'day'], unique=False)
        batch_op.drop_index(batch_op.f('ix_checkin_location_id'))
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(sa.Column('programme_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('programme_changed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_column('programme_changed_at')
        batch_op.drop_column('programme_version')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_location_id'), ['location_id'], unique=False)
        batch_op.drop_index('ix_checkin_location_id_day')
