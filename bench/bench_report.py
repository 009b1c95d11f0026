"""The quarterly report at 10,000 projects (SQLite): figures context, preview page, generating
the stored .docx (page button and `keyprojects report quarterly`). Target: seconds.

    .venv/bin/python bench/bench_report.py [--projects N]

The data is bench_ledger's (30 departments, 12 months of approved reports).
"""

import argparse
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_ledger  # noqa: E402  (sets up Django on a throwaway data folder)
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from scratch import scratch_dir  # noqa: E402

from keyprojects import stats  # noqa: E402
from keyprojects.report import services  # noqa: E402
from keyprojects.report.models import GeneratedReport  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    user = bench_ledger.build(args.projects)
    print(f"构建：{args.projects}个项目，用时 {time.perf_counter() - t0:.1f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    timed = bench_ledger.timed

    timed("台账汇总 stats.ledger_summary（对照）", lambda: stats.ledger_summary(2022, quarter=1))
    timed("报告数字（台账汇总 + 各数据块）", lambda: services.build_context(2022, 1))
    timed("预览文字", lambda: services.preview(2022, 1))

    def page():
        r = client.get("/reports/quarterly/?year=2022&quarter=1")
        assert r.status_code == 200, r.status_code

    timed("季度报告预览页", page)

    def generate():
        r = client.post("/reports/quarterly/generate/", {"year": 2022, "quarter": 1})
        assert r.status_code == 302, r.status_code

    timed("生成并保存Word（页面按钮）", generate)
    out = Path(scratch_dir("kp-bench-report-")) / "报告.docx"
    timed(
        "keyprojects report quarterly",
        lambda: call_command(
            "report", "quarterly", "--year", "2022", "--quarter", "1", "--out", str(out),
            "--appendix", stdout=StringIO(),
        ),
    )  # fmt: skip
    report = GeneratedReport.objects.order_by("-pk").first()
    print(
        f"报告文字 {len(report.text)} 字，Word {len(bytes(report.docx)) // 1024} KB（含附件清单）"
    )


if __name__ == "__main__":
    main()
