"""Course editions (translation_of), covers and their labs; a lab's fee, languages and translations.

The search index now holds word stems: its rows are cleared here, and `lms content sync` (or
`lms content reindex`) rebuilds every course that has none.

Revision ID: 0215c33ad7b6
Revises: 2680ec42bc81
Create Date: 2026-11-29 23:40:41.697786

"""
import sqlalchemy as sa
from alembic import op

revision = '0215c33ad7b6'
down_revision = '2680ec42bc81'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translation_of', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('cover', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('lab_slugs', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.create_index(batch_op.f('ix_courses_translation_of'), ['translation_of'], unique=False)

    with op.batch_alter_table('labs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False, server_default='{}'))

    op.execute("DELETE FROM search_documents")


def downgrade():
    with op.batch_alter_table('labs', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('languages')
        batch_op.drop_column('fee')

    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_courses_translation_of'))
        batch_op.drop_column('lab_slugs')
        batch_op.drop_column('cover')
        batch_op.drop_column('translation_of')
