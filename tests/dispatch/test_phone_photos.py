"""Reporting from a phone: several photos sent with the draft in one submit, each with its
capture time (EXIF, else the phone's file time) and place (EXIF GPS, else the browser's
position); a bad photo refuses the whole submit; the reporter's own month first."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from keyprojects import months
from keyprojects.core.templatetags.kp import active_filters
from keyprojects.dispatch import rules, services
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport, ReportPhoto
from keyprojects.ledger.models import Project
from tests import factories
from tests.dispatch.photo_samples import jpeg

pytestmark = pytest.mark.django_db

GPS = ((29.0, 33.0, 40.2), "N", (106.0, 33.0, 5.0), "E")
# 2022-03-20 10:15:00 in Shanghai, as the phone's File.lastModified (ms, UTC).
FILE_MS = int(datetime(2022, 3, 20, 2, 15, tzinfo=UTC).timestamp() * 1000)


def _files(*items):
    return [SimpleUploadedFile(name, content, content_type="image/jpeg") for name, content in items]


def _form(project, **kw):
    return {
        "project": project.pk,
        "period": "2022-03",
        "invested_wan": "60",
        "progress_text": "主体结构施工至5层",
        "progress_pct": "35",
        "problems": "",
        "next_steps": "",
        **kw,
    }


def _times(*pairs):
    return json.dumps([{"name": n, "lastModified": ms} for n, ms in pairs])


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def test_draft_and_two_photos_in_one_post(client_for, reporter, project, _media):
    c = client_for(reporter)
    files = _files(
        ("IMG_0001.jpg", jpeg(taken="2022:03:18 09:30:00")),
        ("IMG_0002.jpg", jpeg(colour=(20, 120, 200))),
    )
    data = _form(
        project,
        photo_files=files,
        photo_times=_times(("IMG_0001.jpg", 1), ("IMG_0002.jpg", FILE_MS)),
        geo_lat="29.5612345",
        geo_lng="106.5512349",
        geo_acc="18.6",
    )
    response = c.post(reverse("dispatch:report_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    report = MonthlyReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    first, second = ReportPhoto.objects.order_by("id")
    assert [p.original_name for p in (first, second)] == ["IMG_0001.jpg", "IMG_0002.jpg"]
    assert (first.report, second.report) == (report, report)
    # EXIF wins over the file time; the second has only the file time.
    assert (_local(first.taken_at), first.time_source) == ("2022-03-18 09:30", "exif")
    assert (_local(second.taken_at), second.time_source) == ("2022-03-20 10:15", "file")
    for p in (first, second):
        assert (p.latitude, p.longitude, p.accuracy_m, p.place_source) == (
            Decimal("29.561235"),
            Decimal("106.551235"),
            19,
            "browser",
        )
        assert p.history.get().history_change_reason == "上传照片"
        assert p.uploaded_by == reporter
        assert (_media / p.image.name).exists()
    page = c.get(reverse("dispatch:report_detail", args=[report.pk])).content.decode()
    assert "现场照片（2）" in page
    assert "拍摄于2022年3月18日 09:30" in page
    assert '拍摄于2022年3月20日 10:15<span class="muted">（手机文件时间）</span>' in page
    assert "位置：北纬29.561235°，东经106.551235°（±19米）" in page
    assert "上传时浏览器定位" in page


def test_exif_gps_is_the_place_and_refused_position_is_none(client_for, reporter, project):
    response = client_for(reporter).post(
        reverse("dispatch:report_create"),
        _form(project, photo_files=_files(("gps.jpg", jpeg(gps=GPS)), ("plain.jpg", jpeg()))),
    )
    assert response.status_code == 302
    gps, plain = ReportPhoto.objects.order_by("id")
    assert (gps.latitude, gps.longitude, gps.accuracy_m, gps.place_source) == (
        Decimal("29.561167"),
        Decimal("106.551389"),
        None,
        "exif",
    )
    # The browser gave no position (refused, or plain HTTP): nothing is stored.
    assert (plain.latitude, plain.longitude, plain.place_source) == (None, None, "")
    assert (plain.taken_at, plain.time_source) == (None, "")


def test_bad_photo_refuses_the_whole_submit(client_for, reporter, project, _media):
    files = _files(("good.jpg", jpeg()), ("动图.gif", jpeg(fmt="GIF")))
    response = client_for(reporter).post(
        reverse("dispatch:report_create"), _form(project, photo_files=files)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "照片“动图.gif”是GIF格式，只接受JPEG或PNG格式。草稿和照片均未保存" in page
    assert 'value="主体结构施工至5层"' in page  # what was typed is still there
    assert not MonthlyReport.objects.exists() and not MonthlyReport.history.exists()
    assert not ReportPhoto.objects.exists()
    photos_dir = _media / "dispatch" / "photos"
    assert not photos_dir.exists() or not any(photos_dir.iterdir())


def test_bad_photo_leaves_an_existing_draft_unchanged(client_for, reporter, project):
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    response = client_for(reporter).post(
        reverse("dispatch:report_edit", args=[draft.pk]),
        {
            "invested_wan": "99",
            "progress_text": "改了",
            "version": draft.version,
            "photo_files": _files(("ok.jpg", jpeg()), ("假照片.jpg", b"%PDF-1.4 not a photo")),
        },
    )
    assert response.status_code == 400
    assert "文件“假照片.jpg”不是有效的JPEG或PNG图片" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.invested_wan, draft.progress_text, draft.version) == (Decimal("10"), "", 1)
    assert not ReportPhoto.objects.exists()


def test_edit_adds_photos_with_the_draft(client_for, reporter, project):
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    response = client_for(reporter).post(
        reverse("dispatch:report_edit", args=[draft.pk]),
        {"invested_wan": "12", "version": draft.version, "photo_files": _files(("a.jpg", jpeg()))},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.invested_wan == Decimal("12") and draft.photos.count() == 1


def test_report_page_upload_takes_several_at_once(client_for, reporter, project):
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    response = client_for(reporter).post(
        reverse("dispatch:photo_upload", args=[draft.pk]),
        {"image": _files(("1.jpg", jpeg()), ("2.jpg", jpeg())), "caption": "基坑"},
    )
    assert response.status_code == 302
    assert list(draft.photos.values_list("original_name", "caption")) == [
        ("1.jpg", "基坑"),
        ("2.jpg", "基坑"),
    ]


def test_too_many_photos_refused_naming_the_count(client_for, reporter, project, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_PER_REPORT", 2)
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    services.add_photo(draft, _files(("0.jpg", jpeg()))[0], by=reporter)
    response = client_for(reporter).post(
        reverse("dispatch:photo_upload", args=[draft.pk]),
        {"image": _files(("1.jpg", jpeg()), ("2.jpg", jpeg()))},
    )
    assert response.status_code == 400
    assert "每份报告最多2张照片，本报告已有1张，这次选了2张" in response.content.decode()
    assert draft.photos.count() == 1


def test_another_departments_report_is_not_found(client_for, other_reporter, project):
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    c = client_for(other_reporter)
    edit = c.post(
        reverse("dispatch:report_edit", args=[draft.pk]),
        {"invested_wan": "1", "version": 1, "photo_files": _files(("x.jpg", jpeg()))},
    )
    upload = c.post(
        reverse("dispatch:photo_upload", args=[draft.pk]), {"image": _files(("x.jpg", jpeg()))}
    )
    assert (edit.status_code, upload.status_code) == (404, 404)
    assert not ReportPhoto.objects.exists()


def test_a_submitted_report_takes_no_photos_with_the_service(reporter, project):
    report = factories.report(project, 3, "10", status=ReportStatus.SUBMITTED)
    with pytest.raises(services.NotAllowed) as refused:
        services.add_photos(report, _files(("a.jpg", jpeg())), by=reporter)
    assert refused.value.message == "该报告已报送，不能再上传照片"


@pytest.mark.parametrize(
    "ms, expected",
    [
        (FILE_MS, datetime(2022, 3, 20, 2, 15, tzinfo=UTC)),
        (FILE_MS + 999, datetime(2022, 3, 20, 2, 15, tzinfo=UTC)),
        (None, None),
        ("abc", None),
        (0, None),  # 1970: no camera clock
        (int(datetime(2030, 1, 1, tzinfo=UTC).timestamp() * 1000), None),  # after now
        (10**20, None),
    ],
)
def test_photo_file_time(ms, expected):
    assert rules.photo_file_time(ms, now=datetime(2026, 11, 30, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    "lat, lng, acc, expected",
    [
        ("29.5612345", "106.5512349", "18.5", (Decimal("29.561235"), Decimal("106.551235"), 19)),
        ("-33.1", "-70.2", None, (Decimal("-33.100000"), Decimal("-70.200000"), None)),
        ("29.5", None, "5", None),
        ("91", "100", "5", None),
        ("29", "181", "5", None),
        ("NaN", "100", "5", None),
        ("abc", "100", "5", None),
        ("29", "100", "-4", (Decimal("29.000000"), Decimal("100.000000"), None)),
    ],
)
def test_photo_place(lat, lng, acc, expected):
    assert rules.photo_place(lat, lng, acc) == expected


def test_place_text():
    assert rules.place_text(Decimal("29.561235"), Decimal("106.551235"), 19) == (
        "北纬29.561235°，东经106.551235°（±19米）"
    )
    assert rules.place_text(Decimal("-33.1"), Decimal("-70.2")) == "南纬33.1°，西经70.2°"


def test_reporter_sees_own_month_with_the_ones_to_report_first(client_for, reporter, dept):
    # Projects of last month's plan year: the page opens on last month (default_due_month).
    y, m = months.add_months(*timezone.localdate().timetuple()[:2], -1)
    start = date(y, m, 1)
    names = ["甲已审核", "乙未填报", "丙已报送", "丁草稿", "戊退回"]
    projects = [
        factories.started_project(dept, name=n, year=y, start=start, code=f"Z{i}")
        for i, n in enumerate(names)
    ]
    factories.report(projects[0], m, "1", year=y, status=ReportStatus.APPROVED)
    factories.report(projects[2], m, "1", year=y, status=ReportStatus.SUBMITTED)
    factories.report(projects[3], m, "1", year=y, status=ReportStatus.DRAFT)
    factories.report(projects[4], m, "1", year=y, status=ReportStatus.RETURNED)
    scope = Project.objects.all()
    order = [p.name for p, _ in services.month_worklist(scope, y, m)]
    assert order == ["戊退回", "乙未填报", "丁草稿", "丙已报送", "甲已审核"]
    page = client_for(reporter).get(reverse("dispatch:report_list")).content.decode()
    assert f"{y}年{m}月本单位应报项目：" in page and "待报3个" in page
    assert page.index("戊退回") < page.index("乙未填报") < page.index("甲已审核")
    assert f"?project={projects[1].pk}&amp;month={y}-{m:02d}" in page


def test_office_list_has_no_worklist(client_for, office, project):
    page = client_for(office).get(reverse("dispatch:report_list")).content.decode()
    assert 'id="my-month"' not in page
    assert 'id="filter-fold" open>' in page


@pytest.mark.parametrize(
    "query, expected",
    [("", 0), ("page=2&o=code&size=100", 0), ("q=&year=2022", 1), ("q=学校&status=x&page=3", 2)],
)
def test_active_filters(query, expected):
    assert active_filters(QueryDict(query), "page,size,o") == expected


def test_stale_edit_with_photos_writes_nothing(client_for, reporter, project):
    draft = factories.report(project, 3, "10", status=ReportStatus.DRAFT)
    services.save_draft(draft, by=reporter)  # a colleague saved since: version 2
    response = client_for(reporter).post(
        reverse("dispatch:report_edit", args=[draft.pk]),
        {"invested_wan": "77", "version": 1, "photo_files": _files(("a.jpg", jpeg()))},
    )
    assert response.status_code == 409
    draft.refresh_from_db()
    assert (draft.invested_wan, draft.version) == (Decimal("10"), 2)
    assert not ReportPhoto.objects.exists()
