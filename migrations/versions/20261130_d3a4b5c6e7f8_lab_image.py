"""A lab's photo or diagram (labs/media/<file>), shown on the labs index and the lab page.

Revision ID: d3a4b5c6e7f8
Revises: c92d3e4f5a6b
Create Date: 2026-11-30 02:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd3a4b5c6e7f8'
down_revision = 'c92d3e4f5a6b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('labs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('labs', schema=None) as batch_op:
        batch_op.drop_column('image')
