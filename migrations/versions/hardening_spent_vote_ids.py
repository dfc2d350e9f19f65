"""spent vote ids (a poll reset forgets its vote receipts), question wall delta seqs

Revision ID: hardening_0001
Revises: safety_0001
Create Date: 2026-12-01 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'hardening_0001'
down_revision = 'safety_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('spent_vote_ids',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'client_id')
    )
    # Receipts of polls reset before this migration: their ids become spent ids, the receipts go.
    op.execute(
        "INSERT INTO spent_vote_ids (poll_id, client_id) "
        "SELECT DISTINCT r.poll_id, r.client_id FROM vote_receipts r "
        "JOIN polls p ON p.id = r.poll_id "
        "WHERE NOT EXISTS (SELECT 1 FROM responses s WHERE s.poll_id = r.poll_id "
        "AND s.participant_id = r.participant_id AND s.client_id = r.client_id) AND p.generation > 0"
    )


    # The question wall's deltas: which seq last changed each question.
    with op.batch_alter_table('questions') as batch:
        batch.add_column(sa.Column('wall_seq', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('content_seq', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('left_wall_seq', sa.Integer(), server_default='0', nullable=False))
        batch.create_index('ix_questions_item_wall_seq', ['agenda_item_id', 'wall_seq'], unique=False)


def downgrade():
    with op.batch_alter_table('questions') as batch:
        batch.drop_index('ix_questions_item_wall_seq')
        batch.drop_column('left_wall_seq')
        batch.drop_column('content_seq')
        batch.drop_column('wall_seq')
    op.drop_table('spent_vote_ids')
