"""A province's report: the project lists are cut at APPENDIX_LIMIT, every figure stays exact
(counts and the names quoted in text come from the database), the appendix says it is cut."""

import pytest

from keyprojects.core.models import Department
from keyprojects.ledger.models import Project
from keyprojects.report import context

pytestmark = pytest.mark.django_db


def _shown(ctx):
    return {name: fig.display() for name, fig in ctx.figures.items()}


def _busiest():
    """The department with the most projects not started (a department's report is cut too)."""
    counts = {}
    for p in (
        Project.objects.live()
        .filter(year=2022, actual_start__isnull=True)
        .exclude(category="reserve")
    ):
        counts[p.department_id] = counts.get(p.department_id, 0) + 1
    return Department.objects.get(pk=max(counts, key=counts.get))


@pytest.mark.parametrize("per_department", [False, True])
def test_a_cut_list_changes_no_figure_and_says_so_in_the_appendix(
    demo_world, monkeypatch, per_department
):
    dept = _busiest() if per_department else None
    whole = context.build(2022, 1, department=dept, providers={}, appendix=True)
    assert whole.appendix[0][0].startswith("一、未达到序时进度的项目（")
    behind = len(whole.appendix[0][1])
    not_started = len(whole.appendix[1][1])
    assert not_started > 2  # the demo has enough to cut
    monkeypatch.setattr(context, "APPENDIX_LIMIT", 2)
    cut = context.build(2022, 1, department=dept, providers={}, appendix=True)
    assert _shown(cut) == _shown(whole)
    # Without an appendix no list is read: the same figures, from counts and names in SQL.
    bare = context.build(2022, 1, department=dept, providers={})
    assert _shown(bare) == _shown(whole) and bare.appendix == []
    assert cut.figures["county.late_start"].value == whole.figures["county.late_start"].value
    assert cut.appendix[1] == (
        f"二、未开工项目（{not_started}个，列出前2个；完整清单请从项目台账导出Excel）",
        whole.appendix[1][1][:2],
    )
    if behind > 2:
        assert cut.appendix[0][1] == whole.appendix[0][1][:2]
        assert "列出前2个" in cut.appendix[0][0]
    else:
        assert cut.appendix[0] == whole.appendix[0]


def test_department_names_of_a_cut_list_come_from_each_department(demo_world, monkeypatch):
    """Names quoted per department are that department's first ones, even when the county list
    is cut before reaching it."""
    monkeypatch.setattr(context, "APPENDIX_LIMIT", 1)
    cut = context.build(2022, 1, providers={})
    monkeypatch.setattr(context, "APPENDIX_LIMIT", 500)
    whole = context.build(2022, 1, providers={})
    for row_cut, row_whole in zip(cut.departments, whole.departments, strict=True):
        assert row_cut["dept.behind_names"].display() == row_whole["dept.behind_names"].display()
        assert row_cut["dept.behind_schedule"].value == row_whole["dept.behind_schedule"].value
    assert sum(bool(r["dept.behind_names"].value) for r in cut.departments) > 1


def test_late_starts_of_a_department_are_counted_in_its_scope(demo_world):
    from keyprojects.figures import ledger as figures
    from keyprojects.figures import periods

    dept = _busiest()
    whole = context.build(2022, 1, department=dept, providers={})
    period = periods.quarter_period(2022, 1)
    scope = Project.objects.live().filter(department=dept)
    names, count = figures.late_starts(period, scope, period.as_of, names=3)
    assert count == whole.figures["county.late_start"].value
    assert "、".join(names) == whole.figures["county.late_start_names"].display()
    _, total = figures.late_starts(period, None, period.as_of, names=3)
    county = context.build(2022, 1, providers={})
    assert total == county.figures["county.late_start"].value
    by_department = [
        figures.late_starts(
            period, Project.objects.live().filter(department=d), period.as_of, names=3
        )[1]
        for d in Department.objects.all()
    ]
    assert sum(by_department) == total and max(by_department) == count
