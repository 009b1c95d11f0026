"""Reporting from a phone (390×844) as a department's reporter: a one-line header, filters
folded away, the department's own month first, tables as cards that do not squeeze a long
unit name, and a report filled in with two photos chosen at once, sent with the draft, each
shown with its capture time and place. At 1440×900 the desktop layout is unchanged.
Screenshots go to KP_SHOTS (if set)."""

import os
from datetime import date, datetime

import pytest
from django.utils import timezone

from keyprojects import months
from keyprojects.core.choices import Role
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from tests import factories
from tests.dispatch.photo_samples import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("KP_SHOTS")
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}
LONG_UNIT = "县住房和城乡建设委员会"


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


@pytest.fixture
def site(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    dept = factories.department(name=LONG_UNIT, short_name="住建")
    other = factories.department(name="县交通运输委员会", short_name="交通")
    factories.user(Role.REPORTER, department=dept, username="zj")
    factories.user(Role.OFFICE, username="boss")
    # Last month's plan year: the reporting pages open on last month (default_due_month).
    y, m = months.add_months(*timezone.localdate().timetuple()[:2], -1)
    start = date(y, m, 1)
    names = ["凤鸣江湾住宅小区", "城区老旧小区改造（一期）", "县城污水管网提升改造工程"]
    projects = [
        factories.started_project(dept, name=n, year=y, start=start, code=f"ZJ{i}")
        for i, n in enumerate(names)
    ]
    factories.started_project(other, name="省道S526石堤至龙池段改建工程", year=y, start=start)
    factories.report(projects[2], m, "30", year=y, status=ReportStatus.SUBMITTED)
    return live_server.url, (y, m), projects


def log_in(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def errors_of(page):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    return errors


def header_height(page):
    return page.locator("header.topbar").bounding_box()["height"]


def photo_files(tmp_path):
    """Two small JPEGs: one with EXIF DateTimeOriginal, one with only its file time."""
    exif = tmp_path / "IMG_0001.jpg"
    exif.write_bytes(jpeg(taken="2022:03:18 09:30:00"))
    plain = tmp_path / "IMG_0002.jpg"
    plain.write_bytes(jpeg(colour=(30, 120, 200)))
    when = timezone.make_aware(datetime(2022, 3, 20, 10, 15)).timestamp()
    os.utime(plain, (when, when))
    return [str(exif), str(plain)]


def test_phone_reporter_reports_with_two_photos(page, site, tmp_path):
    base, (y, m), projects = site
    errors = errors_of(page)
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 29.561234, "longitude": 106.551234, "accuracy": 20})
    log_in(page, base, "zj")

    # The summary: a one-line header, the per-unit table as cards, the long name on one line.
    assert header_height(page) < 120
    name_cell = page.locator("#dept-table tbody td.card-title").first
    assert name_cell.inner_text() == LONG_UNIT
    assert name_cell.bounding_box()["height"] < 40  # one line, not a character a line
    for cell in page.locator("#dept-table tbody tr").first.locator("td").all():
        assert cell.bounding_box()["width"] > 120
    shot(page, "phone-summary-390")
    page.locator("#dept-table").scroll_into_view_if_needed()
    shot(page, "phone-dept-table-390")
    page.click("label.menu-button")
    assert page.locator("header.topbar nav").is_visible()
    shot(page, "phone-menu-open-390")
    page.click("label.menu-button")
    assert not page.locator("header.topbar nav").is_visible()

    # The ledger: filters folded, the first project on the first screen, cards not squeezed.
    page.goto(f"{base}/projects/")
    assert header_height(page) < 120
    assert page.locator("#filter-fold").evaluate("d => d.open") is False
    first = page.locator("#ledger-table tbody tr").first
    title = first.locator("td.card-title")
    assert title.is_visible() and title.bounding_box()["y"] + 30 < PHONE["height"]
    for cell in first.locator("td:visible").all():
        assert cell.bounding_box()["width"] > 120
    shot(page, "phone-ledger-390")
    page.click("#filter-fold summary")
    assert page.locator("#filters").is_visible()

    # The dispatch page: the department's month first, the ones still to report on top.
    page.goto(f"{base}/dispatch/")
    assert header_height(page) < 120
    assert page.locator("#filter-fold").evaluate("d => d.open") is False
    items = page.locator("#my-month li .wl-name").all_inner_texts()
    assert items == [projects[0].name, projects[1].name, projects[2].name]
    assert "待报2个" in page.locator("#my-month h2").inner_text()
    assert page.locator("#my-month").bounding_box()["y"] < PHONE["height"] / 2
    shot(page, "phone-dispatch-390")
    page.locator("#my-month li").first.locator("a.btn").click()

    # The form: the required fields and the photo picker on the first screen.
    page.wait_for_selector("#report-form")
    assert header_height(page) < 120
    assert page.locator("#more-fields").evaluate("d => d.open") is False
    picker = page.locator("label.pick-btn").bounding_box()
    assert picker["y"] + picker["height"] < PHONE["height"]
    assert page.locator("#report-form button[type=submit]").bounding_box()["y"] < PHONE["height"]
    page.fill("input[name=invested_wan]", "120")
    page.fill("input[name=progress_pct]", "40")
    page.fill("input[name=progress_text]", "主体结构施工至8层")
    page.set_input_files("#id_photo_files", photo_files(tmp_path))
    page.wait_for_function(
        "() => document.querySelector('.photo-status').textContent.includes('已记录位置')"
    )
    assert page.locator(".photo-status").inner_text() == (
        "已选择2张照片，已记录位置（±20米）：IMG_0001.jpg、IMG_0002.jpg"
    )
    shot(page, "phone-form-390")
    page.click("#report-form button[type=submit]")

    # The report page: both photos with their capture times and place.
    page.wait_for_selector("#photos figure")
    report = MonthlyReport.objects.get(project=projects[0], year=y, month=m)
    assert page.locator("#report-status").inner_text() == "草稿"
    captions = page.locator("#photos figcaption").all_inner_texts()
    assert len(captions) == 2 and report.photos.count() == 2
    assert "拍摄于2022年3月18日 09:30" in captions[0]
    assert "拍摄于2022年3月20日 10:15（手机文件时间）" in captions[1]
    for caption in captions:
        assert "位置：北纬29.561234°，东经106.551234°（±20米）（上传时浏览器定位）" in caption
    page.locator("#photos").scroll_into_view_if_needed()
    shot(page, "phone-report-photos-390")
    page.click("#submit-report")
    assert page.locator("#report-status").inner_text() == "已报送"
    assert errors == []


