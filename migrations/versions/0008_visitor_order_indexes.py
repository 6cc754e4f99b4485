"""indexes for the staff's visitor pages: a visitor's visits latest first; an organisation's visitors by name

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 02:00:00

With a city's history (bench/bench_city.py: 1,000,000 check-ins, ~500 visits for a regular) the
visitor page sorted all of a visitor's visits for every page of 50, and the visitor list sorted
all of an organisation's visitors by name for every page. Both now read their page in order
from an index: `checkin (visitor_id, day, server_time)` and `visitor (organisation_id,
lower(name), id)`.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_visitor_id_day', ['visitor_id', 'day', 'server_time'], unique=False)
    op.create_index('ix_visitor_organisation_name', 'visitor', ['organisation_id', sa.text('lower(name)'), 'id'],
                    unique=False)


def downgrade():
    op.drop_index('ix_visitor_organisation_name', table_name='visitor')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_visitor_id_day')
