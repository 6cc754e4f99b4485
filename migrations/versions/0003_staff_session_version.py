"""staff.session_version: server-side revocation of sessions

Logging out, a new password and switching an account off raise the number; the session and
remember-me cookies carry it, and a cookie with an older number is refused.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('session_version')
