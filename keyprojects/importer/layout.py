"""Finding the table inside a sheet as offices lay it out (pure: no Django).

Title rows, a 填报单位/单位 line, headers over one to three rows with merged cells, a 栏次 row,
section rows (一、交通基础设施（15个）), 小计/合计 rows above or below the projects, notes and a
signature footer: `find_table` locates the header band and maps columns to keys; `classify`
tells a data row from the rows around it.
"""

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from keyprojects.importer.columns import IGNORE, header_month, header_year, match_header
from keyprojects.importer.reading import Grid
from keyprojects.importer.values import header_key, is_empty, nfkc, text, unit_in

HEADER_SCAN_ROWS = 30
_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[部类])"
)
_COUNT = re.compile(r"[（(]\s*\d+\s*个(?:项目)?\s*[）)]\s*$")
_TOTAL_WORDS = ("合计", "小计", "总计", "共计", "累计", "其中")  # 其中：续建项目 …
_FOOTER_WORDS = tuple(
    nfkc(w)
    for w in (
        "注：",
        "注:",
        "说明：",
        "说明:",
        "备注：",
        "填报人",
        "填表人",
        "审核人",
        "负责人：",
        "统计负责人",
        "单位负责人",
        "制表",
        "签字",
        "联系电话：",
        "报送日期",
        "填报日期",
    )
)
# Anywhere in a signature line: 统计负责人：张三  填表人：李四  联系电话：…
_SIGNATURE_WORDS = ("填报人", "填表人", "审核人", "制表人", "统计负责人", "报送日期", "联系电话：")
# A numbered note under the table: 1．本表由…, 2、栏次关系… (a project row has figures).
_NUMBERED_NOTE = re.compile(r"^\d{1,2}[.、]\D")


def col_letter(index: int) -> str:
    return get_column_letter(index + 1)


@dataclass
class Table:
    sheet: str
    header_top: int
    header_bottom: int
    data_start: int
    columns: dict[str, int]
    labels: dict[int, str]
    units: dict[str, str]
    unknown: list[str] = field(default_factory=list)  # "F列（建设用地）"
    hidden_cols: list[str] = field(default_factory=list)
    title: str = ""
    header_months: dict[str, int] = field(default_factory=dict)
    header_years: dict[str, int] = field(default_factory=dict)
    unknown_headers: list[dict] = field(default_factory=list)  # column, label, text
    figure_keys: tuple[str, ...] = ()

    def column_name(self, key: str) -> str:
        """ "D列（总投资）" for messages; "—" when the file has no such column."""
        c = self.columns.get(key)
        if c is None:
            return "—"
        return f"{col_letter(c)}列（{self.labels.get(c, key)}）"


def _fill_map(grid: Grid, top: int, bottom: int) -> dict[tuple[int, int], tuple[int, int]]:
    """(row, col) covered by a merged range within rows top..bottom → its top-left cell."""
    out = {}
    for r1, c1, r2, c2 in grid.merged:
        if r2 < top or r1 > bottom or (r2 - r1 + 1) * (c2 - c1 + 1) > 5000:
            continue
        for r in range(max(r1, top), min(r2, bottom) + 1):
            for c in range(c1, c2 + 1):
                out[(r, c)] = (r1, c1)
    return out


