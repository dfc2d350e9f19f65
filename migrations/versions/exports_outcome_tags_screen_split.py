"""outcome tags on polls and questions; the projector's split by stakeholder group

Revision ID: exports_0001
Revises: feature_phones_0001 (main's head when merged)
Create Date: 2026-12-01 10:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'exports_0001'
down_revision = 'feature_phones_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.Integer(), nullable=True))

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.Integer(), nullable=True))

    with op.batch_alter_table('live_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('screen_groups', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('live_states', schema=None) as batch_op:
        batch_op.drop_column('screen_groups')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('outcome')

    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_column('outcome')
