"""Thin alias of the figures layer, kept so existing callers need no churn.

New code imports `keyprojects.figures.ledger` / `.periods` / `.dispatch` directly.
"""

from keyprojects.figures.common import (  # noqa: F401
    CENT,
    ZERO,
    expected_share_on,
    month_end,
    quarter_end,
    thresholds,
    year_rule,
)
from keyprojects.figures.common import chunks as _chunks  # noqa: F401
from keyprojects.figures.ledger import (  # noqa: F401
    DepartmentRow,
    Investment,
    LedgerSummary,
    ProjectCounts,
    colour_counts,
    default_as_of,
    ledger_summary,
    list_totals,
    overdue_by_project,
    summary,
    verdicts,
    ytd_by_project,
    ytd_total,
)
