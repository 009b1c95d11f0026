"""An audit row's 详情 as a person reads it: Chinese labels, names instead of ids, empty filter
values left out (`filters={'q': '', 'department': '2'}` reads 筛选条件：牵头单位：县住建委).

The stored details stay as they were written (they are hashed into the chain); only the page
words them. Plain strings come back: the template escapes them.
"""

from datetime import date, datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from keyprojects import dates
from keyprojects.core.choices import Role
from keyprojects.core.models import Department, User

LABELS = {
    "kind": "类型",
    "file": "文件",
    "sha256": "校验值（SHA-256）",
    "year": "年度",
    "month": "月份",
    "quarter": "季度",
    "report": "报告",
    "rows": "行数",
    "tables": "表数",
    "filters": "筛选条件",
    "format": "格式",
    "status": "状态",
    "approver": "批准人",
    "requested_by": "申请人",
    "old_role": "原角色",
    "new_role": "新角色",
    "old_department": "原单位",
    "new_department": "新单位",
    "error": "错误",
    "path": "访问地址",
    "method": "请求方式",
    "message": "说明",
    "backup_time": "备份时间",
    "attempts_cleared": "清除的失败次数",
    "created": "新增",
    "updated": "更新",
    "target": "对象",
    "sheet": "工作表",
    "next": "跳转地址",
    "reason": "原因",
    "count": "数量",
    # filter parameters of the list pages
    "q": "搜索",
    "department": "单位",
    "project": "项目",
    "user": "用户",
    "category": "类别",
    "sector": "领域",
    "colour": "序时预警",
    "behind": "未达序时进度",
    "started": "已开工",
    "construction": "建设项目",
    "reported_month": "已报月份",
    "as_of": "评价日期",
    "o": "排序",
    "columns": "列",
    "size": "每页行数",
    "page": "页码",
    "date_from": "开始日期",
    "date_to": "结束日期",
    "username": "用户名",
    "event": "事件类型",
    "result": "结果",
    "ip": "IP地址",
    "level": "督办级别",
}
KIND_LABELS = {
    "quarterly_report": "季度报告",
    "monthly_brief": "月度调度简报",
    "wall_chart_svg": "挂图作战图（SVG）",
    "wall_chart_pdf": "挂图作战图（PDF）",
}
VALUE_WORDS = {
    "true": "是",
    "false": "否",
    "red": "红灯",
    "yellow": "黄灯",
    "green": "绿灯",
    "csv": "CSV",
    "xlsx": "Excel",
}
# Keys whose value is a database id, and the name shown for it.
ID_KEYS = {"department": "department", "old_department": "department", "user": "user"}
ID_KEYS |= {"project": "project", "report": "report"}


def readable(events) -> dict[int, list[tuple[str, str]]]:
    """event pk → [(label, text)] for each of `events` (one query per kind of id named)."""
    wanted: dict[str, set[int]] = {}
    for e in events:
        _collect(e.details or {}, wanted)
    names = _names(wanted)
    return {e.pk: _pairs(e.details or {}, names) for e in events}


def _collect(details: dict, wanted: dict[str, set[int]]):
    for key, value in details.items():
        if isinstance(value, dict):
            _collect(value, wanted)
        elif key in ID_KEYS:
            for v in value if isinstance(value, list) else [value]:
                if str(v).isdigit():
                    wanted.setdefault(ID_KEYS[key], set()).add(int(v))


