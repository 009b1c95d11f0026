"""The ledger list as an office used to Excel works it, at a desk (1440×900) and on a phone
(390×844): click a header to sort (again to reverse), the header stays in view while the
table scrolls, page size 20/全部 with no orphan page. Screenshots go to KP_SHOTS (if set)."""

import os
import re

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator

from keyprojects.demo.data import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KP_SHOTS")


@pytest.fixture
def demo_site(live_server):
    call_command("demo")
    return live_server.url


def log_in(page, base, username):
    page.goto(f"{base}/projects/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/"))


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def money(texts):
    return [float(t.replace(",", "")) for t in texts]


def test_desktop_sort_sticky_and_page_size(page, demo_site):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/projects/?year=2022")
    page.click("#ledger-table thead a:has-text('总投资')")
    page.wait_for_url(re.compile(r"o=total_investment_wan"))
    assert "▲" in page.locator("#ledger-table thead th:nth-child(7)").inner_text()
    up = money(page.locator("#ledger-table tbody td:nth-child(7)").all_inner_texts())
    assert up == sorted(up)
    page.click("#ledger-table thead a:has-text('总投资')")
    page.wait_for_url(re.compile(r"o=-total_investment_wan"))
    down = money(page.locator("#ledger-table tbody td:nth-child(7)").all_inner_texts())
    assert down == sorted(down, reverse=True)
    assert "year=2022" in page.url
    shot(page, "ledger-sorted-1440")
    # Sticky header: after scrolling the table, the header row is still at the top of it.
    wrap = page.locator(".table-scroll")
    wrap.evaluate("el => el.scrollTop = 600")
    head_top = page.locator("#ledger-table thead th").first.bounding_box()["y"]
    assert abs(head_top - wrap.bounding_box()["y"]) <= 2
    shot(page, "ledger-sticky-1440")
    total = int(re.search(r"共 (\d+) 个项目", page.content())[1])
    pages = Paginator(range(total), 20, orphans=9).num_pages
    page.click("#page-sizes a:has-text('20')")
    page.wait_for_url(re.compile(r"size=20"))
    assert page.locator("#ledger-table tbody tr").count() == 20
    assert f"第 1 / {pages} 页" in page.locator(".pager").inner_text()
    assert "o=-total_investment_wan" in page.url  # the sort is kept
    page.click(".pager a:has-text('下一页')")
    page.goto(page.url.replace("page=2", f"page={pages}"))
    last = page.locator("#ledger-table tbody tr").count()
    assert last == total - 20 * (pages - 1) and last >= 10  # no orphan page
    page.click("#page-sizes a:has-text('全部')")
    page.wait_for_url(re.compile(r"size=all"))
    assert page.locator("#ledger-table tbody tr").count() == total
    assert "第 1 / 1 页" in page.locator(".pager").inner_text()
    shot(page, "ledger-all-1440")


def test_phone_sort_list_and_page_size(page, demo_site):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/projects/?year=2022")
    labels = page.locator("#id_o option").all_inner_texts()
    assert "牵头单位（降序）" in labels and not any(re.search(r"[A-Za-z]", x) for x in labels)
    page.select_option("#id_o", "-total_investment_wan")
    page.click("text=查询")
    page.wait_for_url(re.compile(r"o=-total_investment_wan"))
    page.click("#page-sizes a:has-text('20')")
    page.wait_for_url(re.compile(r"size=20"))
    assert page.locator("#ledger-table tbody tr").count() == 20
    shot(page, "ledger-phone-390")
