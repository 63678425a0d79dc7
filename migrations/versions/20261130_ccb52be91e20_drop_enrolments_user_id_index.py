"""Drop ix_enrolments_user_id: the enrolments' unique (user_id, course_id) and the reports' index of figures
after user_id (ix_enrolments_user_figures) both begin with user_id, so each serves every lookup by person
(including the cascade when a person is deleted); the single-column index only cost writes and space.

Revision ID: ccb52be91e20
Revises: e5b6c7d8f9a0
Create Date: 2026-11-30 06:05:00

"""
from alembic import op

revision = 'ccb52be91e20'
down_revision = 'e5b6c7d8f9a0'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_enrolments_user_id', table_name='enrolments')


def downgrade():
    op.create_index('ix_enrolments_user_id', 'enrolments', ['user_id'], unique=False)
