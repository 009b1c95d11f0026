"""Writes of the reserve pool; conversion into a plan year goes through the ledger service so
the project keeps its code and its whole history."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from keyprojects.core.errors import NotAllowed
from keyprojects.core.versioning import save_versioned
from keyprojects.ledger import services as ledger_services
from keyprojects.ledger.choices import Category
from keyprojects.reserve.models import PrepTask, ReserveProfile, Stage


@transaction.atomic
def save_profile(profile: ReserveProfile, *, by, expected_version: int | None = None):
    """Create or update a profile; only a 储备 project of the ledger may have one."""
    if profile.project.category != Category.RESERVE and profile.converted_year is None:
        raise NotAllowed("只有类别为“储备”的项目可以建立储备档案")
    if profile.stage.is_converted and profile.converted_year is None:
        raise NotAllowed("“转化”阶段由“列入年度计划”操作设置，不能直接选择")
    return save_versioned(profile, by=by, expected_version=expected_version)


@transaction.atomic
def save_investment(profile: ReserveProfile, total_wan: Decimal, *, by):
    """The estimate of a reserve project is its ledger total investment (one figure, kept by
    the ledger with history)."""
    project = profile.project
    if project.total_investment_wan != total_wan:
        project.total_investment_wan = total_wan
        project.full_clean()
        ledger_services.save_project(project, by=by)
    return project


@transaction.atomic
def save_profile_and_estimate(
    profile: ReserveProfile, total_wan: Decimal, *, by, expected_version: int | None = None
):
    """The profile form: the profile and the ledger estimate, both or neither."""
    saved = save_profile(profile, by=by, expected_version=expected_version)
    save_investment(saved, total_wan, by=by)
    return saved


@transaction.atomic
def save_task(task: PrepTask, *, by, expected_version: int | None = None) -> PrepTask:
    return save_versioned(task, by=by, expected_version=expected_version)


@transaction.atomic
def finish_task(task: PrepTask, *, on: date, by) -> PrepTask:
    if task.done_on:
        raise NotAllowed("该前期工作已完成")
    task.done_on = on
    return save_versioned(task, by=by, expected_version=None, reason="完成")


@transaction.atomic
def promote(
    profile: ReserveProfile,
    *,
    year: int,
    annual_plan_wan: Decimal,
    planned_start: date | None,
    planned_end: date | None,
    on: date,
    by,
):
    """列入年度计划 (转化): the reserve project joins plan year `year` as 新开工.

    Side effects: the ledger project's category, year, annual plan and planned dates change
    through the ledger service (project history, reason 储备转化); the profile moves to the
    转化 stage with the year and date (profile history). The project leaves the reserve count.
    """
    if profile.converted_year is not None:
        raise NotAllowed(f"该项目已于{profile.converted_year}年度列入计划")
    converted = Stage.objects.filter(is_converted=True).order_by("order").first()
    if converted is None:
        raise NotAllowed("尚未设置“转化”阶段")
    project = profile.project
    if project.category != Category.RESERVE:
        raise NotAllowed("该项目不是储备项目")
    if year < project.year:
        raise NotAllowed(f"计划年度不能早于储备年度{project.year}年")
    project.category = Category.NEW
    project.year = year
    project.annual_plan_wan = annual_plan_wan
    project.planned_start = planned_start
    project.planned_end = planned_end
    project.full_clean(exclude=["code"])
    project._change_reason = f"储备转化：列入{year}年度计划"
    ledger_services.save_project(project, by=by)
    profile.stage = converted
    profile.converted_year = year
    profile.converted_on = on
    save_versioned(profile, by=by, expected_version=None, reason=f"列入{year}年度计划")
    return profile
