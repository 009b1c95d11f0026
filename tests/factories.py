"""One plain factory per model: valid defaults, anything overridable, no surprises."""

import itertools
from datetime import date
from decimal import Decimal

from keyprojects.core.choices import Role
from keyprojects.core.models import Department, User
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.ledger.models import Milestone, Project

_seq = itertools.count(1)
PASSWORD = "Kp@test2022"


def department(**kw) -> Department:
    n = next(_seq)
    kw.setdefault("name", f"测试单位{n}")
    kw.setdefault("short_name", f"单位{n}")
    return Department.objects.create(**kw)


def user(role=Role.OFFICE, department=None, **kw) -> User:
    n = next(_seq)
    u = User(
        username=kw.pop("username", f"user{n}"),
        role=role,
        department=department,
        full_name=kw.pop("full_name", f"用户{n}"),
        **kw,
    )
    u.set_password(PASSWORD)
    u.save()
    return u


def project(department, **kw) -> Project:
    n = next(_seq)
    defaults = dict(
        code=f"T{n:05d}",
        name=f"测试项目{n}",
        year=2022,
        category="new",
        sector="infrastructure",
        total_investment_wan=Decimal("1000"),
        completed_before_year_wan=Decimal("0"),
        annual_plan_wan=Decimal("400"),
        planned_start=date(2022, 1, 1),
        planned_end=date(2023, 12, 31),
        status="not_started",
    )
    defaults.update(kw)
    return Project.objects.create(department=department, **defaults)


def started_project(department, start=date(2022, 1, 10), **kw) -> Project:
    return project(department, actual_start=start, status="under_construction", **kw)


def milestone(project, **kw) -> Milestone:
    kw.setdefault("phase", "construction_permit")
    kw.setdefault("name", "施工许可")
    kw.setdefault("planned_date", date(2022, 2, 1))
    return Milestone.objects.create(project=project, **kw)


def report(project, month, invested, status=ReportStatus.APPROVED, year=2022, **kw):
    return MonthlyReport.objects.create(
        project=project,
        year=year,
        month=month,
        invested_wan=Decimal(str(invested)),
        status=status,
        **kw,
    )
