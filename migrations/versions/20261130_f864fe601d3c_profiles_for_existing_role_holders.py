"""A profile for every active trainer and ITS-staff member who has none: accounts given their role before
profiles came with roles got theirs on their first visit to "My profile" (a write on a GET); now every role
holder has one, made as the role grant makes it (lms.profiles.rules.ensure_profiles): slug from the name,
unique, never a reserved word; the person's ITS foundation, else their first organisation by name; members-only,
empty, not listed by an admin.

The data step is written here in Core, not by calling the app's rules, which may change after this revision:
PROFILE_ROLES, RESERVED_SLUGS, _slugify and _unique_slug are copies, on purpose, of lms.profiles.models and
lms.profiles.rules (slugify, unique_slug) as they stand at this revision; a later change there must not change
what this revision did.

Revision ID: f864fe601d3c
Revises: ccb52be91e20
Create Date: 2026-11-30 07:00:00

"""
import re
import unicodedata
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = 'f864fe601d3c'
down_revision = 'ccb52be91e20'
branch_labels = None
depends_on = None

PROFILE_ROLES = ('trainer', 'its_staff')
RESERVED_SLUGS = {'add', 'by-email', 'new', 'preview'}  # /people/<word> routes

users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                 sa.column('is_active', sa.Boolean))
user_roles = sa.table('user_roles', sa.column('user_id', sa.Integer), sa.column('role', sa.String))
organisations = sa.table('organisations', sa.column('id', sa.Integer), sa.column('name', sa.String),
                         sa.column('kind', sa.String))
memberships = sa.table('memberships', sa.column('organisation_id', sa.Integer), sa.column('user_id', sa.Integer))
profiles = sa.table(
    'profiles', sa.column('user_id', sa.Integer), sa.column('slug', sa.String), sa.column('headline', sa.String),
    sa.column('bio', sa.Text), sa.column('organisation_id', sa.Integer), sa.column('languages', sa.JSON),
    sa.column('show_email', sa.Boolean), sa.column('phone', sa.String), sa.column('website', sa.String),
    sa.column('linkedin_url', sa.String), sa.column('visibility', sa.String),
    sa.column('is_listed_by_admin', sa.Boolean), sa.column('photo', sa.String),
    sa.column('created_at', sa.DateTime(timezone=True)), sa.column('updated_at', sa.DateTime(timezone=True)))


def _slugify(text):
    """ASCII lower-case words joined by hyphens ("Nicolò D'Amico" -> "nicolo-d-amico"); "person" if none."""
    ascii_text = unicodedata.normalize('NFKD', text or '').encode('ascii', 'ignore').decode()
    slug = re.sub(r'[^a-z0-9]+', '-', ascii_text.lower()).strip('-')[:80].strip('-')
    return slug or 'person'


def _unique_slug(name, taken):
    base = _slugify(name)
    if base not in taken:
        return base
    n = 2
    while f'{base}-{n}' in taken:
        n += 1
    return f'{base}-{n}'


def upgrade():
    conn = op.get_bind()
    missing = conn.execute(
        sa.select(users.c.id, users.c.name)
        .where(users.c.is_active.is_(True),
               users.c.id.in_(sa.select(user_roles.c.user_id).where(user_roles.c.role.in_(PROFILE_ROLES))),
               users.c.id.not_in(sa.select(profiles.c.user_id)))
        .order_by(users.c.id)).all()
    if not missing:
        return
    organisations_of = {}  # user id -> [(organisation id, is ITS)], by organisation name
    for user_id, organisation_id, kind in conn.execute(
            sa.select(memberships.c.user_id, organisations.c.id, organisations.c.kind)
            .join(organisations, organisations.c.id == memberships.c.organisation_id)
            .where(memberships.c.user_id.in_([user_id for user_id, _name in missing]))
            .order_by(memberships.c.user_id, organisations.c.name)):
        organisations_of.setdefault(user_id, []).append((organisation_id, kind == 'its'))
    taken = set(conn.scalars(sa.select(profiles.c.slug))) | RESERVED_SLUGS
    now = datetime.now(UTC)
    if conn.dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)  # SQLite keeps no offset: the app stores UTC without one there
    rows = []
    for user_id, name in missing:
        orgs = organisations_of.get(user_id, [])
        organisation_id = next((o for o, is_its in orgs if is_its), orgs[0][0] if orgs else None)
        slug = _unique_slug(name, taken)
        taken.add(slug)
        rows.append({'user_id': user_id, 'slug': slug, 'headline': '', 'bio': '', 'organisation_id': organisation_id,
                     'languages': [], 'show_email': False, 'phone': '', 'website': '', 'linkedin_url': '',
                     'visibility': 'signed_in', 'is_listed_by_admin': False, 'photo': None,
                     'created_at': now, 'updated_at': now})
    conn.execute(profiles.insert(), rows)


def downgrade():
    pass  # a profile made here is like any other: it may have been filled in since, so it stays
