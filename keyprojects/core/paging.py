"""Paging of long lists (ledger, reserve pool): the page sizes a user may pick and the
orphan rule, so every paginated page behaves the same."""

from django.conf import settings
from django.core.paginator import Paginator

PAGE_SIZES = {"20": "20", "50": "50", "100": "100", "all": "全部"}
ORPHANS = 9


def paginate(qs, params, count: int, *, page_param: str = "page"):
    """→ (page, sizes): the requested page of `qs` (an unknown or out-of-range page falls back
    to the first or last) and the page-size links [(value, label, chosen)].

    `count` comes from the caller's aggregate over the same rows, so the paginator runs no
    COUNT of its own."""
    size = params.get("size", "")
    if size not in PAGE_SIZES:
        size = ""
    per_page = int(size) if size.isdigit() else settings.KP_PAGE_SIZE
    if size == "all":
        per_page = max(count, 1)
    # A county with 51 projects should not get a second page holding one: a last page of fewer
    # than ORPHANS + 1 rows is folded into the page before it.
    paginator = Paginator(qs, per_page, orphans=min(ORPHANS, per_page // 2))
    paginator.count = count
    page = paginator.get_page(params.get(page_param))
    return page, [(value, label, value == size) for value, label in PAGE_SIZES.items()]
