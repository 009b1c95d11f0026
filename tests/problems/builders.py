"""Problems, orders and risks for tests, made through the services (as users make them)."""

from datetime import date

from keyprojects.problems import services
from keyprojects.problems.models import Problem, RiskFlag


def problem(project, office, *, on=date(2022, 3, 5), deadline=date(2022, 3, 20), **kw):
    defaults = dict(
        project=project,
        source="inspection",
        kind="other",
        title="一期主体结构封顶节点逾期",
        description="一期主体结构封顶节点逾期，主体结构进度滞后",
        department=project.department,
        person="刘科长",
        person_email="liu@example.invalid",
        raised_on=on,
        deadline=deadline,
    )
    defaults.update(kw)
    return services.register(Problem(**defaults), by=office, on=on)


def flag(project, office, kind="funding", on=date(2022, 3, 8), **kw):
    return services.raise_flag(
        RiskFlag(
            project=project, kind=kind, raised_on=on, reason=kw.pop("reason", "资金压力"), **kw
        ),
        by=office,
    )
