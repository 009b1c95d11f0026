"""Demo problems (示例数据): the seed report's second part in the states its text describes,
run through the real services day by day from January to mid-May 2022, so the 督办 ladder, the
numbered 督办单, 约谈 and 复核/销号 are what the daily job would have produced."""

from datetime import date, timedelta

from django.db import transaction

D = date

# name, project, dept key, source, kind, urgency, raised, deadline, person, description
PROBLEMS = [
    (
        "bgy",
        "碧桂园·凤凰城项目",
        "zhujian",
        "inspection",
        "stoppage",
        "urgent",
        D(2022, 1, 14),
        D(2022, 2, 28),
        "住建委 刘科长",
        "受宏观政策和企业资金影响，项目自2021年12月停工，前期进展较快但目前仍未复工",
    ),
    (
        "za",
        "中昂新城商住项目",
        "zhujian",
        "monthly_report",
        "other",
        "normal",
        D(2022, 3, 5),
        D(2022, 3, 20),
        "住建委 刘科长",
        "未按时间节点推进：一期主体结构封顶节点（计划2022年2月28日）逾期，主体结构进度滞后",
    ),
    (
        "df",
        "丹凤路综合改造工程",
        "chengguan",
        "monthly_report",
        "pipelines",
        "normal",
        D(2022, 3, 18),
        D(2022, 3, 31),
        "城管局 陈科长",
        "未按时间节点推进：管网迁改完成节点（计划2022年3月15日）逾期，杆线管网迁改滞后",
    ),
    (
        "jk",
        "健康路改造工程",
        "zhujian",
        "meeting",
        "pipelines",
        "normal",
        D(2022, 3, 1),
        D(2022, 3, 25),
        "住建委 刘科长",
        "原定2022年2月开工，因杆线迁改未完成至今未动工",
    ),
    (
        "xf",
        "学府二路至外环线道路工程",
        "zhujian",
        "meeting",
        "demolition",
        "normal",
        D(2022, 3, 10),
        D(2022, 4, 30),
        "住建委 刘科长",
        "原定2022年3月开工，征地拆迁未完成，施工许可未办理，到期未动工",
    ),
    (
        "fm",
        "凤鸣江湾住宅小区",
        "zhujian",
        "monthly_report",
        "labour",
        "normal",
        D(2022, 3, 8),
        D(2022, 3, 28),
        "住建委 刘科长",
        "返岗复工的工人太少（在岗60人，需要200人），虽在施工但隐患较多，随时可能停摆",
    ),
    (
        "fh",
        "凤凰隧道及连接道工程",
        "chengguan",
        "completion_audit",
        "quality",
        "normal",
        D(2022, 2, 20),
        D(2022, 3, 31),
        "城管局 陈科长",
        "竣工审计指出：自行车便道标高不一致，存在较陡切面；葫芦盖摆放不标准；路沿石安装不标准",
    ),
    (
        "xmt",
        "西门塘片区土地收储及基础设施",
        "guizi",
        "meeting",
        "demolition",
        "normal",
        D(2022, 3, 15),
        D(2022, 3, 28),
        "规资局 张科长",
        "片区内部分拆迁房屋受制于资金压力，没有拆除，影响场平及市政配套施工",
    ),
]

# Monthly reports whose 存在问题 the problem came from: key → (year, month).
FROM_REPORT = {"za": 2, "df": 2, "fm": 2}

# (project, kind, raised, reason, on site, needed, cleared)
RISKS = [
    (
        "碧桂园·凤凰城项目",
        "stopped",
        D(2021, 12, 20),
        "资金短缺停工，目前仍未复工",
        None,
        None,
        None,
    ),
    (
        "碧桂园·凤凰城项目",
        "funding",
        D(2021, 12, 20),
        "企业销售回款慢、资金压力大",
        None,
        None,
        None,
    ),
    ("凤鸣江湾住宅小区", "labour", D(2022, 3, 8), "返岗复工工人偏少", 60, 200, None),
    ("凤鸣江湾住宅小区", "funding", D(2022, 3, 8), "销售回款慢，或将面临停工", None, None, None),
    ("学府二路至外环线道路工程", "demolition", D(2022, 3, 10), "征地拆迁未完成", None, None, None),
    (
        "西门塘片区土地收储及基础设施",
        "demolition",
        D(2022, 3, 15),
        "拆迁房屋未拆除",
        None,
        None,
        None,
    ),
    ("西门塘片区土地收储及基础设施", "funding", D(2022, 3, 15), "拆迁资金不足", None, None, None),
    (
        "凤凰隧道及连接道工程",
        "quality",
        D(2022, 2, 20),
        "竣工审计指出便道标高、葫芦盖、路沿石不标准",
        None,
        None,
        D(2022, 4, 14),
    ),
]

START = D(2022, 1, 14)
END = D(2022, 5, 10)


