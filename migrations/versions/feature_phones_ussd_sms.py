"""feature phones: USSD sessions, participant channel and phone hash, the event's phone key

Revision ID: feature_phones_0001
Revises: events_0001
Create Date: 2026-12-01 10:30:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'feature_phones_0001'
down_revision = 'events_0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ussd_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_key', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('participant_id', sa.String(length=32), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('last_text', sa.Text(), nullable=False),
    sa.Column('last_reply', sa.Text(), nullable=False),
    sa.Column('steps', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_key')
    )
    with op.batch_alter_table('ussd_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ussd_sessions_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ussd_sessions_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ussd_sessions_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='web'))
        batch_op.add_column(sa.Column('phone_hash', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_participants_event_phone', ['event_id', 'phone_hash'], unique=True)

    # Every existing event gets a key of its own (random, like a new event's).
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_key', sa.String(length=64), nullable=True))
    events = sa.table('events', sa.column('id', sa.Integer), sa.column('phone_key', sa.String))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(events.c.id)).all():
        connection.execute(
            events.update().where(events.c.id == event_id).values(phone_key=secrets.token_hex(32))
        )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('phone_key', existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('phone_key')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_event_phone')
        batch_op.drop_column('phone_hash')
        batch_op.drop_column('channel')
    with op.batch_alter_table('ussd_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ussd_sessions_updated_at'))
        batch_op.drop_index(batch_op.f('ix_ussd_sessions_participant_id'))
        batch_op.drop_index(batch_op.f('ix_ussd_sessions_event_id'))
    op.drop_table('ussd_sessions')
