"""Rules about profiles: who has one, who sees and edits it, and what a valid profile holds.

Plain functions over the session: they add and flush; the request's unit of work (or a CLI command) commits.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect, select
from sqlalchemy.exc import IntegrityError

from lms.auth.models import User
from lms.dbtypes import utcnow
from lms.extensions import db
from lms.orgs.models import Organisation
from lms.profiles import vocabulary
from lms.profiles.bio import active_content
from lms.profiles.models import LEVEL_NAMES, PROFILE_ROLES, VISIBILITIES, Profile, ProfileCompetence

TAG_MAX = 40
TAGS_MAX = 30
BIO_MAX = 10_000
RESERVED_SLUGS = {"add", "by-email", "new", "preview"}
_TAG_ALLOWED = re.compile(r"^[\w .+#/&'-]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{6,30}$")


class ProfileError(ValueError):
    """A rule refused the change. `errors` maps a field name to a message safe to show; nothing was changed."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# Who has a profile, who sees it, who edits it -----------------------------------------------------------

def is_eligible(user: User, profile: Profile | None = None) -> bool:
    """Trainers and ITS staff have a profile; so does anyone an admin listed. Deactivated accounts do not."""
    if not user.is_active:
        return False
    return user.has_role(*PROFILE_ROLES) or bool(profile is not None and profile.is_listed_by_admin)


def can_view(profile: Profile, viewer) -> bool:
    """A public profile is for everyone; a "signed_in" one for people with an account."""
    return profile.is_public or bool(getattr(viewer, "is_authenticated", False))


def can_edit(profile: Profile, user) -> bool:
    """Admins edit any profile; the person edits their own while they have one; nobody else."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or (profile.user_id == user.id and is_eligible(user, profile))


# Creating a profile -----------------------------------------------------------------------------------

def slugify(text: str) -> str:
    """ASCII lower-case words joined by hyphens ("Nicolò D'Amico" -> "nicolo-d-amico"); "person" if none."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")
    return slug or "person"


def unique_slug(name: str) -> str:
    """A slug for `name` that no profile has yet: "giulia-ferri", then "giulia-ferri-2", ..."""
    base = slugify(name)
    taken = set(db.session.scalars(select(Profile.slug).where(Profile.slug.like(f"{base}%"))))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def profile_of(user: User) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def _default_organisation(user: User) -> Organisation | None:
    """The ITS foundation the person belongs to, else their first organisation by name."""
    orgs = memberships_of(user)
    return next((o for o in orgs if o.is_its), orgs[0] if orgs else None)


def memberships_of(user: User) -> list[Organisation]:
    from lms.orgs.people import organisations_of

    return organisations_of(user)


def get_or_create_profile(user: User, now: datetime, listed_by_admin: bool = False) -> Profile:
    """The person's profile, made if they have none (a role that brings one, an admin listing them, the demo).

    Two requests creating the same profile at once are safe: the loser of the unique constraints (user_id, slug)
    rolls back its savepoint and reads the winner's row, or tries the next free slug.
    """
    profile = profile_of(user)
    if profile is not None:
        if listed_by_admin and not profile.is_listed_by_admin:
            profile.is_listed_by_admin = True
        return profile
    organisation = _default_organisation(user)
    for _attempt in range(5):
        try:
            with db.session.begin_nested():
                profile = Profile(user=user, slug=unique_slug(user.name), organisation=organisation,
                                  languages=[], is_listed_by_admin=listed_by_admin, created_at=now, updated_at=now)
                db.session.add(profile)
        except IntegrityError:
            existing = profile_of(user)
            if existing is not None:
                return existing
            continue  # someone else took the slug: pick the next one
        return profile
    raise RuntimeError(f"could not create a profile for user {user.id}")


