"""How the dashboard words the figures blocks other apps register (stats_blocks): a title per
block and a Chinese label with its unit per field. Unknown fields are shown with their key, so
a new field appears (plainly) rather than vanishing."""

BLOCK_TITLES = {
    "land": "用地保障",
    "housing": "商品住房网签",
    "fiscal": "财政收入",
    "funding": "资金到位",
    "reserve": "储备项目",
    "problems": "问题督办",
    "risks": "风险",
    "ranking": "单位排名",
}

FIELD_LABELS = {
    "conversion_projects": ("农转用项目", "个"),
    "new_construction_land_ha": ("新增建设用地", "公顷"),
    "new_construction_land_mu": ("折合", "亩"),
    "farmland_projects": ("占用永久基本农田项目", "个"),
    "parcels_listed": ("挂牌出让地块", "宗"),
    "expected_transfer_revenue_wan": ("预计出让收入", "万元"),
    "units": ("网签", "套"),
    "area_wan_m2": ("网签面积", "万㎡"),
    "units_last_year": ("上年同期", "套"),
    "area_last_year_wan_m2": ("上年同期面积", "万㎡"),
    "units_yoy_pct": ("套数同比", "%"),
    "area_yoy_pct": ("面积同比", "%"),
    "planned_wan": ("计划到位资金", "万元"),
    "arrived_wan": ("已到位资金", "万元"),
    "arrival_pct": ("到位率", "%"),
    "by_source": ("按来源", ""),
    "count": ("储备项目", "个"),
    "total_investment_wan": ("总投资", "万元"),
    "by_stage": ("按阶段", ""),
    "sufficiency": ("储备充足度", ""),
    "open": ("未销号问题", "个"),
    "overdue": ("逾期未办结", "个"),
    "by_level": ("按督办级别", ""),
    "by_type": ("按类型", ""),
    "event": ("活动", ""),
    "target_wan": ("目标", "万元"),
    "actual_wan": ("完成", "万元"),
    "completion_pct": ("完成率", "%"),
    "department": ("单位", ""),
    "rank": ("名次", ""),
    "score": ("得分", "分"),
    "name": ("名称", ""),
    "subsidy_wan": ("优惠", "万元"),
    "subsidy_fiscal_wan": ("其中财政补贴", "万元"),
    "subsidy_enterprise_wan": ("企业优惠", "万元"),
    "source": ("来源", ""),
    "stage": ("阶段", ""),
    "investment_wan": ("投资", "万元"),
    "reserve_investment_wan": ("储备投资", "万元"),
    "next_year_plan_wan": ("下年计划投资", "万元"),
    "basis": ("口径", ""),
    "ratio": ("倍数", "倍"),
    "target": ("目标", "倍"),
    "verdict": ("结论", ""),
    "stopped": ("停工", "个"),
    "funding": ("资金短缺", "个"),
    "labour": ("用工不足", "个"),
    "demolition": ("征地拆迁受阻", "个"),
    "quality": ("质量安全", "个"),
    "projects": ("涉及项目", ""),
    "closed": ("已销号", "个"),
    "as_of": ("截至", ""),
    "list": ("榜单", ""),
}

# A row of a list is headed by the first of these it has (a department, a source, a stage …).
HEAD_KEYS = ("department", "name", "source", "stage")


def _scalar(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _one(v) -> str:
    if isinstance(v, dict):
        return f"（{_pairs(v)}）"
    if isinstance(v, list):
        if all(isinstance(x, str) for x in v):
            return "、".join(v) or "无"
        return f"{len(v)}项"
    return _scalar(v)


def _labelled(key, v) -> str:
    label, unit = FIELD_LABELS.get(key, (key, ""))
    if isinstance(v, dict | list):
        return f"{label}：{_one(v)}"
    return f"{label}{_scalar(v)}{unit}"


def _pairs(value: dict) -> str:
    return "、".join(_labelled(k, v) for k, v in value.items())


def _row(row) -> str:
    if not isinstance(row, dict):
        return _scalar(row)
    head_key = next((k for k in HEAD_KEYS if row.get(k)), None)
    head = row[head_key] if head_key else ""
    rest = [
        _labelled(k, v) for k, v in row.items() if k != head_key and not isinstance(v, dict | list)
    ]
    return f"{head}：{'，'.join(rest)}" if head else "，".join(rest)


def lines(value) -> list[str]:
    """A block as lines of text, in the block's own order."""
    if isinstance(value, list):
        return [_row(r) for r in value] or ["无"]
    if not isinstance(value, dict):
        return [_scalar(value)]
    out = []
    for key, v in value.items():
        label, unit = FIELD_LABELS.get(key, (key, ""))
        if isinstance(v, dict):
            out.append(f"{label}：{_pairs(v) or '无'}")
        elif isinstance(v, list):
            out.append(f"{label}：{'；'.join(_row(r) for r in v) or '无'}")
        else:
            out.append(f"{label} {_scalar(v)} {unit}".rstrip())
    return out
