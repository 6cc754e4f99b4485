"""activity_translation.threshold_note: the reassurance line per language

"U hoeft zich niet aan te melden. Geen ervaring nodig." can be translated per activity, like its
title and summary; empty means the Dutch line is shown (marked as Dutch).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity_translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('threshold_note', sa.String(length=200), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('activity_translation', schema=None) as batch_op:
        batch_op.drop_column('threshold_note')
