"""What both importers share: the preview, located problems, and walking a sheet's data rows."""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field

from keyprojects.importer.layout import Table, classify, col_letter, find_table, section_level
from keyprojects.importer.reading import Grid

Progress = Callable[[int, int], None] | None
PREVIEW_LIMIT = 500  # rows listed per part of the preview page (the counts are always complete)


@dataclass
class Problem:
    """An error or warning located in the file: sheet, row, column, and a Chinese message."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += f" 第{self.row}行"
        if self.column and self.column != "—":
            where += f" {self.column}"
        return f"{where}：{self.message}"


class ImportRejected(Exception):
    """Raised inside the import transaction when any row has an error: nothing is written."""

    def __init__(self, preview: "Preview"):
        super().__init__(f"{len(preview.errors)} 处错误")
        self.preview = preview


@dataclass
class Preview:
    """What an import would do; the page and the command show the same thing."""

    kind: str
    creates: list[dict] = field(default_factory=list)  # sheet, row, code, name
    updates: list[dict] = field(default_factory=list)  # … and changes [[label, old, new]]
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # sheet, row, reason, text
    unknown_columns: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    rows_read: int = 0
    # The mapping step: headers and department names the user is asked about once.
    unknown_headers: list[dict] = field(default_factory=list)  # sheet, column, label, text
    unknown_departments: list[dict] = field(default_factory=list)  # name, rows
    notes: list[str] = field(default_factory=list)  # 27 行的行业领域取自分组行“一、交通基础设施”

    @property
    def needs_mapping(self) -> bool:
        return bool(self.unknown_headers or self.unknown_departments)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, sheet, row, column, message):
        self.errors.append(Problem(sheet, row, column, message))

    def warn(self, sheet, row, column, message):
        self.warnings.append(Problem(sheet, row, column, message))

    def fingerprint(self) -> str:
        """Identifies the planned writes: a confirm whose fingerprint differs is refused."""
        payload = json.dumps([self.creates, self.updates], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def unknown_department(self, name: str) -> None:
        for d in self.unknown_departments:
            if d["name"] == name:
                d["rows"] += 1
                return
        self.unknown_departments.append({"name": name, "rows": 1})

    def as_json(self) -> dict:
        data = asdict(self)
        data["fingerprint"] = self.fingerprint()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Preview":
        data = {k: v for k, v in data.items() if k != "fingerprint"}
        p = cls(**data)
        p.errors = [Problem(**e) for e in data.get("errors", [])]
        p.warnings = [Problem(**e) for e in data.get("warnings", [])]
        return p

    def summary(self) -> str:
        return (
            f"新建 {len(self.creates)} 行，修改 {len(self.updates)} 行，未变 {self.unchanged} 行，"
            f"错误 {len(self.errors)} 处，提示 {len(self.warnings)} 处"
        )

    def lines(self) -> list[str]:
        """The preview as text (the command prints it)."""
        out = [f"工作表：{'、'.join(self.sheets) or '（无）'}；读取数据行 {self.rows_read} 行"]
        for c in self.creates[:PREVIEW_LIMIT]:
            values = "；".join(f"{k}：{v}" for k, v in c.get("values", []))
            out.append(
                f"新建 {c['sheet']} 第{c['row']}行：{c.get('code') or '（自动编号）'} {c['name']}"
                + (f"（{values}）" if values else "")
            )
        for u in self.updates[:PREVIEW_LIMIT]:
            changes = "；".join(f"{f}：{o} → {n}" for f, o, n in u["changes"])
            out.append(
                f"修改 {u['sheet']} 第{u['row']}行：{u.get('code', '')} {u['name']}（{changes}）"
            )
        for s in self.skipped[:PREVIEW_LIMIT]:
            out.append(f"跳过 {s['sheet']} 第{s['row']}行（{s['reason']}）：{s['text'][:40]}")
        if self.hidden:
            out.append("隐藏的行列（不导入）：" + "、".join(self.hidden[:PREVIEW_LIMIT]))
        if self.unknown_columns:
            out.append("未识别的列（未导入）：" + "、".join(self.unknown_columns))
        for d in self.unknown_departments:
            out.append(f"未识别的单位：{d['name']}（{d['rows']}行），请在预览页选择对应单位")
        for n in self.notes[:PREVIEW_LIMIT]:
            out.append(f"说明：{n}")
        for w in self.warnings[:PREVIEW_LIMIT]:
            out.append(f"提示：{w}")
        for e in self.errors[:PREVIEW_LIMIT]:
            out.append(f"错误：{e}")
        if len(self.errors) > PREVIEW_LIMIT:
            out.append(f"……另有 {len(self.errors) - PREVIEW_LIMIT} 处错误未列出")
        out.append(self.summary())
        return out


def locate_tables(grids: list[Grid], kind: str, synonyms: dict, month, preview: Preview):
    """The sheets that hold a table of this kind; other sheets are listed as skipped."""
    found: list[tuple[Grid, Table]] = []
    for grid in grids:
        table = find_table(grid, kind, synonyms, month)
        if table is None:
            if any(any(v not in (None, "") for v in row) for row in grid.rows):
                preview.skipped.append(
                    {"sheet": grid.name, "row": 0, "reason": "未找到表头", "text": "整个工作表"}
                )
            continue
        found.append((grid, table))
        preview.sheets.append(grid.name)
        preview.unknown_columns += [f"{grid.name} {u}" for u in table.unknown]
        seen = {h["text"] for h in preview.unknown_headers}
        for h in table.unknown_headers:
            if h["text"] not in seen:
                seen.add(h["text"])
                preview.unknown_headers.append({"sheet": grid.name, **h})
        preview.hidden += [f"{grid.name} {c}" for c in table.hidden_cols]
    return found


def data_rows(
    grid: Grid, table: Table, preview: Preview
) -> Iterator[tuple[int, list, tuple[str, ...]]]:
    """(Excel row number, cells, open section rows outermost first) of each project row.

    Hidden rows, blank rows, section rows, 小计/合计 rows and the footer are not projects;
    hidden, section, total and footer rows are listed in the preview. A section row closes
    the sections of its own and deeper levels (二、 closes 一、 and its （一）).
    """
    visible = [c for c in range(grid.width) if c not in grid.hidden_cols]
    open_sections: list[tuple[int, str]] = []
    section: tuple[str, ...] = ()
    for r in range(table.data_start, len(grid.rows)):
        row = grid.rows[r]
        if r in grid.hidden_rows:
            if any(v not in (None, "") for v in row):
                preview.hidden.append(f"{grid.name} 第{r + 1}行")
            continue
        kind, label = classify(row, table, visible)
        if kind == "blank":
            continue
        if kind == "data":
            yield r + 1, row, section
            continue
        if kind == "section":
            level = section_level(label)
            open_sections = [(lv, t) for lv, t in open_sections if lv < level]
            open_sections.append((level, label))
            section = tuple(t for _, t in open_sections)
        reason = {
            "section": "分组行",
            "total": "合计/小计行",
            "footer": "表尾说明或签字",
            "noname": "缺少项目名称",
        }[kind]
        if kind == "noname":
            preview.error(grid.name, r + 1, table.column_name("name"), "缺少项目名称")
            continue
        preview.skipped.append({"sheet": grid.name, "row": r + 1, "reason": reason, "text": label})


class RowsRead:
    """The project rows of the located tables as a plan reads them, counted in
    preview.rows_read, with the job's progress reported every 200 rows over all the tables
    and once more, complete, by `finish()` (the upload page's progress bar)."""

    EVERY = 200

    def __init__(self, tables: list[tuple[Grid, Table]], preview: Preview, progress: Progress):
        self.preview, self.progress = preview, progress
        self.total = sum(len(grid.rows) - table.data_start for grid, table in tables)
        self.done = 0

    def of(self, grid: Grid, table: Table) -> Iterator[tuple[int, list, tuple[str, ...]]]:
        """data_rows of one table, counted."""
        for item in data_rows(grid, table, self.preview):
            self.preview.rows_read += 1
            yield item
            self.done += 1
            if self.progress and self.done % self.EVERY == 0:
                self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.total, self.total)


def cell(row: list, table: Table, key: str):
    c = table.columns.get(key)
    if c is None or c >= len(row):
        return None
    return row[c]


def column_label(table: Table, key: str) -> str:
    c = table.columns.get(key)
    return "—" if c is None else f"{col_letter(c)}列（{table.labels.get(c, key)}）"