def test_desktop_layout_unchanged(page, site):
    base, _, _ = site
    errors = errors_of(page)
    page.set_viewport_size(DESK)
    log_in(page, base, "boss")
    page.goto(f"{base}/projects/")
    # The full navigation in the bar, no menu button.
    assert page.locator("header.topbar nav").is_visible()
    assert not page.locator("label.menu-button").is_visible()
    assert page.locator("#menu-toggle").evaluate("c => getComputedStyle(c).display") == "none"
    # The filters open, without a 筛选 line; the table a table, its header showing.
    assert page.locator("#filter-fold").evaluate("d => d.open") is True
    assert not page.locator("#filter-fold summary").is_visible()
    assert page.locator("#filters").is_visible()
    assert page.locator("#ledger-table thead").is_visible()
    cell = page.locator("#ledger-table tbody td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"
    shot(page, "desk-ledger-1440")
    page.goto(f"{base}/dispatch/")
    assert page.locator("#report-table thead").is_visible()
    assert page.locator("#filter-fold").evaluate("d => d.open") is True
    shot(page, "desk-dispatch-1440")
    page.goto(f"{base}/dispatch/new/")
    assert not page.locator("label.camera-btn").is_visible()
    shot(page, "desk-form-1440")
    assert errors == []


def test_phone_bad_photo_refuses_the_submit_and_keeps_the_typing(page, site, tmp_path):
    base, (y, m), projects = site
    page.set_viewport_size(PHONE)
    log_in(page, base, "zj")
    page.goto(f"{base}/dispatch/new/?project={projects[1].pk}&month={y}-{m:02d}")
    page.fill("input[name=invested_wan]", "55")
    page.fill("input[name=progress_text]", "管网开挖1.2公里")
    good = tmp_path / "good.jpg"
    good.write_bytes(jpeg())
    bad = tmp_path / "动图.gif"
    bad.write_bytes(jpeg(fmt="GIF"))
    page.set_input_files("#id_photo_files", [str(good), str(bad)])
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#photo-field .errorlist")
    error = page.locator("#photo-field .errorlist").inner_text()
    assert error.startswith("照片“动图.gif”是GIF格式，只接受JPEG或PNG格式。草稿和照片均未保存")
    assert page.input_value("input[name=progress_text]") == "管网开挖1.2公里"
    assert not MonthlyReport.objects.filter(project=projects[1]).exists()
    page.locator("#photo-field").scroll_into_view_if_needed()
    shot(page, "phone-form-refused-390")
