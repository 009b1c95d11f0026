"""Demo reserve pool (示例数据): a profile on each of the ledger's 15 储备 projects of 2022 (the
seed: 储备仅有15个), spread over the stages, with 前期 tasks and the 1.5× target against an
expected 2023 plan, so the pool reads 储备不足 as the seed says."""

from datetime import date
from decimal import Decimal

from django.db import transaction

D = date

# name → (stage order, level, source, expected start year)
PROFILES = {
    "平凯南部新城二期土地开发": (3, "county", "planning", 2023),
    "矿山生态修复工程": (2, "county", "policy", 2023),
    "西门塘片区二期收储": (1, "county", "planning", 2024),
    "城市更新示范片区": (3, "city", "upper", 2023),
    "海绵城市建设项目": (2, "county", "policy", 2024),
    "城南片区供水管网工程": (4, "county", "department", 2023),
    "城市地下综合管廊": (2, "city", "planning", 2024),
    "智慧停车场建设项目": (4, "county", "investment", 2023),
    "县城至高铁站快速通道": (3, "province", "upper", 2023),
    "通用机场前期工作": (1, "province", "upper", 2025),
    "县第一中学新校区": (3, "county", "department", 2023),
    "县妇幼保健院迁建": (2, "city", "department", 2024),
    "疾控中心实验室建设": (1, "county", "policy", 2024),
    "新材料产业园": (1, "city", "investment", 2025),
    "数字经济产业园": (2, "county", "investment", 2024),
}

TASKS = {
    # stage order → 前期 tasks (name, deadline, done on)
    1: [("项目建议书编制", D(2022, 6, 30), None)],
    2: [
        ("项目建议书编制", D(2022, 3, 31), D(2022, 3, 20)),
        ("可行性研究报告编制", D(2022, 9, 30), None),
    ],
    3: [
        ("可行性研究报告编制", D(2022, 3, 31), D(2022, 3, 25)),
        ("用地预审与选址意见", D(2022, 6, 30), None),
        ("环境影响评价", D(2022, 8, 31), None),
    ],
    4: [
        ("可行性研究报告批复", D(2022, 2, 28), D(2022, 2, 20)),
        ("初步设计批复", D(2022, 3, 31), D(2022, 3, 28)),
        ("施工图审查", D(2022, 5, 31), None),
    ],
}


@transaction.atomic
def load(stdout=None) -> dict:
    from keyprojects.core.models import User
    from keyprojects.ledger.models import Project
    from keyprojects.reserve import services
    from keyprojects.reserve.models import PrepTask, ReserveProfile, ReserveTarget, Stage

    if ReserveProfile.objects.exists():
        return {"reserve_profiles": 0}
    from keyprojects.reserve import defaults

    defaults.ensure()
    office = User.objects.get(username="office")
    stages = {s.order: s for s in Stage.objects.all()}
    count = 0
    for project in Project.objects.filter(year=2022, category="reserve").select_related(
        "department"
    ):
        order, level, source, start_year = PROFILES.get(
            project.name, (1, "county", "department", None)
        )
        profile = services.save_profile(
            ReserveProfile(
                project=project,
                source=source,
                level=level,
                stage=stages[order],
                intake_on=D(2021, 11, 15),
                expected_start_year=start_year,
                person=f"{project.department.short_name}前期科",
                notes="储备库项目，正开展前期策划包装",
            ),
            by=office,
        )
        for name, deadline, done in TASKS.get(order, []):
            services.save_task(
                PrepTask(
                    profile=profile,
                    name=name,
                    department=project.department,
                    deadline=deadline,
                    done_on=done,
                ),
                by=office,
            )
        count += 1
    # The county expects about 30亿元 of planned investment in 2023 (demo figure).
    ReserveTarget.objects.get_or_create(
        year=2022,
        defaults={"next_year_plan_wan": Decimal("300000"), "target_ratio": Decimal("1.5")},
    )
    return {"reserve_profiles": count}
