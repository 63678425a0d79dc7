"""The accessibility crawler's rules, without a browser: which addresses are one page, and which are not pages."""
from tests.browser.crawl import PER_VIEW, SKIP, crawl, page_key


def test_ids_and_query_values_collapse_but_slugs_and_query_names_do_not(app):
    urls = app.url_map
    assert page_key(urls, "/labs/sessions/9", "") == page_key(urls, "/labs/sessions/12", "")
    assert page_key(urls, "/labs/calendar", "date=2026-10-01&view=month") == \
        page_key(urls, "/labs/calendar", "view=week&date=2027-01-04")
    assert page_key(urls, "/labs/calendar", "view=month") != page_key(urls, "/labs/calendar", "")
    assert page_key(urls, "/courses/digital-hr", "") != page_key(urls, "/courses/hr-digitale", "")
    assert page_key(urls, "/no/such/page", "") is None
    # A redirect (the slash a blueprint adds) is the page it leads to.
    assert page_key(urls, "/courses", "") == page_key(urls, "/courses/", "")


def test_downloads_feeds_and_media_are_not_crawled():
    for path in ("/logout", "/labs/bookings/3.ics", "/labs/sessions/3/bookings.csv", "/progress/certificates/1.pdf",
                 "/labs/feed/abc/labs/cobot-cell.ics", "/courses/x/files/a.png", "/people/giulia-ferri/photo",
                 "/progress/organisations/2/export.xlsx", "/authoring/x/export.zip", "/api/v1/courses",
                 "/static/css/app.css", "/healthz", "/quiz/attempts/4/submit"):
        assert SKIP.search(path), path
    for path in ("/labs/sessions/3", "/courses/digital-hr", "/progress/organisations/2", "/people/giulia-ferri"):
        assert not SKIP.search(path), path


def test_the_crawl_is_breadth_first_capped_and_visits_a_few_of_each_slugged_view(app):
    base = "http://127.0.0.1:5000"
    site = {"/": ["/courses/", "https://example.org/", "/labs/sessions/1", "/labs/bookings/1.ics#x"],
            "/courses/": [f"/courses/course-{n}" for n in range(5)],
            "/labs/sessions/1": ["/labs/sessions/2", "/labs/sessions/3?x=1"]}

    def visit(url):
        return [base + href if href.startswith("/") else href for href in site.get(url[len(base):], [])]

    visited = crawl(app.url_map, base, visit, limit=50)
    assert visited[:3] == ["/", "/courses/", "/labs/sessions/1"]
    assert "/labs/sessions/2" not in visited and "/labs/sessions/3?x=1" in visited
    assert len([p for p in visited if p.startswith("/courses/course-")]) == PER_VIEW
    assert not [p for p in visited if "example.org" in p or p.endswith(".ics")]
    assert crawl(app.url_map, base, visit, limit=2) == ["/", "/courses/"]
