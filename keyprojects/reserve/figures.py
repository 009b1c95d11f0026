"""Figures of the reserve pool: count, investment, by stage and sufficiency (docs/rules.md §9).

The pool of a year is the ledger's 储备 projects of that year, so reserve.count always equals
the ledger's reserve count. Sufficiency = reserve investment ÷ next year's planned investment
(the office's figure; else the next year's ledger plan when it exists; else this year's plan),
against a target (default 1.5×); below it the pool is 储备不足.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from keyprojects.ledger.choices import CONSTRUCTION_CATEGORIES, Category
from keyprojects.reserve.models import ReserveTarget, Stage
from keyprojects.units import round_half_up

DEFAULT_TARGET = Decimal("1.5")
NO_STAGE = "未建档"
NO_STAGE_KEY = "none"  # the 未建档 row's key in by_stage and the `stage` filter
CENT = Decimal("0.01")


@dataclass
class Sufficiency:
    reserve_wan: Decimal
    next_plan_wan: Decimal
    basis: str  # where next_plan_wan came from
    ratio: Decimal | None
    target: Decimal
    verdict: str  # 储备充足 / 储备不足 / 无法计算

    def as_json(self) -> dict:
        return {
            "reserve_investment_wan": str(self.reserve_wan),
            "next_year_plan_wan": str(self.next_plan_wan),
            "basis": self.basis,
            "ratio": str(self.ratio) if self.ratio is not None else None,
            "target": str(self.target),
            "verdict": self.verdict,
        }


def pool(year: int, projects=None, stage: str = ""):
    """The 储备 projects of `year` (within `projects` when given); `stage` narrows them to one
    by_stage row: a stage's key (its pk as text) or NO_STAGE_KEY for the unprofiled ones."""
    from keyprojects.ledger.models import Project

    base = projects if projects is not None else Project.objects.live()
    qs = base.filter(year=year, category=Category.RESERVE)
    if stage == NO_STAGE_KEY:
        qs = qs.filter(reserve_profile__isnull=True)
    elif stage:
        qs = qs.filter(reserve_profile__stage_id=int(stage))
    return qs


def ratio_verdict(reserve_wan: Decimal, next_plan_wan: Decimal, target: Decimal):
    """Pure part: (ratio rounded to two decimals, verdict)."""
    if not next_plan_wan:
        return None, "无法计算"
    ratio = round_half_up(Decimal(reserve_wan) / Decimal(next_plan_wan), 2)
    return ratio, "储备充足" if ratio >= target else "储备不足"


def sufficiency(year: int, projects=None, *, reserve_wan: Decimal | None = None) -> Sufficiency:
    """`reserve_wan`: the pool's investment when the caller has it (by_stage's totals)."""
    from keyprojects.ledger.models import Project

    if reserve_wan is None:
        reserve_wan = pool(year, projects).aggregate(s=Sum("total_investment_wan"))["s"] or 0
    reserve_wan = Decimal(reserve_wan).quantize(CENT)
    setting = ReserveTarget.objects.filter(year=year).first()
    target = setting.target_ratio if setting else DEFAULT_TARGET
    live = Project.objects.live()
    if setting and setting.next_year_plan_wan is not None:
        next_plan, basis = setting.next_year_plan_wan, f"办公室填报的{year + 1}年度计划投资"
    else:
        nxt = live.filter(year=year + 1, category__in=CONSTRUCTION_CATEGORIES).aggregate(
            s=Sum("annual_plan_wan")
        )["s"]
        if nxt:
            next_plan, basis = nxt, f"{year + 1}年度台账年度计划投资合计"
        else:
            next_plan = live.filter(year=year, category__in=CONSTRUCTION_CATEGORIES).aggregate(
                s=Sum("annual_plan_wan")
            )["s"] or Decimal(0)
            basis = f"{year + 1}年度计划尚无，以{year}年度计划投资代替"
    ratio, verdict = ratio_verdict(reserve_wan, next_plan, target)
    return Sufficiency(reserve_wan, next_plan, basis, ratio, target, verdict)


def by_stage(year: int, projects=None) -> list[dict]:
    """Count and investment of the pool by stage, in the stages' order (one GROUP BY); projects
    without a profile under 未建档. Each row's `key` is what pool(stage=…) takes."""
    rows = {
        s.pk: {"key": str(s.pk), "stage": s.name, "count": 0, "investment_wan": Decimal(0)}
        for s in Stage.objects.all()
    }
    missing = {"key": NO_STAGE_KEY, "stage": NO_STAGE, "count": 0, "investment_wan": Decimal(0)}
    grouped = (
        pool(year, projects)
        .order_by()
        .values("reserve_profile__stage_id")
        .annotate(n=Count("pk"), total=Sum("total_investment_wan"))
    )
    for g in grouped:
        row = rows.get(g["reserve_profile__stage_id"], missing)
        row["count"] += g["n"]
        row["investment_wan"] += Decimal(g["total"] or 0).quantize(CENT)
    out = list(rows.values())
    if missing["count"]:
        out.append(missing)
    return out


def pool_totals(rows: list[dict], stage: str = "") -> dict:
    """Count and investment of the pool (or of one stage's row) from by_stage's rows, so the
    page's totals come from that one GROUP BY rather than from loading projects."""
    chosen = [r for r in rows if not stage or r["key"] == stage]
    return {
        "count": sum(r["count"] for r in chosen),
        "investment_wan": sum((r["investment_wan"] for r in chosen), Decimal(0)),
    }


def reserve_block(*, year: int, quarter: int, period=None) -> dict:
    stages = by_stage(year)
    totals = pool_totals(stages)  # the one GROUP BY gives the pool's count and sum too
    return {
        "count": totals["count"],
        "total_investment_wan": str(totals["investment_wan"]),
        "by_stage": [
            {
                "stage": row["stage"],
                "count": row["count"],
                "investment_wan": str(row["investment_wan"]),
            }
            for row in stages
        ],
        "sufficiency": sufficiency(year, reserve_wan=totals["investment_wan"]).as_json(),
    }
