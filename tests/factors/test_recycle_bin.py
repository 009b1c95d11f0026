"""Factor records: delete to the recycle bin (回收站) and restore, with history and the rules."""

from decimal import Decimal

import pytest
from django.urls import reverse

from keyprojects.factors import figures, services
from keyprojects.factors import models as m

pytestmark = pytest.mark.django_db


def _month(dept, by, month=1, units=10):
    record = m.HousingMonth(
        year=2022, month=month, region="county_town", department=dept, residential_units=units
    )
    return services.save_record(record, by=by)


def _post_month(units, version=None):
    data = {
        "year": 2022,
        "month": 1,
        "region": "county_town",
        "residential_units": units,
        "residential_area_m2": "0",
        "nonresidential_units": 0,
        "nonresidential_area_m2": "0",
        "parking_units": 0,
    }
    if version is not None:
        data["version"] = version
    return data


def test_delete_confirm_then_recycle_bin_then_restore(client_for, reporter, dept):
    month = _month(dept, reporter)
    c = client_for(reporter)
    delete_url = reverse("factors:delete", args=["housing", month.pk])
    detail_url = reverse("factors:detail", args=["housing", month.pk])

    # GET is the confirmation page only; the detail page links to it.
    assert f'href="{delete_url}"' in c.get(detail_url).content.decode()
    page = c.get(delete_url)
    assert page.status_code == 200 and "确认删除" in page.content.decode()
    assert m.HousingMonth.objects.count() == 1
    assert figures.housing_block(year=2022, quarter=1)["units"] == 10

    r = c.post(delete_url, {"version": month.version})
    assert (r.status_code, r["Location"]) == (302, reverse("factors:list", args=["housing"]))
    assert m.HousingMonth.objects.count() == 0
    gone = m.HousingMonth.all_objects.get(pk=month.pk)
    assert gone.deleted_by == reporter and gone.deleted_at is not None
    assert gone.history.first().history_change_reason == "删除"
    assert gone.history.first().history_user == reporter
    # No page, figure or export sees it any more.
    assert c.get(detail_url).status_code == 404
    assert figures.housing_block(year=2022, quarter=1)["units"] == 0
    listing = c.get(reverse("factors:list", args=["housing"])).content.decode()
    assert "暂无记录" in listing
    assert reverse("factors:recycle_bin", args=["housing"]) in listing

    bin_page = c.get(reverse("factors:recycle_bin", args=["housing"])).content.decode()
    restore_url = reverse("factors:restore", args=["housing", month.pk])
    assert f'action="{restore_url}"' in bin_page and "刘填报" in bin_page

    r = c.post(restore_url)
    assert (r.status_code, r["Location"]) == (302, detail_url)
    back = m.HousingMonth.objects.get(pk=month.pk)
    assert (back.deleted_at, back.deleted_by, back.version) == (None, None, month.version + 2)
    assert back.history.first().history_change_reason == "恢复"
    assert figures.housing_block(year=2022, quarter=1)["units"] == 10
    empty = c.get(reverse("factors:recycle_bin", args=["housing"])).content.decode()
    assert "回收站中没有记录" in empty


def test_a_deleted_month_can_be_entered_again_and_then_not_restored(
    client_for, reporter, office, dept
):
    wrong = _month(dept, reporter, units=99)
    services.delete_record(wrong, by=reporter, expected_version=wrong.version)
    c = client_for(reporter)
    data = {**_post_month(12), "department": dept.pk}
    r = c.post(reverse("factors:create", args=["housing"]), data)
    assert r.status_code == 302
    assert list(m.HousingMonth.objects.values_list("residential_units", flat=True)) == [12]

    r = client_for(office).post(reverse("factors:restore", args=["housing", wrong.pk]), follow=True)
    body = r.content.decode()
    assert "不能恢复：该月该区域的网签备案数据已存在，请修改原记录" in body
    assert m.HousingMonth.all_objects.get(pk=wrong.pk).deleted_at is not None


def test_stale_delete_is_refused(client_for, reporter, dept):
    month = _month(dept, reporter)
    seen = month.version
    month.residential_units = 11
    services.save_record(month, by=reporter, expected_version=seen)
    r = client_for(reporter).post(
        reverse("factors:delete", args=["housing", month.pk]), {"version": seen}, follow=True
    )
    assert "保存未成功" in r.content.decode()
    assert m.HousingMonth.objects.get(pk=month.pk).residential_units == 11


def test_delete_follows_the_write_rule(client_for, other_reporter, leader, reporter, dept):
    month = _month(dept, reporter)
    for user in (other_reporter, leader):
        c = client_for(user)
        assert c.get(reverse("factors:delete", args=["housing", month.pk])).status_code == 403
        r = c.post(reverse("factors:delete", args=["housing", month.pk]), {"version": 1})
        assert r.status_code == 403
        assert c.get(reverse("factors:recycle_bin", args=["housing"])).status_code == 403
    assert m.HousingMonth.objects.count() == 1


def test_fiscal_task_with_months_is_kept_until_its_months_are_deleted(client_for, office, dept):
    task = services.save_record(
        m.FiscalTask(year=2022, department=dept, target_wan=Decimal(1000)), by=office
    )
    january = services.save_record(
        m.FiscalMonth(task=task, month=1, amount_wan=Decimal(80)), by=office
    )
    c = client_for(office)
    r = c.post(
        reverse("factors:delete", args=["fiscal-tasks", task.pk]),
        {"version": task.version},
        follow=True,
    )
    assert "该财税任务还有1条月度完成记录，请先删除这些记录" in r.content.decode()
    assert m.FiscalTask.objects.count() == 1

    services.delete_record(january, by=office, expected_version=january.version)
    assert figures.task_actual(task, 12) == Decimal("0.00")
    task.refresh_from_db()
    services.delete_record(task, by=office, expected_version=task.version)
    # A month comes back only with its task.
    r = c.post(reverse("factors:restore", args=["fiscal-months", january.pk]), follow=True)
    assert f"所属财税任务“{task}”已删除，请先恢复该任务" in r.content.decode()
    c.post(reverse("factors:restore", args=["fiscal-tasks", task.pk]))
    c.post(reverse("factors:restore", args=["fiscal-months", january.pk]))
    assert figures.task_actual(task, 12) == Decimal("80.00")
