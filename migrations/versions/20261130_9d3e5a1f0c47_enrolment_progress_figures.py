"""Progress figures kept on each enrolment (modules done, best scores, attempts, last activity), so reports over
thousands of learners read one table. Existing enrolments start with their enrolment date as last activity; the
rest is filled by `lms progress recompute` (or the learner's next completion or attempt).

Revision ID: 9d3e5a1f0c47
Revises: a4035fcc6365
Create Date: 2026-11-30 00:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '9d3e5a1f0c47'
down_revision = 'a4035fcc6365'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('modules_done', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('quiz_best', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('final_best', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('quiz_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE enrolments SET last_activity_at = enrolled_at")


def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('last_activity_at')
        batch_op.drop_column('quiz_attempts')
        batch_op.drop_column('final_best')
        batch_op.drop_column('quiz_best')
        batch_op.drop_column('modules_done')