def _cell(grid: Grid, r: int, c: int):
    row = grid.rows[r] if r < len(grid.rows) else []
    return row[c] if c < len(row) else None


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def find_table(grid: Grid, kind: str, table: dict[str, str], month: int | None) -> Table | None:
    """The header band and column map of a sheet, or None when it holds no such table."""
    from keyprojects.importer.registry import get

    adapter = get(kind)
    hidden_rows, hidden_cols = grid.hidden_rows, grid.hidden_cols
    width = grid.width
    best, best_row = 0, None
    for r in range(min(HEADER_SCAN_ROWS, len(grid.rows))):
        if r in hidden_rows:
            continue
        keys = set()
        for c, v in enumerate(grid.rows[r]):
            if c in hidden_cols or not isinstance(v, str) or not v.strip():
                continue
            key = match_header([v], kind, table, month)
            if key and key != IGNORE:
                keys.add(key)
        score = len(keys) + (2 if "name" in keys else 0)
        if score > best and ("name" in keys or "code" in keys) and len(keys) >= 2:
            best, best_row = score, r
    if best_row is None:
        return None
    top = bottom = best_row
    fill = _fill_map(grid, max(0, best_row - 3), best_row + 3)
    for c in range(width):
        anchor = fill.get((best_row, c))
        if anchor is None:
            continue
        for r1, c1, r2, _c2 in grid.merged:
            if (r1, c1) == anchor:
                top, bottom = min(top, r1), max(bottom, min(r2, best_row + 2))
    # Group headers above the anchor row: a merged cell spanning columns right above it.
    while top > 0 and top > best_row - 2:
        r = top - 1
        spans = [m for m in grid.merged if m[0] == r and m[2] == r and m[3] > m[1]]
        texts = [v for v in grid.rows[r] if isinstance(v, str) and v.strip()]
        if spans and texts and len(spans) < max(2, width // 2) and not _is_title_row(grid, r):
            top = r
        else:
            break
    # Unmerged sub-header rows below: text only, at least one known header, no numbers.
    while bottom < best_row + 2 and bottom + 1 < len(grid.rows):
        r = bottom + 1
        row = grid.rows[r]
        if any(_is_number(v) for v in row) or _is_column_number_row(row):
            break
        if any(
            isinstance(v, str) and v.strip() and match_header([v], kind, table, month) for v in row
        ):
            bottom = r
        else:
            break
    fill = _fill_map(grid, top, bottom)
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    units: dict[str, str] = {}
    unknown: list[str] = []
    header_months: dict[str, int] = {}
    header_years: dict[str, int] = {}
    unknown_headers: list[dict] = []
    sheet_unit = _sheet_unit(grid, top)
    used_keys: set[str] = set()
    for c in range(width):
        if c in hidden_cols:
            continue
        parts: list[str] = []
        for r in range(top, bottom + 1):
            src = fill.get((r, c), (r, c))
            v = text(_cell(grid, *src))
            if v and (not parts or parts[-1] != v):
                parts.append(v)
        if not parts:
            continue
        label = "/".join(header_key(p) for p in parts)
        labels[c] = label
        key = match_header(parts, kind, table, month)
        if key == IGNORE:
            continue
        if key is None or key in used_keys:
            unknown.append(f"{col_letter(c)}列（{label}）")
            if key is None:
                unknown_headers.append(
                    {
                        "column": col_letter(c),
                        "label": label,
                        "text": "".join(header_key(p) for p in parts),
                    }
                )
            continue
        used_keys.add(key)
        columns[key] = c
        units[key] = next((u for p in parts if (u := unit_in(p))), sheet_unit)
        n = header_month(parts)
        if n:
            header_months[key] = n
        y = header_year(parts)
        if y:
            header_years[key] = y
    for src, dst in adapter.header_fallback.items():
        if dst not in columns and src in columns:
            columns[dst] = columns.pop(src)
    data_start = bottom + 1
    while data_start < len(grid.rows) and data_start in hidden_rows:
        data_start += 1
    if data_start < len(grid.rows) and _is_column_number_row(grid.rows[data_start]):
        data_start += 1
    title = ""
    for r in range(top):
        t = " ".join(text(v) for v in grid.rows[r] if text(v))
        if t and not title:
            title = t
    return Table(
        sheet=grid.name,
        header_top=top,
        header_bottom=bottom,
        data_start=data_start,
        columns=columns,
        labels=labels,
        units=units,
        unknown=unknown,
        hidden_cols=[f"{col_letter(c)}列" for c in sorted(hidden_cols) if c < width],
        title=title,
        header_months=header_months,
        header_years=header_years,
        unknown_headers=unknown_headers,
        figure_keys=adapter.figure_keys,
    )


def _is_title_row(grid: Grid, r: int) -> bool:
    texts = [v for v in grid.rows[r] if not is_empty(v)]
    return len(texts) == 1 and any(m[0] == r and m[3] - m[1] >= 3 for m in grid.merged)


def _sheet_unit(grid: Grid, top: int) -> str:
    """The unit a 单位：万元 / 单位：亿元 line above the header gives (default 万元)."""
    for r in range(top):
        for v in grid.rows[r]:
            if isinstance(v, str) and "单位" in v and (u := unit_in(v)):
                return u
    return "万元"


def _is_column_number_row(row: list) -> bool:
    """A 栏次 row: 栏次 / 甲 乙 / 1 2 3 … under the header."""
    cells = [v for v in row if not is_empty(v)]
    if len(cells) < 2:
        return False
    numbers = []
    for v in cells:
        s = nfkc(text(v))
        if s in ("栏次", "甲", "乙", "丙", "丁", "A", "B", "C"):
            continue
        if not s.isdigit():
            return False
        numbers.append(int(s))
    return len(numbers) >= 2 and numbers == sorted(numbers) and numbers[0] <= 2


def classify(row: list, table: Table, visible_cols: list[int]) -> tuple[str, str]:
    """(kind, text) of a data-area row: data, blank, section, total, footer."""
    name_col = table.columns.get("name")
    name = text(row[name_col]) if name_col is not None and name_col < len(row) else ""
    lead = [text(row[c]) for c in visible_cols[:4] if c < len(row) and text(row[c])]
    joined = "".join(lead)
    serial = table.columns.get("serial")
    if not name and not any(
        not is_empty(row[c]) and (c != serial or not nfkc(text(row[c])).isdigit())
        for c in visible_cols
        if c < len(row)
    ):
        return "blank", ""
    compact = re.sub(r"\s+", "", nfkc(name or joined))
    if (
        any(compact.startswith(w) for w in _FOOTER_WORDS)
        or any(w in re.sub(r"\s+", "", nfkc(joined)) for w in _SIGNATURE_WORDS)
        or (_NUMBERED_NOTE.match(compact) and not _has_figures(row, table))
    ):
        return "footer", name or joined
    if any(compact.startswith(w) for w in _TOTAL_WORDS):
        return "total", name or joined
    if _SECTION.match(compact) or (_COUNT.search(compact) and not _has_figures(row, table)):
        return "section", name or joined
    if not name:
        return "noname", joined
    return "data", name


def _has_figures(row: list, table: Table) -> bool:
    for key in table.figure_keys:
        c = table.columns.get(key)
        if c is not None and c < len(row) and _is_number(row[c]):
            return True
    return False


def section_level(text_value: str) -> int:
    """1 for 一、…, 2 for （一）…, 3 for 第一类 …: a section closes the deeper ones before it."""
    s = re.sub(r"\s+", "", nfkc(text_value))
    if re.match(r"^[一二三四五六七八九十百]+[、.]", s):
        return 1
    if re.match(r"^[(][一二三四五六七八九十]+[)]", s):
        return 2
    return 3


def section_label(text_value: str) -> str:
    """一、县交通运输委员会（15个） → 县交通运输委员会."""
    s = re.sub(r"\s+", "", nfkc(text_value))
    s = _SECTION.sub("", s)
    s = _COUNT.sub("", s)
    return s.strip("：: ")
