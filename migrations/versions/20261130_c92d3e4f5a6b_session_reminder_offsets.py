"""A lab session's own reminder offsets (None: the platform's default).

Revision ID: c92d3e4f5a6b
Revises: b81f2c3d4e5a
Create Date: 2026-11-30 01:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c92d3e4f5a6b'
down_revision = 'b81f2c3d4e5a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lab_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_offsets', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('lab_sessions', schema=None) as batch_op:
        batch_op.drop_column('reminder_offsets')
