"""待报 reminders: e-mail each department the projects still owing a month's report.

Used by the 待报 page and `keyprojects dispatch remind`; who owes what comes from
services.due_by_department, the wording of the e-mail lives here.
"""

from django.core.mail import send_mail

from keyprojects import dates
from keyprojects.core.choices import Role
from keyprojects.core.models import User
from keyprojects.dispatch import services
from keyprojects.ledger.models import Project


def remind(year: int, month: int, *, projects=None, send: bool = True) -> list[dict]:
    """E-mail each department's reporters the projects owing a report for year/month.

    Returns [{"department", "projects", "recipients", "sent"}]; departments without a
    reporter e-mail address are listed with no recipients (nothing is sent for them).
    """
    scope = projects if projects is not None else Project.objects.live()
    out = []
    for department, owed in services.due_by_department(scope, year, month):
        recipients = list(
            User.objects.filter(role=Role.REPORTER, department=department, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        lines = "\n".join(f"  {i}. {p.name}（{p.code}）" for i, p in enumerate(owed, 1))
        due = services.deadline(year, month)
        body = (
            f"{department.name}：\n\n以下{len(owed)}个重点项目尚未报送{year}年{month}月的月度调度"
            f"报告，报送截止日期为{dates.cn_date(due)}，请尽快登录重点项目调度平台"
            f"填报：\n{lines}\n\n重点项目办"
        )
        sent = 0
        if send and recipients:
            sent = send_mail(
                f"【待报提醒】{year}年{month}月重点项目月度调度报告",
                body,
                None,
                recipients,
            )
        out.append(
            {"department": department, "projects": owed, "recipients": recipients, "sent": sent}
        )
    return out
