"""Every page a department's reporter can open, on a 390×844 phone: the header and its
navigation take one bar (well under 120 px of the 844), and nothing but a table inside its
own scroll box is wider than the screen. Screenshots of the worst pages go to KP_SHOTS."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_url_matrix import CASES, world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The print view is laid out for paper, not for a screen.
PAGES = [
    c
    for c in CASES
    if c.method == "get" and c.expect["reporter"] == 200 and c.name != "dashboard:print"
]

# The widest element that is not inside a horizontally scrolling box, in CSS pixels.
OVERFLOW = """() => {
  const inScroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const path = el => {
    const names = [];
    for (let q = el; q && q.tagName !== 'MAIN'; q = q.parentElement) {
      names.push(q.tagName.toLowerCase() + (q.id ? '#' + q.id : '') +
        (q.className ? '.' + String(q.className).trim().split(/\\s+/).join('.') : ''));
    }
    return names.join(' < ');
  };
  let worst = 0, what = '';
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > worst && !inScroller(el)) { worst = r.right; what = path(el); }
  }
  return [Math.round(worst), what];
}"""


def test_reporter_pages_fit_a_phone(page, live_server, world):  # noqa: F811
    client = Client()
    client.force_login(world.users["reporter"])
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    tall, wide, visited = [], [], 0
    for case in PAGES:
        url = reverse(case.name, args=case.args(world) if case.args else None) + case.query
        head = page.request.get(live_server.url + url)
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download, not a page
        page.goto(live_server.url + url)
        if not page.locator("header.topbar").count():
            continue  # a page of its own (the print view), without the site's header
        visited += 1
        height = page.locator("header.topbar").bounding_box()["height"]
        if height >= 120:
            tall.append((url, height))
        right, what = page.evaluate(OVERFLOW)
        if right > 390:
            wide.append((url, right, what))
            if os.environ.get("KP_SHOTS"):
                name = url.strip("/").replace("/", "-").replace("?", "-") or "home"
                page.screenshot(path=os.path.join(os.environ["KP_SHOTS"], f"wide-{name}.png"))
    assert visited >= 10
    assert tall == []
    assert wide == [], "\n".join(map(str, wide))
