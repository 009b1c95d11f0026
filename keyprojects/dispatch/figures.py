"""Figures of one monthly report, from the figures layer (never typed, never stored)."""

from decimal import Decimal

from keyprojects import stats
from keyprojects.dispatch.models import MonthlyReport


def derived_figures(report: MonthlyReport) -> dict[str, Decimal]:
    """1–N月累计 and 开工累计 of a report: approved earlier months + this month's amount.

    Never typed: the earlier months come from approved reports only (stats.ytd_by_project).
    """
    before = stats.ytd_by_project([report.project_id], report.year, report.month - 1).get(
        report.project_id, Decimal(0)
    )
    ytd = before + report.invested_wan
    return {
        "approved_before_wan": before,
        "ytd_wan": ytd,
        "cumulative_wan": report.project.completed_before_year_wan + ytd,
    }
