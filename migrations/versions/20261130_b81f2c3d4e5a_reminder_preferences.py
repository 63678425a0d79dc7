"""The reminders each person switched off in their settings.

Revision ID: b81f2c3d4e5a
Revises: 9d3e5a1f0c47
Create Date: 2026-11-30 01:15:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b81f2c3d4e5a'
down_revision = '9d3e5a1f0c47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminders_off', sa.JSON(), nullable=False, server_default='[]'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('reminders_off')
