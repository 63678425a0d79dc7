"""Composite indexes for the progress reports over a 10,000-learner foundation: the enrolments' progress
figures after user_id (the reports' aggregates read the index alone), user_roles by (role, user_id) and
bookings by (status, user_id).

Revision ID: f3fdbda43379
Revises: d3a4b5c6e7f8
Create Date: 2026-11-30 04:00:00

"""
from alembic import op

revision = 'f3fdbda43379'
down_revision = 'd3a4b5c6e7f8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_enrolments_user_figures', 'enrolments',
                    ['user_id', 'course_id', 'completed_at', 'modules_done', 'quiz_best', 'last_activity_at'])
    op.create_index('ix_user_roles_role_user_id', 'user_roles', ['role', 'user_id'])
    op.create_index('ix_bookings_status_user_id', 'bookings', ['status', 'user_id'])


def downgrade():
    op.drop_index('ix_bookings_status_user_id', table_name='bookings')
    op.drop_index('ix_user_roles_role_user_id', table_name='user_roles')
    op.drop_index('ix_enrolments_user_figures', table_name='enrolments')