def _names(wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    if wanted.get("department"):
        for pk, name in Department.objects.filter(pk__in=wanted["department"]).values_list(
            "pk", "name"
        ):
            names["department", pk] = name
    if wanted.get("user"):
        for u in User.objects.filter(pk__in=wanted["user"]):
            names["user", u.pk] = u.display_name
    if wanted.get("project"):
        try:
            project = apps.get_model("ledger", "Project")
        except LookupError:
            project = None
        if project is not None:
            rows = project._base_manager.filter(pk__in=wanted["project"])
            for pk, name in rows.values_list("pk", "name"):
                names["project", pk] = name
    if wanted.get("report"):
        try:
            report = apps.get_model("report", "GeneratedReport")
        except LookupError:
            report = None
        if report is not None:
            rows = report.objects.filter(pk__in=wanted["report"])
            for pk, year, quarter in rows.values_list("pk", "year", "quarter"):
                names["report", pk] = f"{year}年第{quarter}季度报告（第{pk}份）"
    return names


# The order a person reads the details in, whatever order the database returns a JSON object's
# keys in (PostgreSQL's jsonb sorts them by length): what, which file and period, the filters
# in the ledger form's order, then counts. Keys not named keep their stored order, after these.
ORDER = (
    "kind",
    "file",
    "sha256",
    "year",
    "month",
    "quarter",
    "report",
    "project",
    "q",
    "department",
    "category",
    "status",
    "sector",
    "colour",
    "behind",
    "started",
    "construction",
    "plan_pending",
    "reported_month",
    "as_of",
    "o",
    "columns",
    "filters",
    "rows",
    "tables",
    "old_role",
    "new_role",
    "old_department",
    "new_department",
)
_RANK = {key: i for i, key in enumerate(ORDER)}


def _ordered(details: dict) -> list:
    ranked = sorted(
        enumerate(details.items()), key=lambda ikv: (_RANK.get(ikv[1][0], len(ORDER)), ikv[0])
    )
    return [kv for _, kv in ranked]


def _pairs(details: dict, names) -> list[tuple[str, str]]:
    pairs = []
    for key, value in _ordered(details):
        if _empty(value):
            continue
        if isinstance(value, dict):
            inner = _pairs(value, names)
            if inner:
                pairs.append((label_of(key), "，".join(f"{k}：{v}" for k, v in inner)))
            continue
        pairs.append((label_of(key), _text(key, value, names)))
    return pairs


def _empty(value) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value is None or str(value).strip() == ""


def label_of(key: str) -> str:
    """A details key in Chinese: the table above, else the project field's verbose name."""
    if key in LABELS:
        return LABELS[key]
    try:
        return str(apps.get_model("ledger", "Project")._meta.get_field(key).verbose_name)
    except (LookupError, FieldDoesNotExist):
        return key


def _text(key: str, value, names) -> str:
    if isinstance(value, list):
        return "、".join(_text(key, v, names) for v in value if not _empty(v))
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    if key in ID_KEYS and text.isdigit():
        return names.get((ID_KEYS[key], int(text)), f"已删除（编号{text}）")
    if key == "kind":
        return KIND_LABELS.get(text) or _table_label(text)
    if key in ("old_role", "new_role") and text in Role.values:
        return str(Role(text).label)
    if key == "year" and text.isdigit():
        return f"{text}年"
    if key in ("month", "reported_month") and text.isdigit():
        return f"{text}月"
    if key == "quarter" and text.isdigit():
        return f"第{text}季度"
    if key == "columns":
        return "、".join(label_of(k.strip()) for k in text.split(",") if k.strip())
    if key == "o":
        descending = text.startswith("-")
        return label_of(text.lstrip("-")) + ("（降序）" if descending else "（升序）")
    choice = _choice_label(key, text)
    if choice:
        return choice
    if text in VALUE_WORDS:
        return VALUE_WORDS[text]
    return _date_text(text)


def _table_label(kind: str) -> str:
    """An importer table's kind (ledger, dispatch, land …) by the name its adapter gives it."""
    from keyprojects.importer.registry import kind_label

    return kind_label(kind)


def _choice_label(key: str, value: str) -> str:
    try:
        field = apps.get_model("ledger", "Project")._meta.get_field(key)
    except (LookupError, FieldDoesNotExist):
        return ""
    return str(dict(field.flatchoices).get(value, "")) if field.choices else ""


def _date_text(text: str) -> str:
    """An ISO day or moment inside the details (as_of, backup_time) in the house format."""
    if len(text) == 10:
        try:
            return dates.cn_date(date.fromisoformat(text))
        except ValueError:
            return text
    if len(text) >= 19 and text[4] == "-" and text[10] in "T ":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return dates.cn_datetime(moment, seconds=True)
    return text
