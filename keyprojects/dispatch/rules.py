"""Monthly-report rules as pure functions: dates and numbers in, Chinese reasons out.

No Django, no clock (today is passed in). services.period_errors adds the one database check
(a report for that month already exists); the web form, the Excel import and commands all
reach these rules through it.
"""

from datetime import date

from keyprojects import dates, months


def period_problems(
    *,
    year: int,
    month: int,
    today: date,
    plan_year: int,
    project_name: str,
    status_label: str,
    started: bool,
    actual_start: date | None,
) -> list[str]:
    """Why a project cannot report on year/month (empty list: it may).

    A month after today's is refused; the report must be for the project's plan year; the
    project must have started, and not after the month reported on.
    """
    errors = []
    if months.is_future_month(year, month, today):
        errors.append(f"{year}年{month}月尚未到来，不能填报未来月份的调度报告")
    if plan_year != year:
        errors.append(f"该项目为{plan_year}年度计划项目，只能填报{plan_year}年的月报")
    if not started or actual_start is None:
        errors.append(f"项目“{project_name}”{status_label}，开工后才能填报月度调度报告")
    elif (actual_start.year, actual_start.month) > (year, month):
        errors.append(
            f"项目“{project_name}”于{actual_start.year}年{actual_start.month}月"
            f"开工，不能填报开工前（{year}年{month}月）的月报"
        )
    return errors


def milestone_date_problem(
    name: str, when: date, *, year: int, month: int, today: date
) -> str | None:
    """Why a milestone cannot be recorded as reached on `when` with the year/month report."""
    if when > months.month_end(year, month):
        return f"节点“{name}”的实际完成日期{dates.cn_date(when)}晚于{year}年{month}月"
    if when > today:
        return f"节点“{name}”的实际完成日期{dates.cn_date(when)}晚于今天"
    return None
