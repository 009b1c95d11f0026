"""keyprojects import-ledger / import-dispatch / export-ledger / export-dispatch."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from keyprojects import stats
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.importer.models import ImportJob
from keyprojects.ledger.models import Project
from tests import factories
from tests.importer.builders import messy_dispatch, messy_ledger


@pytest.mark.django_db
def test_import_ledger_dry_run_prints_preview_and_writes_nothing(tmp_path, office, dept, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(messy_ledger([{"name": "命令行项目", "dept": dept.name}]))
    call_command("import_ledger", str(path), "--year", "2022", "--dry-run")
    out = capsys.readouterr().out
    assert "新建" in out and "命令行项目" in out and "未写入" in out
    assert not Project.objects.exists()
    call_command("import_ledger", str(path), "--year", "2022")
    record = Project.objects.get().history.first()
    job = ImportJob.objects.get()
    assert (record.history_user, record.history_change_reason) == (office, f"Excel导入 #{job.pk}")
    assert (job.state, job.original_name, job.file.read()) == (
        "done",
        "台账.xlsx",
        path.read_bytes(),
    )


@pytest.mark.django_db
def test_import_ledger_with_errors_exits_nonzero(tmp_path, office, dept, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(messy_ledger([{"name": "坏项目", "dept": dept.name, "total": "x"}]))
    with pytest.raises(CommandError, match="1 处错误，未导入任何数据"):
        call_command("import_ledger", str(path), "--year", "2022")
    assert "不是数字" in capsys.readouterr().out
    assert not Project.objects.exists()
    assert ImportJob.objects.get().state == "rejected"


@pytest.mark.django_db
def test_import_needs_file_and_user(tmp_path, dept):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_ledger", str(tmp_path / "none.xlsx"), "--year", "2022")
    path = tmp_path / "a.xlsx"
    path.write_bytes(messy_ledger([{"name": "x", "dept": dept.name}]))
    with pytest.raises(CommandError, match="没有可用的办公室账号"):
        call_command("import_ledger", str(path), "--year", "2022")


@pytest.mark.django_db
def test_export_then_import_dispatch(tmp_path, office, dept, capsys):
    road = factories.started_project(dept, name="凤凰大道", annual_plan_wan=Decimal(400))
    factories.report(road, 1, 50)
    factories.report(road, 2, 30)
    path = tmp_path / "调度.xlsx"
    path.write_bytes(
        messy_dispatch(
            [{"name": road.name, "dept": dept.name, "ytd": 100, "prior": 80, "month": 20}]
        )
    )
    call_command("import_dispatch", str(path), "--month", "2022-03")
    assert stats.ytd_by_project([road.pk], 2022, 3) == {road.pk: Decimal("100.00")}
    out = tmp_path / "out.xlsx"
    call_command("export_dispatch", str(out), "--month", "2022-03")
    capsys.readouterr()
    call_command("import_dispatch", str(out), "--month", "2022-03", "--dry-run")
    assert "新建 0 行，修改 0 行，未变 1 行" in capsys.readouterr().out
    assert MonthlyReport.objects.count() == 3
    with pytest.raises(CommandError, match="月份"):
        call_command("import_dispatch", str(out), "--month", "三月")


@pytest.mark.django_db
def test_export_ledger_round_trip(tmp_path, office, project, other_project, capsys):
    out = tmp_path / "台账.xlsx"
    call_command("export_ledger", str(out), "--year", "2022")
    capsys.readouterr()
    call_command("import_ledger", str(out), "--dry-run")
    assert "新建 0 行，修改 0 行，未变 2 行" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"\.xlsx"):
        call_command("export_ledger", str(tmp_path / "a.xls"), "--year", "2022")


@pytest.mark.django_db
def test_stats_after_dispatch_import_equals_the_file(tmp_path, office, dept, capsys):
    import json

    a = factories.started_project(dept, name="甲", annual_plan_wan=Decimal(400))
    b = factories.started_project(dept, name="乙", annual_plan_wan=Decimal(600))
    factories.report(a, 1, 50)
    path = tmp_path / "调度.xlsx"
    path.write_bytes(
        messy_dispatch(
            [
                {"name": "甲", "dept": dept.name, "ytd": "120.5"},
                {"name": "乙", "dept": dept.name, "ytd": "１,０００"},
            ],
            split=False,
        )
    )
    call_command("import_dispatch", str(path), "--month", "2022-03")
    capsys.readouterr()
    call_command("stats", "--year", "2022", "--quarter", "1", "--json")
    investment = json.loads(capsys.readouterr().out)["investment"]
    assert investment["completed_ytd_wan"] == "1120.50"
    assert investment["annual_plan_wan"] == "1000.00"
    assert investment["investment_rate"] == 112.1
    assert investment["expected_share"] == 25.0
    assert b.reports.get(month=3).invested_wan == Decimal("1000.00")
