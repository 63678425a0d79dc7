import pytest

from lms.auth.redirects import safe_next


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
    "http:/evil.example", " //evil.example", "/\t/evil.example", "", None, "courses", "data:text/html,x",
])
def test_forged_next_urls_fall_back(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/courses/", "/courses/digital-hr?x=1", "/me/learning#top"])
def test_local_paths_are_kept(target):
    assert safe_next(target, "/home") == target


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%5Cevil.example", "/%2F/evil.example", "/%0a/x",
                                    "/\x7f/evil.example"])
def test_percent_encoded_tricks_fall_back(target):
    assert safe_next(target, "/home") == "/home"
