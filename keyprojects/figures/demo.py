"""Demo reporting calendar: plan year 2022, January to March closed (the seed's first quarter)."""

from keyprojects.figures import services
from keyprojects.figures.models import PeriodState, ReportingPeriod


def load(stdout=None) -> dict:
    from keyprojects.core.models import User

    office = User.objects.filter(username="office").first()
    services.set_current_year(2022, by=office)
    closed = []
    for month in (1, 2, 3):
        if not ReportingPeriod.objects.filter(
            year=2022, month=month, state=PeriodState.CLOSED
        ).exists():
            services.close_period(2022, month, by=office)
            closed.append(month)
    if stdout is not None and closed:
        stdout.write("调度周期：当前计划年度2022年，已结束2022年1—3月调度")
    return {"current_year": 2022, "closed": closed}
