"""help requests: topic, location, taken by, private replies

Revision ID: phone_0001
Revises: lead_0001
Create Date: 2026-12-01 10:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'phone_0001'
down_revision = 'lead_0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('location', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('taken_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('taken_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('replies', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_foreign_key(
            'fk_help_requests_taken_by_users', 'users', ['taken_by'], ['id'], ondelete='SET NULL'
        )


def downgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_constraint('fk_help_requests_taken_by_users', type_='foreignkey')
        batch_op.drop_column('replies')
        batch_op.drop_column('taken_at')
        batch_op.drop_column('taken_by')
        batch_op.drop_column('location')
        batch_op.drop_column('topic')
