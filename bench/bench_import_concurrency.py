"""Do other pages answer while a 10,000-row import writes? (issue #21, SQLite)

    .venv/bin/python bench/bench_import_concurrency.py [--rows 10000] [--kind ledger|dispatch]

Runs on a throwaway SQLite database (WAL) in a temp folder: creates the projects (dispatch) or
departments (ledger), starts `keyprojects import_<kind>` in another process, and meanwhile
asks for pages as a logged-in office user, printing how long each took while the import was
writing. Target: every page within 1 s. Before the fix every request saved its session and
so waited for the import's write lock (10–17 s).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scratch import scratch_dir  # noqa: E402  (bench/ is on the path of a bench script)

os.environ["KEYPROJECTS_DATA_DIR"] = scratch_dir("kp-bench-concurrency-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Pages render in this process without collectstatic (as the tests do).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = ["/excel/", "/projects/", "/dispatch/", "/projects/summary/"]


def world(n: int, kind: str):
    from keyprojects.core.choices import Role
    from keyprojects.core.models import Department, User
    from keyprojects.ledger.models import Project

    depts = [
        Department.objects.create(name=f"基准单位{i}", short_name=f"基{i}", order=i)
        for i in range(10)
    ]
    office = User.objects.create(username="bench-office", role=Role.OFFICE, full_name="办公室")
    if kind == "dispatch":
        Project.objects.bulk_create(
            Project(
                code=f"ZD2022-{i + 1:05d}",
                name=f"基准项目{i + 1}",
                year=2022,
                department=depts[i % 10],
                category="new",
                sector="infrastructure",
                total_investment_wan=Decimal(10000),
                annual_plan_wan=Decimal(2000),
                actual_start=date(2022, 1, 10),
                status="under_construction",
            )
            for i in range(n)
        )
    return depts, office


def workbook(n: int, kind: str, depts) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("表")
    if kind == "ledger":
        ws.append(["2022年重点项目台账"])
        ws.append(["项目名称", "牵头单位", "项目类别", "行业领域", "总投资", "年度计划投资"])
        for i in range(n):
            ws.append([f"导入项目{i + 1}", depts[i % 10].name, "新开工", "基础设施", 1000, 400])
    else:
        ws.append(["2022年1-3月调度表"])
        ws.append(["项目编号", "项目名称", "1-3月完成投资"])
        for i in range(n):
            ws.append([f"ZD2022-{i + 1:05d}", f"基准项目{i + 1}", 30])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--kind", choices=["ledger", "dispatch"], default="ledger")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    depts, office = world(args.rows, args.kind)
    path = Path(os.environ["KEYPROJECTS_DATA_DIR"]) / f"{args.kind}.xlsx"
    path.write_bytes(workbook(args.rows, args.kind, depts))
    client = Client(HTTP_HOST="localhost")
    client.force_login(office)
    for url in PAGES:  # warm up (templates, first queries)
        assert client.get(url).status_code < 500, url
    cmd = [sys.executable, "-m", "keyprojects", f"import_{args.kind}", str(path)]
    cmd += ["--year", "2022"] if args.kind == "ledger" else ["--month", "2022-03"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    timings: dict[str, list[float]] = {url: [] for url in PAGES}
    while proc.poll() is None:
        for url in PAGES:
            t = time.perf_counter()
            status = client.get(url).status_code
            timings[url].append(time.perf_counter() - t)
            assert status < 500, (url, status)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"导入失败：{proc.stderr.read().decode()[-2000:]}")
    print(f"{args.kind} import of {args.rows} rows took {took:.1f} s in another process")
    worst = 0.0
    for url, ts in timings.items():
        if ts:
            worst = max(worst, max(ts))
            print(
                f"  {url:28} {len(ts):3} requests  median {statistics.median(ts):.3f} s"
                f"  max {max(ts):.3f} s"
            )
    print(f"slowest page while the import wrote: {worst:.3f} s (target ≤ 1 s)")


if __name__ == "__main__":
    main()
