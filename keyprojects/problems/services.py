"""Every write of the problems app: one transaction each, the actor keyword-only, history kept.

A problem changes state only through the named transitions in TRANSITIONS; levels change only
through `escalate` (or `register`), and every level a problem reaches issues a numbered 督办单
with its notices.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max

from keyprojects.core.errors import NotAllowed
from keyprojects.core.versioning import save_versioned
from keyprojects.problems import rules
from keyprojects.problems.choices import (
    UNSETTLED,
    NoticeChannel,
    ProblemType,
    ReplyKind,
    RiskKind,
    RiskOrigin,
    Source,
    Status,
)
from keyprojects.problems.models import (
    EscalationPolicy,
    Evidence,
    Interview,
    Notice,
    Problem,
    Reply,
    RiskFlag,
    SupervisionLevel,
    SupervisionOrder,
)

# action → (allowed from, to, label). Who may take each is in permissions.py / the views.
TRANSITIONS = {
    "start": ((Status.OPEN,), Status.IN_PROGRESS, "签收办理"),
    "finish": ((Status.OPEN, Status.IN_PROGRESS), Status.DONE, "报告办结"),
    "close": ((Status.DONE,), Status.CLOSED, "复核销号"),
    "reopen": ((Status.DONE,), Status.IN_PROGRESS, "复核退回"),
}

EVIDENCE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def ladder() -> list[SupervisionLevel]:
    levels = list(SupervisionLevel.objects.order_by("rank"))
    if not levels:
        from keyprojects.problems import defaults

        defaults.ensure()
        levels = list(SupervisionLevel.objects.order_by("rank"))
    return levels


def _level_of_rank(levels, rank: int) -> SupervisionLevel:
    return next(lv for lv in levels if lv.rank == rank)


def _next_seq(year: int) -> int:
    last = (
        SupervisionOrder.objects.select_for_update().filter(year=year).aggregate(m=Max("seq"))["m"]
    )
    return (last or 0) + 1


def chat_text(order: SupervisionOrder, problem: Problem) -> str:
    """The text an office pastes into a work chat (工作群)."""
    return (
        f"【{order.level_name}·{order.number}】{order.to_department}{order.person}：\n"
        f"“{problem.project.name}”{problem.title}。{order.reason}。"
        f"请于{rules.cn(order.deadline)}前办结并在平台反馈办理情况。——{order.signer}"
    )


def _notify(order: SupervisionOrder, problem: Problem) -> list[Notice]:
    """E-mail to the responsible person (when an address is known) and the chat text."""
    subject = f"{order.level_name}单{order.number}：{problem.project.name}{problem.title}"
    body = chat_text(order, problem)
    notices = []
    if problem.person_email:
        sent = send_mail(subject, body, None, [problem.person_email], fail_silently=True)
        notices.append(
            Notice.objects.create(
                problem=problem,
                order=order,
                channel=NoticeChannel.EMAIL,
                recipient=problem.person_email,
                subject=subject,
                body=body,
                sent=bool(sent),
            )
        )
    notices.append(
        Notice.objects.create(
            problem=problem,
            order=order,
            channel=NoticeChannel.CHAT,
            recipient=f"{order.to_department}{order.person}",
            subject=subject,
            body=body,
            sent=False,
        )
    )
    return notices


def _issue(problem, level, *, deadline: date, reason: str, on: date, by) -> SupervisionOrder:
    order = SupervisionOrder(
        problem=problem,
        year=on.year,
        seq=_next_seq(on.year),
        level=level,
        colour=level.colour,
        level_name=level.name,
        issued_on=on,
        deadline=deadline,
        reason=reason,
        to_department=problem.department.name,
        person=problem.person,
        signer=level.signer,
        issued_by=by,
    )
    order._history_user = by
    order.save()
    _notify(order, problem)
    return order


@transaction.atomic
def register(problem: Problem, *, by, on: date) -> Problem:
    """Put a new problem on the register at its start level.

    Side effects: the problem row (history), its first 督办单 numbered in `on`'s year at the start
    level (提示, or higher for urgent items and leader's instructions), an e-mail and chat notice.
    """
    if problem.pk:
        raise NotAllowed("该问题已登记")
    levels = ladder()
    start = rules.start_level(
        [lv.as_rule() for lv in levels],
        EscalationPolicy.current().as_rule(),
        urgency=problem.urgency,
        source=problem.source,
    )
    problem.level = _level_of_rank(levels, start.rank)
    problem.status = Status.OPEN
    problem.raised_on = problem.raised_on or on
    if problem.deadline is None:
        problem.deadline = on + timedelta(days=problem.level.reply_days)
    if problem.deadline < problem.raised_on:
        raise NotAllowed("办理期限不能早于登记日期")
    save_versioned(problem, by=by, expected_version=None, reason="登记")
    _issue(
        problem,
        problem.level,
        deadline=problem.deadline,
        reason=f"登记问题，按{problem.level.name}办理",
        on=on,
        by=by,
    )
    return problem


@transaction.atomic
def register_from_report(report, *, by, on: date, kind: str = ProblemType.OTHER) -> Problem:
    """One click on a monthly report's 存在问题: a register entry linked to the report.

    Side effects: as `register`; risk flags the report's text names (rules.risk_kinds_in_text)
    are raised on the project unless one of that kind is already open.
    """
    text = (report.problems or "").strip()
    if not text:
        raise NotAllowed("该月报未填写“存在问题”，无可登记的问题")
    if report.register_problems.filter(deleted_at__isnull=True).exists():
        raise NotAllowed("该月报的问题已登记，请勿重复登记")
    project = report.project
    if kind not in ProblemType.values:
        raise NotAllowed("问题类型无效")
    problem = Problem(
        project=project,
        source=Source.MONTHLY_REPORT,
        kind=kind,
        title=rules.summary_title(text),
        description=text,
        department=project.department,
        person=project.contact_person
        or (report.submitted_by.display_name if report.submitted_by else "项目负责人"),
        person_email=report.submitted_by.email if report.submitted_by else "",
        person_phone=project.contact_phone,
        raised_on=on,
        deadline=None,
        report=report,
    )
    register(problem, by=by, on=on)
    for kind_ in rules.risk_kinds_in_text(text):
        if not RiskFlag.objects.filter(project=project, kind=kind_, cleared_on__isnull=True):
            raise_flag(
                RiskFlag(
                    project=project,
                    kind=kind_,
                    origin=RiskOrigin.RULE,
                    raised_on=on,
                    reason=f"{report.year}年{report.month}月月报：{text[:200]}",
                    report=report,
                ),
                by=by,
            )
    return problem


@dataclass
class Escalation:
    problem: Problem
    step: rules.Step


def pending_step(
    problem: Problem, as_of: date, levels=None, policy=None, colours=None
) -> rules.Step | None:
    levels = levels or ladder()
    policy = policy or EscalationPolicy.current().as_rule()
    if colours is None:
        colours = list(problem.orders.order_by("issued_on", "seq").values_list("colour", flat=True))
    return rules.next_step(
        [lv.as_rule() for lv in levels],
        policy,
        current_rank=problem.level.rank if problem.level else levels[0].rank,
        deadline=problem.deadline,
        as_of=as_of,
        issued_colours=colours,
        open_=problem.status in UNSETTLED,
    )


@transaction.atomic
def escalate(problem: Problem, step: rules.Step, *, on: date, by=None) -> SupervisionOrder:
    """Move a problem up (or repeat its level) as the rule decided.

    Side effects: the problem's level and deadline (history, reason 自动升级), a new numbered
    督办单 and its notices.
    """
    levels = ladder()
    level = _level_of_rank(levels, step.level.rank)
    problem.level = level
    problem.deadline = step.deadline
    save_versioned(problem, by=by, expected_version=None, reason=f"督办升级：{step.reason}")
    return _issue(problem, level, deadline=step.deadline, reason=step.reason, on=on, by=by)


def escalate_all(*, as_of: date, dry_run: bool = False, by=None) -> list[Escalation]:
    """The daily job: every unsettled problem whose deadline was missed moves one step.

    With `dry_run` nothing is written; the list says what would happen.
    """
    levels = ladder()
    policy = EscalationPolicy.current().as_rule()
    out = []
    qs = (
        Problem.objects.live()
        .unsettled()
        .filter(raised_on__lte=as_of)
        .select_related("level", "project", "department")
        .order_by("deadline", "id")
    )
    problems = [p for p in qs if as_of >= p.deadline]  # nothing is due before the deadline
    colours: dict[int, list[str]] = {p.pk: [] for p in problems}
    for pid, colour in (
        SupervisionOrder.objects.filter(problem__in=problems)
        .order_by("issued_on", "seq")
        .values_list("problem_id", "colour")
    ):
        colours[pid].append(colour)
    for problem in problems:
        step = pending_step(problem, as_of, levels, policy, colours[problem.pk])
        if step is None:
            continue
        if not dry_run:
            escalate(problem, step, on=as_of, by=by)
        out.append(Escalation(problem, step))
    return out


@transaction.atomic
def update(problem: Problem, *, by, expected_version: int | None) -> Problem:
    if problem.is_settled:
        raise NotAllowed("问题已办结或销号，不能修改")
    if problem.deadline < problem.raised_on:
        raise NotAllowed("办理期限不能早于登记日期")
    return save_versioned(problem, by=by, expected_version=expected_version)


def _round(problem: Problem) -> int:
    """Replies are grouped in rounds: a 复核 opinion closes a round."""
    return problem.replies.filter(kind=ReplyKind.REVIEW).count() + 1


@transaction.atomic
def reply(problem: Problem, *, text: str, on: date, by, files=()) -> Reply:
    """The department's feedback for this round, with evidence files.

    Side effects: a reply row; evidence stored under random names; a problem still 待办 becomes
    办理中 (签收).
    """
    if problem.is_settled:
        raise NotAllowed("问题已办结或销号，不能再反馈")
    if not text.strip():
        raise NotAllowed("请填写办理情况")
    checked = [_check_file(f) for f in files]
    row = Reply(
        problem=problem,
        round=_round(problem),
        kind=ReplyKind.REPLY,
        text=text.strip(),
        replied_on=on,
        by=by,
    )
    save_versioned(row, by=by, expected_version=None)
    for upload, content_type in checked:
        ev = Evidence(
            reply=row,
            content_type=content_type,
            original_name=upload.name[:200],
            size=upload.size,
        )
        ev.file.save(upload.name, upload, save=False)
        ev.save()
    if problem.status == Status.OPEN:
        transition(problem, "start", by=by, on=on)
    return row


def _check_file(upload):
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise NotAllowed(f"佐证材料“{name}”格式不支持：只收 JPG、PNG、PDF、DOCX、XLSX")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise NotAllowed(f"佐证材料“{name}”超过10MB")
    head = upload.read(8)
    upload.seek(0)
    magic = {
        "image/jpeg": b"\xff\xd8\xff",
        "image/png": b"\x89PNG",
        "application/pdf": b"%PDF",
    }.get(EVIDENCE_TYPES[ext], b"PK\x03\x04")
    if not head.startswith(magic):
        raise NotAllowed(f"佐证材料“{name}”的内容与扩展名不符")
    return upload, EVIDENCE_TYPES[ext]


@transaction.atomic
def transition(
    problem: Problem,
    action: str,
    *,
    by,
    on: date,
    note: str = "",
    expected_version: int | None = None,
) -> Problem:
    """Take a named transition (TRANSITIONS).

    Side effects: status (history with the action as reason); 报告办结 sets 办结日期; 复核销号
    sets 销号日期 and the review note; 复核 (either way) writes a review reply closing the round.
    """
    if action not in TRANSITIONS:
        raise NotAllowed("未知操作")
    sources, target, label = TRANSITIONS[action]
    if problem.status not in sources:
        raise NotAllowed(f"问题当前为“{problem.get_status_display()}”，不能{label}")
    if action in ("close", "reopen") and not note.strip():
        raise NotAllowed("请填写复核意见")
    problem.status = target
    if action == "finish":
        problem.done_on = on
    if action == "close":
        problem.closed_on = on
        problem.review_note = note.strip()[:300]
    if action == "reopen":
        problem.done_on = None
        problem.review_note = note.strip()[:300]
    if action in ("close", "reopen"):
        row = Reply(
            problem=problem,
            round=_round(problem),
            kind=ReplyKind.REVIEW,
            text=f"{label}：{note.strip()}",
            replied_on=on,
            by=by,
        )
        save_versioned(row, by=by, expected_version=None)
    return save_versioned(problem, by=by, expected_version=expected_version, reason=label)


@transaction.atomic
def record_interview(interview: Interview, *, by) -> Interview:
    """A 约谈 record; an agreed new deadline becomes the problem's deadline (history)."""
    problem = interview.problem
    if interview.order_id is None:
        interview.order = problem.orders.order_by("-issued_on", "-seq").first()
    save_versioned(interview, by=by, expected_version=None)
    if interview.new_deadline and not problem.is_settled:
        problem.deadline = interview.new_deadline
        save_versioned(problem, by=by, expected_version=None, reason="约谈约定新的办理期限")
    return interview


@transaction.atomic
def delete(problem: Problem, *, by) -> Problem:
    if problem.is_deleted:
        raise NotAllowed("该问题已删除")
    problem.mark_deleted(by)
    return save_versioned(problem, by=by, expected_version=None, reason="删除")


# --- Risk flags -------------------------------------------------------------------------------


def _set_project_status(project, status, *, by, reason):
    from keyprojects.ledger import services as ledger_services

    project.status = status
    project._change_reason = reason
    ledger_services.save_project(project, by=by)


@transaction.atomic
def raise_flag(flag: RiskFlag, *, by) -> RiskFlag:
    """Raise a risk on a project.

    Side effects: the flag row (history); a 停工 flag on a project 在建 sets the ledger status to
    停工 through the ledger service (project history), so the ledger and its figures agree.
    """
    from keyprojects.ledger.choices import Status as ProjectStatus

    counted = flag.workers_on_site is not None and flag.workers_needed
    if (
        flag.kind == RiskKind.LABOUR
        and counted
        and not rules.labour_short(flag.workers_on_site, flag.workers_needed)
    ):
        raise NotAllowed(
            f"在岗{flag.workers_on_site}人已达到需要人数{flag.workers_needed}人的"
            f"{rules.LABOUR_MIN_SHARE_PCT}%，不构成用工不足"
        )
    save_versioned(flag, by=by, expected_version=None)
    project = flag.project
    stops = flag.kind == RiskKind.STOPPED and flag.is_open
    if stops and project.status == ProjectStatus.UNDER_CONSTRUCTION:
        _set_project_status(project, ProjectStatus.SUSPENDED, by=by, reason=f"停工：{flag.reason}")
    return flag


@transaction.atomic
def clear_flag(flag: RiskFlag, *, on: date, by) -> RiskFlag:
    """Clear a risk (for 停工: 复工 on `on`, and the ledger status goes back to 在建)."""
    from keyprojects.ledger.choices import Status as ProjectStatus

    if not flag.is_open:
        raise NotAllowed("该风险已解除")
    if on < flag.raised_on:
        raise NotAllowed("解除（复工）日期不能早于发生日期")
    flag.cleared_on = on
    save_versioned(flag, by=by, expected_version=None, reason="解除")
    project = flag.project
    if flag.kind == RiskKind.STOPPED and project.status == ProjectStatus.SUSPENDED:
        _set_project_status(project, ProjectStatus.UNDER_CONSTRUCTION, by=by, reason="复工")
    return flag
