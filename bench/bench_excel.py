"""Excel import/export speed on 10,000 rows (SQLite), against the floor the issue names.

    .venv/bin/python bench/bench_excel.py [--rows 10000] [--profile] [--only dispatch] [--repeat 3]

Floor of an import = the fastest reading of the same cells (python-calamine) + a bare bulk
insert of the same rows; target: import (parse + validate + write + history + audit) within
5× of it. Export target: within 2× of openpyxl write-only writing the same cells. openpyxl's
read-only reading is printed beside calamine. Runs on a throwaway database in a temp folder.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scratch import scratch_dir  # noqa: E402  (bench/ is on the path of a bench script)

os.environ["KEYPROJECTS_DATA_DIR"] = scratch_dir("kp-bench-excel-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

REPEAT = 3  # each figure is the best of REPEAT runs: other work on the machine only adds time


def timed(fn, *args, **kw):
    best, result = None, None
    for _ in range(REPEAT):
        t = time.perf_counter()
        result = fn(*args, **kw)
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def rolled_back(fn, *args, **kw):
    """Run fn in a transaction that is rolled back (so an import can be timed again)."""
    with transaction.atomic():
        result = fn(*args, **kw)
        transaction.set_rollback(True)
    return result


def calamine_read(data: bytes):
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [book.get_sheet_by_index(i).to_python() for i in range(len(book.sheet_names))]


def openpyxl_read(data: bytes):
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]
    wb.close()
    return out


def openpyxl_write(rows):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def setup_world(n: int):
    from keyprojects.core.choices import Role
    from keyprojects.core.models import Department, User

    depts = [
        Department.objects.create(name=f"基准单位{i}", short_name=f"基{i}", order=i)
        for i in range(10)
    ]
    office = User.objects.create(username="bench-office", role=Role.OFFICE, full_name="基准办公室")
    return depts, office


def make_projects(depts, n):
    from keyprojects.ledger.models import Project

    return [
        Project(
            code=f"KP2022-{i + 1:05d}",
            name=f"基准项目{i + 1}",
            year=2022,
            department=depts[i % len(depts)],
            category="new" if i % 3 else "continuing",
            sector="infrastructure",
            total_investment_wan=Decimal(10000 + i),
            completed_before_year_wan=Decimal(100),
            annual_plan_wan=Decimal(2000 + i % 500),
            planned_start=date(2022, 1 + i % 12, 1),
            planned_end=date(2024, 12, 31),
            status="not_started",
            leader="王副县长",
            owner_unit="县城投公司",
            content="道路新建及配套管网",
            location="县城南片区",
            responsible_units="县交通局",
        )
        for i in range(n)
    ]


def raw_rows(model, objs):
    """(sql, rows) for sqlite3 executemany of the objects' concrete columns: the barest insert."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    cols = ", ".join(f'"{f.column}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    sql = f'INSERT INTO "{model._meta.db_table}" ({cols}) VALUES ({marks})'
    rows = []
    for o in objs:
        row = []
        for f in fields:
            auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            v = f.pre_save(o, True) if auto else getattr(o, f.attname)
            row.append(f.get_db_prep_save(v, connection))
        rows.append(row)
    return sql, rows


def raw_insert(model, objs):
    """sqlite3 executemany of prepared rows inside a rolled-back transaction."""
    sql, rows = raw_rows(model, objs)

    def go():
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.executemany(sql, rows)
            transaction.set_rollback(True)

    return timed(go)[0]


def sheet_cells(data: bytes):
    return calamine_read(data)[0]


def report(label, value, unit="s"):
    print(f"  {label:<44}{value:>10.3f} {unit}")


def main():
    global REPEAT
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print where import time goes")
    parser.add_argument("--only", choices=("ledger", "dispatch"), help="time one table only")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="best of this many runs")
    args = parser.parse_args()
    REPEAT = args.repeat
    n = args.rows
    call_command("migrate", verbosity=0)
    from keyprojects.ledger.models import Project

    depts, office = setup_world(n)
    print(f"Excel 基准：{n} 行，SQLite（{connection.vendor}）")

    # --- ledger ------------------------------------------------------------------------------
    Project.objects.bulk_create(make_projects(depts, n), batch_size=1000)
    if args.only != "dispatch":
        ledger(args, n, depts, office)
    if args.only != "ledger":
        dispatch(n, office)