def ensure_profiles(now: datetime, user_ids: set[int] | None = None) -> int:
    """Create the missing profiles of every active trainer and ITS-staff member (of `user_ids`, when given);
    returns how many were made."""
    from lms.auth.models import UserRole

    stmt = select(User).where(User.is_active.is_(True),
                              User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(PROFILE_ROLES))),
                              User.id.not_in(select(Profile.user_id)))
    if user_ids is not None:
        stmt = stmt.where(User.id.in_(user_ids))
    missing = db.session.scalars(stmt).all()
    for user in missing:
        get_or_create_profile(user, now)
    return len(missing)


# A person who is given a role with a profile, or whose account with such a role is reactivated, gets the profile
# in the same transaction, so that the directory and the profile pages only ever read (lms.unit_of_work: GETs are
# read-only); one who joins an organisation gets it shown on a profile that shows none yet. The accounts and
# organisations features know nothing of profiles: new role and membership rows and accounts set active are
# noted when flushed, and the profiles made before the commit. (Accounts that held their role before profiles
# came with roles got theirs from the migration f864fe601d3c, profiles_for_existing_role_holders.)
_NEW_HOLDERS = "lms.profiles.new_holders"
_NEW_MEMBERS = "lms.profiles.new_members"


def _note_new_rows(session, _flush_context):
    from lms.auth.models import UserRole
    from lms.orgs.models import Membership

    holders = {row.user_id for row in session.new if isinstance(row, UserRole) and row.role in PROFILE_ROLES}
    # A role given while the account was deactivated brought no profile: reactivating it does (ensure_profiles
    # makes only the missing ones of role holders).
    holders |= {row.id for row in session.dirty
                if isinstance(row, User) and True in inspect(row).attrs.is_active.history.added}
    members = {row.user_id for row in session.new if isinstance(row, Membership)}
    if holders:
        session.info.setdefault(_NEW_HOLDERS, set()).update(holders)
    if members:
        session.info.setdefault(_NEW_MEMBERS, set()).update(members)


def _make_profiles(session):
    session.flush()  # before_commit runs before the commit's own flush: note what is still pending
    holders, members = session.info.pop(_NEW_HOLDERS, None), session.info.pop(_NEW_MEMBERS, None)
    if holders:
        ensure_profiles(utcnow(), user_ids=holders)
    if members:
        for profile in db.session.scalars(select(Profile).where(Profile.user_id.in_(members),
                                                                Profile.organisation_id.is_(None))):
            profile.organisation = _default_organisation(profile.user)


def _forget_new_rows(session, previous_transaction):
    if not previous_transaction.nested:  # a savepoint rolling back leaves the outer transaction's rows
        session.info.pop(_NEW_HOLDERS, None)
        session.info.pop(_NEW_MEMBERS, None)


