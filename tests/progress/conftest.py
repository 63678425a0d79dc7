import pytest

from tests.progress.factories import PASSWORD, build_world


@pytest.fixture
def world(app):
    return build_world()


@pytest.fixture
def sign_in(app):
    """A fresh client signed in as the world's person `key` (e.g. "its_x")."""
    def do(key):
        client = app.test_client()
        response = client.post("/login", data={"email": f"{key}@example.com", "password": PASSWORD})
        assert response.status_code in (302, 303), response.data[:500]
        return client
    return do
