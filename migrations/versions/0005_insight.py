"""insight: outreach contacts, report highlights, door-to-door rounds, participation ladder, a covering index for reports

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-29 22:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outreach_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visitor_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_outreach_contact_location_id_location'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_outreach_contact_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visitor_id'], ['visitor.id'], name=op.f('fk_outreach_contact_visitor_id_visitor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_contact'))
    )
    with op.batch_alter_table('outreach_contact', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_contact_visitor_day', ['visitor_id', 'day'], unique=False)

    op.create_table('report_highlight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_report_highlight_location_id_location'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff.id'], name=op.f('fk_report_highlight_updated_by_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_highlight')),
    sa.UniqueConstraint('location_id', 'first_day', 'last_day', name=op.f('uq_report_highlight_location_id'))
    )
    op.create_table('flyer_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('areas', sa.String(length=500), nullable=False),
    sa.Column('flyers', sa.Integer(), nullable=False),
    sa.Column('marker', sa.String(length=6), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], name=op.f('fk_flyer_round_created_by_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_flyer_round_location_id_location'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flyer_round')),
    sa.UniqueConstraint('marker', name=op.f('uq_flyer_round_marker'))
    )
    with op.batch_alter_table('flyer_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flyer_round_location_id'), ['location_id'], unique=False)

    op.create_table('round_volunteer',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['flyer_round.id'], name=op.f('fk_round_volunteer_round_id_flyer_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_round_volunteer_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'staff_id', name=op.f('pk_round_volunteer'))
    )
    op.create_table('round_open',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['flyer_round.id'], name=op.f('fk_round_open_round_id_flyer_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_open')),
    sa.UniqueConstraint('round_id', 'day', name=op.f('uq_round_open_round_id'))
    )
    op.create_table('ladder_consent',
    sa.Column('visitor_id', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff.id'], name=op.f('fk_ladder_consent_recorded_by_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visitor_id'], ['visitor.id'], name=op.f('fk_ladder_consent_visitor_id_visitor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('visitor_id', name=op.f('pk_ladder_consent'))
    )
    op.create_table('ladder_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visitor_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('rung', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_ladder_step_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visitor_id'], ['visitor.id'], name=op.f('fk_ladder_step_visitor_id_visitor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ladder_step'))
    )
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ladder_step_visitor_id'), ['visitor_id'], unique=False)

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_report', ['location_id', 'day', 'visitor_id', 'activity_id', 'method', 'source', 'count'], unique=False)


def downgrade():
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_report')
    with op.batch_alter_table('ladder_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ladder_step_visitor_id'))
    op.drop_table('ladder_step')
    op.drop_table('ladder_consent')
    op.drop_table('round_open')
    op.drop_table('round_volunteer')
    with op.batch_alter_table('flyer_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flyer_round_location_id'))
    op.drop_table('flyer_round')
    op.drop_table('report_highlight')
    with op.batch_alter_table('outreach_contact', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_contact_visitor_day')
    op.drop_table('outreach_contact')
