"""Ledger at county-and-beyond scale: 10,000 projects, 12 months of approved reports, SQLite.

Prints build time, then the time and query count of what every user does: the summary figures
(stats.ledger_summary), the ledger list page (first page, colour filter, colour sort), a project
page, and `keyprojects stats --json`. Usage: python bench/bench_ledger.py [--projects N]
"""

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scratch import scratch_dir  # noqa: E402  (bench/ is on the path of a bench script)

if not os.environ.get("KEYPROJECTS_DATA_DIR"):
    os.environ["KEYPROJECTS_DATA_DIR"] = scratch_dir("kp-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "keyprojects.settings"
os.environ["KEYPROJECTS_DEBUG"] = "true"  # static files without collectstatic

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from keyprojects import stats  # noqa: E402
from keyprojects.core.choices import Role  # noqa: E402
from keyprojects.core.models import Department, User  # noqa: E402
from keyprojects.dispatch.models import MonthlyReport  # noqa: E402
from keyprojects.ledger.models import Milestone, Project  # noqa: E402


def build(n: int) -> User:
    depts = [
        Department.objects.create(name=f"单位{i:02d}", short_name=f"单位{i:02d}", order=i)
        for i in range(30)
    ]
    projects = []
    for i in range(n):
        started = i % 3 != 0
        projects.append(
            Project(
                code=f"B{i:06d}",
                name=f"基准项目{i}",
                year=2022,
                department=depts[i % 30],
                category=("continuing", "new", "reserve")[i % 3 if i % 10 else 2],
                sector="infrastructure",
                total_investment_wan=Decimal(10000),
                completed_before_year_wan=Decimal(0),
                annual_plan_wan=Decimal(1200),
                planned_start=date(2022, 1 + i % 12, 1),
                planned_end=date(2023, 12, 31),
                actual_start=date(2022, 1, 10) if started else None,
                status="under_construction" if started else "not_started",
            )
        )
    for p in projects:
        if p.category == "reserve":
            p.actual_start, p.status, p.annual_plan_wan = None, "not_started", Decimal(0)
    Project.objects.bulk_create(projects, batch_size=2000)
    ids = list(Project.objects.filter(actual_start__isnull=False).values_list("pk", flat=True))
    MonthlyReport.objects.bulk_create(
        [
            MonthlyReport(
                project_id=pk,
                year=2022,
                month=m,
                invested_wan=Decimal(80 + pk % 40),
                status="approved",
            )
            for pk in ids
            for m in range(1, 13)
        ],
        batch_size=5000,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(
                project_id=pk, phase="main_works", name="主体完工", planned_date=date(2022, 6, 30)
            )
            for pk in ids[::4]
        ],
        batch_size=5000,
    )
    return User.objects.create(username="bench", role=Role.OFFICE)


def timed(label, fn, repeat=3):
    best, queries = None, 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx.captured_queries)
    print(f"{label:<44} {best * 1000:9.1f} ms  {queries:4d} 条查询")
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    user = build(args.projects)
    reports = MonthlyReport.objects.count()
    print(f"构建：{args.projects}个项目、{reports}份月报，用时 {time.perf_counter() - t0:.1f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    some = Project.objects.filter(actual_start__isnull=False).first()

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    timed("stats.ledger_summary(2022, Q4)", lambda: stats.ledger_summary(2022, quarter=4))
    timed("stats.ledger_summary(2022, Q1)", lambda: stats.ledger_summary(2022, quarter=1))
    timed("台账列表 第1页", lambda: get("/projects/?year=2022"))
    timed("台账列表 红灯筛选", lambda: get("/projects/?year=2022&colour=red"))
    timed("台账列表 按预警排序", lambda: get("/projects/?year=2022&o=colour"))
    timed("台账列表 搜索", lambda: get("/projects/?year=2022&q=基准项目99"))
    timed("项目汇总页", lambda: get("/projects/summary/?year=2022&quarter=4"))
    timed("项目详情页", lambda: get(f"/projects/{some.pk}/"))


if __name__ == "__main__":
    main()
