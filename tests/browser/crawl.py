"""A breadth-first crawler over the pages one signed-in person can reach, for the accessibility checks.

It starts at / and follows same-origin links only: no forms are sent, so the crawl changes nothing. Addresses
that name the same view with other ids (or other values of the same query parameters) are one page; a view
named by slugs (a course, a module) is visited for at most `PER_VIEW` of them, so each kind of page is seen
without reading every module of every course.
"""
import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

PER_VIEW = 2
# Not pages: downloads, feeds, media, machine endpoints, and the one GET that may act (an expired attempt's submit).
SKIP = re.compile(r"""(
    /logout | \.(ics|csv|pdf|xlsx|zip|gift|png|jpe?g|gif|webp|svg)$ | /feed/ | /files/ | /photo$ | /export
    | ^/(static|bootstrap|api)/ | ^/(healthz|readyz)$ | /submit$
)""", re.X)
LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
    .filter(a => !a.hasAttribute('download')).map(a => a.href)"""


def page_key(url_map, path, query):
    """(view, ids collapsed, slugs kept, query names) for a path, or None for what is not a page of the app."""
    try:
        endpoint, args = url_map.bind("127.0.0.1").match(path, method="GET")
    except RequestRedirect as redirect:
        return page_key(url_map, urlsplit(redirect.new_url).path, query)
    except HTTPException:
        return None
    kept = tuple(sorted((name, value) for name, value in args.items() if not isinstance(value, int)))
    return endpoint, kept, tuple(sorted({name for name, _ in parse_qsl(query, keep_blank_values=True)}))


def crawl(url_map, base, visit, limit):
    """Visit up to `limit` pages breadth-first from /; `visit(url)` opens one and returns the hrefs on it.
    Returns the paths visited, in order."""
    origin = urlsplit(base).netloc
    seen, per_view, visited = set(), {}, []
    queue = deque([base + "/"])
    while queue and len(visited) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        key = page_key(url_map, parts.path, parts.query)
        if key is None or key in seen or (key[1] and per_view.get(key[0], 0) >= PER_VIEW):
            continue
        seen.add(key)
        if key[1]:
            per_view[key[0]] = per_view.get(key[0], 0) + 1
        visited.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        for href in visit(url):
            link = urlsplit(href)
            if link.scheme in ("http", "https") and link.netloc == origin and not SKIP.search(link.path):
                queue.append(link._replace(fragment="").geturl())
    return visited