def init_hooks():
    # Listeners are process-wide; several apps (tests) must not add them twice.
    for name, listener in (("after_flush", _note_new_rows), ("before_commit", _make_profiles),
                           ("after_soft_rollback", _forget_new_rows)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


def grouped_competences(profile: Profile) -> tuple[list[tuple[str, str, list[ProfileCompetence]]], list]:
    """([(group, group label, rows)], other rows) for showing: experts first, then in the vocabulary's order;
    free tags and slugs no longer in the vocabulary go to "other rows"."""
    held = {c.slug: c for c in profile.vocabulary_competences}
    groups = []
    for group, label, items in vocabulary.grouped():
        rows = [held.pop(c.slug) for c in items if c.slug in held]
        if rows:
            groups.append((group, label, sorted(rows, key=lambda r: not r.is_expert)))  # stable: order kept
    others = sorted(list(held.values()) + profile.free_tags, key=lambda r: (not r.is_expert, r.slug or r.tag))
    return groups, others


# Validating what a person types -------------------------------------------------------------------------

def normalise_tag(text: str) -> str:
    """A free tag as stored: NFKC, trimmed, single spaces, lower case; ProfileError if empty, too long or odd."""
    tag = " ".join(unicodedata.normalize("NFKC", text or "").split()).lower()
    if not tag:
        raise ProfileError({"tags": str(_l("A tag cannot be empty."))})
    if len(tag) > TAG_MAX:
        raise ProfileError({"tags": str(_l("“%(tag)s” is too long: a tag has at most %(n)d characters.",
                                           tag=tag, n=TAG_MAX))})
    if not _TAG_ALLOWED.match(tag):
        raise ProfileError({"tags": str(_l("“%(tag)s”: use letters, digits, spaces and . + # / & ' - only.",
                                           tag=tag))})
    return tag


def parse_tags(text: str) -> list[str]:
    """Comma- or semicolon-separated tags, normalised, duplicates dropped, order kept; empty items ignored."""
    result = []
    for part in re.split(r"[,;\n]", text or ""):
        if part.strip():
            tag = normalise_tag(part)
            if tag not in result:
                result.append(tag)
    return result


def vocabulary_slug_for(tag: str) -> str | None:
    """The vocabulary slug a normalised free tag names (by slug or by an English or Italian label), or None."""
    for competence in vocabulary.competences():
        names = {competence.slug, competence.label.lower(), competence.label_it.lower()}
        if tag in names or tag.replace(" ", "-") == competence.slug:
            return competence.slug
    return None


def clean_url(value: str, linkedin: bool = False) -> str:
    """An http(s) URL with a host, or "" for empty input; ProfileError otherwise (javascript:, data:, ftp: ...)."""
    value = (value or "").strip()
    if not value:
        return ""
    key = "linkedin_url" if linkedin else "website"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 bracket)
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host or len(value) > 300 \
            or any(ch.isspace() for ch in value):
        raise ProfileError({key: str(_l("Enter a full web address starting with https:// or http://."))})
    if linkedin and not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise ProfileError({key: str(_l("Enter the address of a LinkedIn page (https://www.linkedin.com/in/...)."))})
    return value


def clean_phone(value: str) -> str:
    value = " ".join((value or "").split())
    if value and not _PHONE.match(value):
        raise ProfileError({"phone": str(_l("Enter a phone number with digits, spaces and an optional leading +."))})
    return value


