"""The menus each kind of person sees (lms.nav.menus): a rule on roles, worked out once per set of roles."""
from lms.nav import ADMIN_NAV, MAIN_NAV, menus


def _main(roles):
    return menus(None if roles is None else frozenset(roles))[2][0]


def test_a_visitor_sees_only_the_public_entries():
    main, admin, (endpoints, admin_endpoints) = menus(None)
    assert endpoints == ("courses.catalogue", "labs.index", "profiles.directory")
    assert [e for e, _label in main] == list(endpoints)
    assert admin == () and admin_endpoints == ()


def test_each_role_adds_its_own_entries_to_what_every_signed_in_person_sees():
    signed_in = ("courses.catalogue", "labs.index", "profiles.directory", "progress.learning", "assessment.index")
    assert _main(["learner"]) == signed_in
    assert _main([]) == signed_in  # a person with no role yet
    trainer = _main(["trainer"])
    assert {"courses.authoring_index", "quiz_authoring.index", "progress.teaching"} <= set(trainer)
    assert "labs.coordination" not in trainer and "progress.staff" not in trainer
    assert _main(["coordinator"]) == (*signed_in, "labs.coordination")
    assert _main(["company_manager"]) == (*signed_in, "progress.staff")
    assert _main(["its_staff"]) == (*signed_in, "progress.cohorts")
    both = _main(["trainer", "coordinator"])
    assert "labs.coordination" in both and "courses.authoring_index" in both
    assert menus(frozenset({"trainer"}))[1] == ()  # no admin menu but for admins


def test_an_admin_sees_every_entry_and_the_admin_menu_in_order():
    main, admin, (endpoints, admin_endpoints) = menus(frozenset({"admin"}))
    assert endpoints == tuple(e for e, _label, _roles in MAIN_NAV)
    assert admin_endpoints == tuple(e for e, _label in ADMIN_NAV) and list(admin) == ADMIN_NAV
