"""safety: per-event word lists and gazetteer additions; flagged items

Revision ID: safety_0001
Revises: exports_0001
Create Date: 2026-12-01 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'safety_0001'
down_revision = 'exports_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('safety_lists',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('abuse_words', sa.JSON(), nullable=False),
    sa.Column('grooming_phrases', sa.JSON(), nullable=False),
    sa.Column('places', sa.JSON(), nullable=False),
    sa.Column('schools', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_table('safety_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('target_type', sa.String(length=12), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('grooming', sa.Boolean(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['handled_by'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('safety_flags', schema=None) as batch_op:
        batch_op.create_index('ix_safety_flags_event_grooming', ['event_id', 'grooming'], unique=False)
        batch_op.create_index('ix_safety_flags_target', ['target_type', 'target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('safety_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_flags_target')
        batch_op.drop_index('ix_safety_flags_event_grooming')
    op.drop_table('safety_flags')
    op.drop_table('safety_lists')