def clean_bio(text: str) -> str:
    """The bio as stored; refused when too long or when it carries script-like HTML.

    Rendering sanitises every bio anyway; refusing obvious payloads tells the person at once why their
    text would not show as typed, instead of silently dropping parts of it.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > BIO_MAX:
        raise ProfileError({"bio": str(_l("The bio is too long: at most %(n)d characters.", n=BIO_MAX))})
    found = active_content(text)
    if found:
        raise ProfileError({"bio": str(_l(
            "The bio contains HTML that could run code (%(what)s), so it was not saved. Write it in Markdown: "
            "**bold**, *italic*, [link](https://...), lists; HTML like that is never shown.", what=found))})
    return text


@dataclass
class ProfileChanges:
    """What the edit form sends, as plain values (the view fills it; clean_changes() checks it)."""

    headline: str = ""
    bio: str = ""
    organisation_id: int | None = None
    languages: list[str] = field(default_factory=list)
    show_email: bool = False
    phone: str = ""
    website: str = ""
    linkedin_url: str = ""
    visibility: str = "signed_in"
    competences: dict[str, str] = field(default_factory=dict)  # vocabulary slug -> level
    teach_tags: str = ""
    expert_tags: str = ""
    is_listed_by_admin: bool | None = None  # None: the editor is not an admin, leave it as it is


def clean_changes(profile: Profile, changes: ProfileChanges) -> ProfileChanges:
    """A checked copy of `changes` for `profile`; ProfileError with every problem found, field by field."""
    errors: dict[str, str] = {}
    clean = ProfileChanges(show_email=bool(changes.show_email), is_listed_by_admin=changes.is_listed_by_admin)

    def check(name, fn, *args):
        try:
            return fn(*args)
        except ProfileError as exc:
            errors[name] = next(iter(exc.errors.values()))
            return None

    headline = " ".join((changes.headline or "").split())
    if len(headline) > 150:
        errors["headline"] = str(_l("The headline is too long: at most 150 characters."))
    clean.headline = headline
    clean.bio = check("bio", clean_bio, changes.bio) or ""
    clean.phone = check("phone", clean_phone, changes.phone) or ""
    clean.website = check("website", clean_url, changes.website) or ""
    clean.linkedin_url = check("linkedin_url", clean_url, changes.linkedin_url, True) or ""

    if changes.organisation_id:
        allowed = {o.id for o in memberships_of(profile.user)}
        if changes.organisation_id not in allowed:
            errors["organisation_id"] = str(_l("Choose one of the organisations this person belongs to."))
        clean.organisation_id = changes.organisation_id

    unknown = [code for code in changes.languages if code not in vocabulary.LANGUAGES]
    if unknown:
        errors["languages"] = str(_l("Unknown language: %(codes)s", codes=", ".join(unknown)))
    clean.languages = [code for code in vocabulary.LANGUAGES if code in set(changes.languages)]

    if changes.visibility not in VISIBILITIES:
        errors["visibility"] = str(_l("Choose who can see the profile."))
    clean.visibility = changes.visibility

    known = vocabulary.by_slug()
    bad = [slug for slug in changes.competences if slug not in known]
    if bad:
        errors["competences"] = str(_l("Unknown competence: %(slugs)s", slugs=", ".join(bad)))
    if any(level not in LEVEL_NAMES for level in changes.competences.values()):
        errors["competences"] = str(_l("Choose “can teach” or “expert” for each competence."))
    clean.competences = dict(changes.competences)

    teach = check("teach_tags", parse_tags, changes.teach_tags) or []
    expert = check("expert_tags", parse_tags, changes.expert_tags) or []
    # A free tag that names a vocabulary competence ("Digital twin") becomes that competence, so the
    # directory's competence filter finds it.
    for tags, level in ((expert, "expert"), (teach, "can_teach")):
        for tag in list(tags):
            slug = vocabulary_slug_for(tag)
            if slug:
                tags.remove(tag)
                if clean.competences.get(slug) != "expert":
                    clean.competences[slug] = level
    if len(teach) + len(expert) > TAGS_MAX:
        errors["teach_tags"] = str(_l("At most %(n)d free tags.", n=TAGS_MAX))
    clean.teach_tags = ", ".join(t for t in teach if t not in expert)
    clean.expert_tags = ", ".join(expert)
    if errors:
        raise ProfileError(errors)
    return clean


def apply_changes(profile: Profile, clean: ProfileChanges, now: datetime) -> None:
    """Write checked changes (from clean_changes) onto the profile; competences are replaced as a set."""
    for name in ("headline", "bio", "organisation_id", "languages", "show_email", "phone", "website",
                 "linkedin_url", "visibility"):
        setattr(profile, name, getattr(clean, name))
    if clean.is_listed_by_admin is not None:
        profile.is_listed_by_admin = clean.is_listed_by_admin
    set_competences(profile, clean.competences, parse_tags(clean.teach_tags), parse_tags(clean.expert_tags))
    profile.updated_at = now


def set_competences(profile: Profile, levels: dict[str, str], teach_tags: list[str], expert_tags: list[str]):
    """Make the profile's competences exactly these; rows that stay keep their id. Inputs must be clean."""
    wanted: dict[tuple[str, str], str] = {("slug", s): level for s, level in levels.items()}
    wanted.update({("tag", t): "can_teach" for t in teach_tags})
    wanted.update({("tag", t): "expert" for t in expert_tags})
    kept = []
    for row in profile.competences:
        key = ("slug", row.slug) if row.slug else ("tag", row.tag)
        if key in wanted:
            row.level = wanted.pop(key)
            kept.append(row)
    for (kind, value), level in wanted.items():
        kept.append(ProfileCompetence(slug=value if kind == "slug" else None,
                                      tag=value if kind == "tag" else None, level=level))
    profile.competences = kept
    db.session.flush()
