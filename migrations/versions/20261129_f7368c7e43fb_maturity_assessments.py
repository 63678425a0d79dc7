"""Maturity assessments: company profiles (size, sector), sharing with centres, versions and each person's answers.

Revision ID: f7368c7e43fb
Revises: 639f0358bdf1
Create Date: 2026-11-29 23:54:04.359235

"""
import sqlalchemy as sa
from alembic import op

revision = 'f7368c7e43fb'
down_revision = '639f0358bdf1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessment_company_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.String(length=16), nullable=False),
    sa.Column('sector', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_assessment_company_profiles_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_company_profiles')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_assessment_company_profiles_organisation_id'))
    )
    op.create_table('assessment_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['organisations.id'], name=op.f('fk_assessment_shares_centre_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['organisations.id'], name=op.f('fk_assessment_shares_company_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_shares')),
    sa.UniqueConstraint('company_id', 'centre_id', name=op.f('uq_assessment_shares_company_id'))
    )
    with op.batch_alter_table('assessment_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_shares_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_shares_company_id'), ['company_id'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assessments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_assessments_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('organisation_id', 'version', name=op.f('uq_assessments_organisation_id'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('assessment_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=16), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('shares_answers', sa.Boolean(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_responses_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_assessment_responses_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_responses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_responses')),
    sa.UniqueConstraint('assessment_id', 'user_id', name=op.f('uq_assessment_responses_assessment_id'))
    )
    with op.batch_alter_table('assessment_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_responses_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_responses_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('assessment_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_responses_user_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_responses_assessment_id'))

    op.drop_table('assessment_responses')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_organisation_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('assessment_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_shares_company_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_shares_centre_id'))

    op.drop_table('assessment_shares')
    op.drop_table('assessment_company_profiles')
