import pytest

from tests.progress.factories import build_world


@pytest.fixture
def world(app):
    return build_world()
