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


def chat_text(department, owed: list, year: int, month: int) -> str:
    """The reminder as the office pastes it into the work chat group: short, the projects
    numbered, the deadline in the house format."""
    lines = "\n".join(f"{i}. {p.name}" for i, p in enumerate(owed, 1))
    due = services.deadline(year, month)
    return (
        f"【待报提醒】{department.name}：以下{len(owed)}个重点项目尚未报送"
        f"{dates.cn_month((year, month))}月度调度报告，截止{dates.cn_date(due)}，"
        f"请尽快登录重点项目调度平台填报。\n{lines}"
    )


def remind(year: int, month: int, *, projects=None, send: bool = True) -> list[dict]:
    """E-mail each department's reporters the projects owing a report for year/month.

    Returns [{"department", "projects", "recipients", "sent", "chat"}]: departments without a
    reporter e-mail address are listed with no recipients (nothing is sent for them: the
    page names them as unreachable); "chat" is the text to paste into the chat group.
    `send=False` only drafts the texts (the 待报 page shows them).
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
            {
                "department": department,
                "projects": owed,
                "recipients": recipients,
                "sent": sent,
                "chat": chat_text(department, owed, year, month),
            }
        )
    return out