def ledger(args, n, depts, office):
    from keyprojects.importer import services
    from keyprojects.ledger.adapters import export_ledger
    from keyprojects.ledger.models import Project

    t_export, ledger_file = timed(
        export_ledger, Project.objects.live(), year=2022, as_of=date(2022, 3, 31)
    )
    cells = sheet_cells(ledger_file)
    t_plain_write, _ = timed(openpyxl_write, cells)
    t_cal, _ = timed(calamine_read, ledger_file)
    t_opx, _ = timed(openpyxl_read, ledger_file)

    def bare_insert():
        rolled_back(Project.objects.bulk_create, make_projects(depts, n), batch_size=1000)

    Project.objects.all().delete()
    t_bulk, _ = timed(bare_insert)
    t_raw = raw_insert(Project, make_projects(depts, n))
    floor = t_cal + t_bulk
    raw_floor = t_cal + t_raw
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    t_import, preview = timed(
        rolled_back,
        services.run_file,
        "ledger",
        ledger_file,
        "bench.xlsx",
        user=office,
        reason="基准导入",
    )
    if profiler:
        profiler.disable()
    assert len(preview.creates) == n, preview.summary()
    services.run_file("ledger", ledger_file, "bench.xlsx", user=office, reason="基准导入")
    t_reimport, again = timed(
        services.run_file, "ledger", ledger_file, "bench.xlsx", user=office, dry_run=True
    )
    assert again.unchanged == n
    print(f"台账（{len(cells[0])} 列 × {n} 行，文件 {len(ledger_file) // 1024} KB）")
    report("读取 python-calamine（下限）", t_cal)
    report("读取 openpyxl read-only（对照）", t_opx)
    report("裸 bulk_create 插入", t_bulk)
    report("下限 = calamine + 裸插入", floor)
    report("导入（解析+校验+写入+历史+审计）", t_import)
    report("导入 ÷ 下限（目标 ≤ 5）", t_import / floor, "×")
    report("裸 executemany（sqlite3，无 ORM）", t_raw)
    report("导入 ÷ (calamine + executemany)", t_import / raw_floor, "×")
    report("重复导入同一文件（全部未变，预览）", t_reimport)
    report("导出台账", t_export)
    report("openpyxl write-only 写同样单元格", t_plain_write)
    report("导出 ÷ openpyxl write-only（目标 ≤ 2）", t_export / t_plain_write, "×")

    if profiler:
        print("\n台账导入耗时分布（cProfile，按累计时间前 25 项）")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def dispatch(n, office):
    from keyprojects.dispatch.adapters import export_dispatch
    from keyprojects.dispatch.models import MonthlyReport
    from keyprojects.importer import services
    from keyprojects.ledger.models import Project

    # Reports exist only for started projects (dispatch.services.start_errors).
    Project.objects.update(status="under_construction", actual_start=date(2022, 1, 10))
    projects = list(Project.objects.order_by("pk"))
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                project=p, year=2022, month=m, invested_wan=Decimal(100 + m), status="approved"
            )
            for p in projects
            for m in (1, 2, 3)
        ],
        batch_size=2000,
    )
    t_dexport, dispatch_file = timed(export_dispatch, Project.objects.live(), year=2022, month=3)
    dcells = sheet_cells(dispatch_file)
    t_dplain, _ = timed(openpyxl_write, dcells)
    MonthlyReport.objects.filter(month=3).delete()
    t_dcal, _ = timed(calamine_read, dispatch_file)
    t_dopx, _ = timed(openpyxl_read, dispatch_file)

    def bare_reports():
        with transaction.atomic():
            MonthlyReport.objects.bulk_create(
                [
                    MonthlyReport(
                        project=p, year=2022, month=3, invested_wan=Decimal(103), status="approved"
                    )
                    for p in projects
                ],
                batch_size=1000,
            )
            transaction.set_rollback(True)

    t_dbulk, _ = timed(bare_reports)
    dfloor = t_dcal + t_dbulk
    t_draw = raw_insert(
        MonthlyReport,
        [
            MonthlyReport(
                project=p, year=2022, month=3, invested_wan=Decimal(103), status="approved"
            )
            for p in projects
        ],
    )
    t_dimport, dpreview = timed(
        rolled_back,
        services.run_file,
        "dispatch",
        dispatch_file,
        "bench.xlsx",
        user=office,
        year=2022,
        month=3,
        reason="基准导入",
    )
    assert len(dpreview.creates) == n, dpreview.summary()
    print(f"调度表（{len(dcells[0])} 列 × {n} 行，文件 {len(dispatch_file) // 1024} KB）")
    report("读取 python-calamine（下限）", t_dcal)
    report("读取 openpyxl read-only（对照）", t_dopx)
    report("裸 bulk_create 插入", t_dbulk)
    report("下限 = calamine + 裸插入", dfloor)
    report("导入（解析+校验+写入+历史+审计）", t_dimport)
    report("导入 ÷ 下限（目标 ≤ 5）", t_dimport / dfloor, "×")
    report("裸 executemany（sqlite3，无 ORM）", t_draw)
    report("导入 ÷ (calamine + executemany)", t_dimport / (t_dcal + t_draw), "×")
    report("导出调度表", t_dexport)
    report("openpyxl write-only 写同样单元格", t_dplain)
    report("导出 ÷ openpyxl write-only（目标 ≤ 2）", t_dexport / t_dplain, "×")


if __name__ == "__main__":
    main()
