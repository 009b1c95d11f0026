"""The dashboard's data endpoint at 10,000 projects against a hand-written SQL floor.

The floor computes the same figures (counts, sums, 开工率, colours with their rules, the
monthly trend, the first red/yellow rows) in three SQL statements and no ORM; the app is
GET /dashboard/data.json through Django's test client (permissions, ORM, JSON included).
Prints app, floor and their ratio (the target is ≤ 3), and one JSON line at the end.
Usage: python bench/bench_dashboard.py [--projects N]

`measure(client, year=, month=, as_of=)` is reused by bench/bench_figures.py (and so by
`bench/run.py --json`) on a closed month, which the dashboard reads from the period snapshot.
"""

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

YEAR, MONTH, AS_OF = 2022, 6, date(2022, 6, 30)

FIGURES_SQL = """
WITH ytd AS (
  SELECT project_id, SUM(invested_wan) AS done FROM dispatch_monthlyreport
  WHERE status = 'approved' AND year = %(year)s AND month <= %(month)s GROUP BY project_id
), od AS (
  SELECT project_id, MAX(julianday(%(as_of)s) - julianday(planned_date)) AS days
  FROM ledger_milestone
  WHERE deleted_at IS NULL AND planned_date < %(as_of)s
    AND (actual_date IS NULL OR actual_date > %(as_of)s)
  GROUP BY project_id
), p AS (
  SELECT p.id, p.department_id, p.category, p.annual_plan_wan AS plan,
         p.total_investment_wan AS total, COALESCE(ytd.done, 0) AS done, od.days,
         (p.actual_start IS NOT NULL AND p.actual_start <= %(as_of)s) AS started,
         p.planned_start
  FROM ledger_project p LEFT JOIN ytd ON ytd.project_id = p.id LEFT JOIN od ON od.project_id = p.id
  WHERE p.deleted_at IS NULL AND p.year = %(year)s
), c AS (
  SELECT *, CASE
    WHEN category = 'reserve' THEN NULL
    WHEN days > 30 THEN 'red'
    WHEN NOT started AND planned_start <= %(as_of)s AND (
      (CAST(strftime('%%Y', %(as_of)s) AS INT) * 12
        + CAST(strftime('%%m', %(as_of)s) AS INT))
      - (CAST(strftime('%%Y', planned_start) AS INT) * 12
        + CAST(strftime('%%m', planned_start) AS INT))
    ) >= 3 THEN 'red'
    WHEN started AND plan > 0 AND (%(share)s - done * 1.0 / plan) * 100 > 30 THEN 'red'
    WHEN days > 0 THEN 'yellow'
    WHEN NOT started AND planned_start <= %(as_of)s THEN 'yellow'
    WHEN started AND plan > 0 AND (%(share)s - done * 1.0 / plan) * 100 > 0 THEN 'yellow'
    ELSE 'green' END AS colour
  FROM p
)
SELECT department_id, COUNT(*), SUM(category != 'reserve'), SUM(category = 'reserve'),
       SUM(started AND category != 'reserve'), SUM(CASE WHEN category != 'reserve' THEN plan END),
       SUM(CASE WHEN category != 'reserve' THEN done END),
       SUM(CASE WHEN colour = 'red' THEN 1 ELSE 0 END),
       SUM(CASE WHEN colour = 'yellow' THEN 1 ELSE 0 END),
       SUM(CASE WHEN colour = 'green' THEN 1 ELSE 0 END)
FROM c GROUP BY department_id
"""

TREND_SQL = """
SELECT r.month, SUM(r.invested_wan) FROM dispatch_monthlyreport r
JOIN ledger_project p ON p.id = r.project_id
WHERE r.status = 'approved' AND r.year = %(year)s AND r.month <= %(month)s
  AND p.deleted_at IS NULL AND p.year = %(year)s AND p.category != 'reserve'
GROUP BY r.month
"""

FLAGGED_SQL = """
SELECT p.id, p.name, d.short_name FROM ledger_project p JOIN core_department d
  ON d.id = p.department_id
LEFT JOIN (
  SELECT project_id, SUM(invested_wan) AS done FROM dispatch_monthlyreport
  WHERE status = 'approved' AND year = %(year)s AND month <= %(month)s GROUP BY project_id
) y ON y.project_id = p.id
WHERE p.deleted_at IS NULL AND p.year = %(year)s AND p.category != 'reserve'
  AND p.actual_start <= %(as_of)s AND p.annual_plan_wan > 0
  AND (%(share)s - COALESCE(y.done, 0) * 1.0 / p.annual_plan_wan) > 0
ORDER BY d."order", p.code LIMIT 30
"""


def floor(year=YEAR, month=MONTH, as_of=AS_OF):
    params = {"year": year, "month": month, "as_of": as_of.isoformat(), "share": month / 12}
    with connection.cursor() as cur:
        cur.execute(FIGURES_SQL, params)
        rows = cur.fetchall()
        cur.execute(TREND_SQL, params)
        trend = cur.fetchall()
        cur.execute(FLAGGED_SQL, params)
        flagged = cur.fetchall()
    return rows, trend, flagged


def best_of(fn, repeat=5):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best


def measure(client, *, year=YEAR, month=MONTH, as_of=AS_OF, repeat=5, colours=True):
    """Time GET /dashboard/data.json?year=&month= (client logged in) against the SQL floor.

    Checks first that both count the same projects (and, with `colours`, the same colours:
    the floor derives them from the tables, so a month with 未报送 projects may differ).
    Returns {"app_s", "floor_s", "ratio", "queries", "payload"}."""
    url = f"/dashboard/data.json?year={year}&month={month}"

    def app():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.json()

    def sql():
        return floor(year, month, as_of)

    payload = app()
    rows, _, _ = sql()
    h = payload["headline"]
    assert sum(r[1] for r in rows) == h["listed"]["value"]
    assert sum(r[4] for r in rows) == h["started"]["value"]
    if colours:
        assert [sum(r[i] for r in rows) for i in (7, 8, 9)] == [c["value"] for c in h["colours"]]
    with CaptureQueriesContext(connection) as ctx:
        app()
    queries = len(ctx.captured_queries)  # now: each request clears the connection's log
    app_s, floor_s = best_of(app, repeat), best_of(sql, repeat)
    return {
        "app_s": app_s,
        "floor_s": floor_s,
        "ratio": app_s / floor_s,
        "queries": queries,
        "payload": payload,
    }


def main():
    from bench_ledger import build  # sets up Django and the same 10,000 projects
    from django.core.management import call_command
    from django.test import Client

    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    user = build(args.projects)
    print(f"构建：{args.projects}个项目，用时 {time.perf_counter() - t0:.1f} s")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    m = measure(client)
    app_s, floor_s, ratio, queries = m["app_s"], m["floor_s"], m["ratio"], m["queries"]
    print(
        f"{'一屏统览数据接口 /dashboard/data.json':<40} {app_s * 1000:9.1f} ms  {queries:4d} 条查询"
    )
    print(f"{'手写SQL下限（同样的数字）':<40} {floor_s * 1000:9.1f} ms  {3:4d} 条查询")
    print(f"{'比值（目标 ≤ 3）':<40} {ratio:9.2f}")
    print(
        json.dumps(
            {
                "dashboard": {
                    "projects": args.projects,
                    "app_ms": round(app_s * 1000, 1),
                    "floor_ms": round(floor_s * 1000, 1),
                    "ratio": round(ratio, 2),
                    "queries": queries,
                }
            }
        )
    )


if __name__ == "__main__":
    main()
