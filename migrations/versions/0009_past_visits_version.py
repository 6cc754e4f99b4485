"""location.past_visits_version: moved by every check-in of an earlier day added, changed or removed

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 07:30:00

The kept week planner shows the last four full weeks' visits. Counting them on every request
cost the planner a third of its speed; its state now holds this counter instead
(`bop.checkin.past_visits` moves it).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(sa.Column('past_visits_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_column('past_visits_version')
