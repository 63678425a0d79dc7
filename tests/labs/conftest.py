from tests.labs.factories import make_lab, make_person, make_session  # noqa: F401  (fixtures)
