"""Every page the office can open renders in Chromium without a console error: no script or
style refused by the Content Security Policy, no missing static file, no JavaScript error."""

import pytest
from django.urls import reverse

from tests.test_url_matrix import CASES, world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [c for c in CASES if c.method == "get" and c.expect["office"] == 200]


def test_office_pages_have_no_console_errors(page, live_server, world):  # noqa: F811
    user = world.users["office"]
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and "/static/" in r.url and problems.append(f"{r.url} {r.status}")
        ),
    )
    visited = 0
    for case in PAGES:
        url = reverse(case.name, args=case.args(world) if case.args else None) + case.query
        head = page.request.get(live_server.url + url)
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download (xlsx, docx, svg, pdf, photo), not a page
        response = page.goto(live_server.url + url)
        assert response.status == 200, f"{url}: {response.status}"
        visited += 1
    assert visited >= 10
    assert not problems, "\n".join(problems)