def _events():
    """What people did on which day (besides the daily escalation)."""
    return {
        D(2022, 3, 8): [
            (
                "interview",
                "bgy",
                "李县长（县长）",
                "碧桂园项目公司负责人、住建委主任",
                "3月底前制定复工方案，落实续建资金，4月底前复工",
                D(2022, 4, 30),
            )
        ],
        D(2022, 3, 20): [("reply", "bgy", "zhujian", "已督促企业制定复工方案，续建资金尚未落实")],
        D(2022, 3, 28): [("reply", "za", "zhujian", "已约见建设单位，要求增加施工班组")],
        D(2022, 4, 8): [
            (
                "interview",
                "za",
                "李县长（县长）",
                "中昂新城建设单位负责人、住建委分管领导",
                "4月底前增加两个施工班组，5月15日前完成一期主体结构封顶",
                D(2022, 5, 15),
            ),
            ("reply", "df", "chengguan", "管网迁改已全部完成，附现场照片"),
        ],
        D(2022, 4, 9): [
            ("reply", "fh", "chengguan", "已按审计意见完成便道标高调整、葫芦盖和路沿石返工"),
            ("finish", "fh", "chengguan"),
        ],
        D(2022, 4, 10): [
            ("finish", "df", "chengguan"),
            ("reply", "fm", "zhujian", "已协调劳务公司增派工人，在岗人数增至120人"),
            ("finish", "fm", "zhujian"),
        ],
        D(2022, 4, 12): [("reopen", "fm", "在岗120人，仍不足需要人数200人的80%，退回继续办理")],
        D(2022, 4, 14): [
            ("close", "fh", "经现场复核，整改到位，同意销号"),
            ("clear", "凤凰隧道及连接道工程", "quality"),
        ],
        D(2022, 4, 15): [("close", "df", "经现场复核，管网迁改已完成，同意销号")],
        D(2022, 4, 18): [("reply", "jk", "zhujian", "杆线迁改已完成，具备开工条件")],
        D(2022, 4, 20): [("finish", "jk", "zhujian")],
        D(2022, 4, 25): [("reply", "xmt", "guizi", "正在申请拆迁专项资金")],
    }


@transaction.atomic
def load(stdout=None) -> dict:
    from keyprojects.core.models import User
    from keyprojects.core.versioning import save_versioned
    from keyprojects.dispatch.models import MonthlyReport
    from keyprojects.ledger.models import Project
    from keyprojects.problems import rules, services
    from keyprojects.problems.models import Interview, Problem, ProjectOutcome, RiskFlag

    if Problem.objects.exists():
        return {"problems": 0}
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    office = users["office"]
    projects = {p.name: p for p in Project.objects.filter(year=2022)}
    pending = {}
    for key, name, dept, source, kind, urgency, raised, deadline, person, text in PROBLEMS:
        pending[raised] = pending.get(raised, []) + [
            (key, name, dept, source, kind, urgency, deadline, person, text)
        ]
    by_key: dict[str, Problem] = {}
    events = _events()
    day = START
    while day <= END:
        for key, name, dept, source, kind, urgency, deadline, person, text in pending.get(day, []):
            project = projects[name]
            report = None
            if key in FROM_REPORT:
                report = MonthlyReport.objects.get(
                    project=project, year=2022, month=FROM_REPORT[key]
                )
                report.problems = text
                save_versioned(report, by=users[dept], expected_version=None, reason="补充存在问题")
            by_key[key] = services.register(
                Problem(
                    project=project,
                    source=source,
                    kind=kind,
                    urgency=urgency,
                    title=rules.summary_title(text),
                    description=text,
                    department=project.department,
                    person=person,
                    person_email="",  # demo: the chat text only, no console e-mail noise
                    raised_on=day,
                    deadline=deadline,
                    report=report,
                ),
                by=office,
                on=day,
            )
        for ev in events.get(day, []):
            action = ev[0]
            if ev[1] in by_key:  # the daily job may have moved it since
                by_key[ev[1]].refresh_from_db()
            if action == "interview":
                _, key, host, attendees, agreed, new_deadline = ev
                services.record_interview(
                    Interview(
                        problem=by_key[key],
                        held_on=day,
                        host=host,
                        attendees=attendees,
                        agreed=agreed,
                        new_deadline=new_deadline,
                    ),
                    by=office,
                )
            elif action == "reply":
                _, key, who, text = ev
                services.reply(by_key[key], text=text, on=day, by=users[who])
            elif action == "finish":
                _, key, who = ev
                services.transition(by_key[key], "finish", by=users[who], on=day)
            elif action in ("close", "reopen"):
                _, key, note = ev
                services.transition(by_key[key], action, by=office, on=day, note=note)
            elif action == "clear":
                _, name, kind = ev
                flag = RiskFlag.objects.get(
                    project=projects[name], kind=kind, cleared_on__isnull=True
                )
                services.clear_flag(flag, on=day, by=office)
        for risk in RISKS:
            name, kind, raised, reason, on_site, needed, cleared = risk
            if raised == day or (raised < START and day == START):
                services.raise_flag(
                    RiskFlag(
                        project=projects[name],
                        kind=kind,
                        raised_on=raised,
                        reason=reason,
                        workers_on_site=on_site,
                        workers_needed=needed,
                    ),
                    by=office,
                )
        services.escalate_all(as_of=day, by=None)
        day += timedelta(days=1)

    outcomes = [
        ("电子信息产业园一期", D(2021, 9, 10), D(2021, 11, 5), D(2021, 12, 1)),
        ("农产品冷链物流中心", D(2021, 12, 20), D(2022, 2, 18), None),
        ("茶叶精深加工项目", D(2022, 1, 12), None, None),
    ]
    for name, signed, approved, registered in outcomes:
        save_versioned(
            ProjectOutcome(
                project=projects[name],
                signed_on=signed,
                approved_on=approved,
                registered_on=registered,
                plans_to_operate=True,
            ),
            by=office,
            expected_version=None,
        )
    return {"problems": len(by_key), "risks": RiskFlag.objects.count()}
