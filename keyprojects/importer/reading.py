"""Reading spreadsheet files (.xlsx, .xls, .ods) into plain grids of cell values.

Why these readers (docs/decisions in importer/README.md): python-calamine (Rust) reads the cell
values of all three formats, with Excel dates as dates, about ten times faster than openpyxl's
read-only mode. It does not say which rows and columns are hidden, and gives merged ranges only
for .xlsx/.xls, so a second, light pass reads just that structure: a scan of the sheet XML for
.xlsx (row/col attributes only, no cell parsing), xlrd's formatting records for .xls, and the
content.xml of .ods. The result is one `Grid` per visible sheet, whatever the format.
"""

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import PurePosixPath

from defusedxml import ElementTree as SafeET

from keyprojects.importer import safety

FORMATS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
MAX_ROWS = 100_000
MAX_COLS = 200


class UnreadableFile(Exception):
    """The file is not a spreadsheet this importer can read (message in Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Grid:
    """One sheet: values by 0-based row and column, merged ranges, hidden rows/columns."""

    name: str
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def detect_format(filename: str, head: bytes) -> str:
    """The format by content (the name can lie), checked against the name's extension."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"PK"):
        suffix = PurePosixPath(filename.lower()).suffix
        return "ods" if suffix == ".ods" else "xlsx"  # read_grids checks the members
    raise UnreadableFile("文件不是 Excel（.xlsx/.xls）或 ODS 表格，无法读取")


def read_grids(data: bytes, filename: str) -> list[Grid]:
    """All visible sheets of a file as grids. Raises UnreadableFile with a Chinese message."""
    try:  # hostile input (zip bombs, entities, encrypted, renamed files) never reaches a parser
        safety.check_workbook(data, filename)
    except safety.Refused as exc:
        raise UnreadableFile(exc.message) from None
    fmt = detect_format(filename, data[:8])
    if fmt != "xls":
        if not zipfile.is_zipfile(BytesIO(data)):
            raise UnreadableFile("文件已损坏或不是 Excel/ODS 表格，无法读取")
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                members = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise UnreadableFile("文件已损坏或不是 Excel/ODS 表格，无法读取") from None
        # The content decides, not the name: an .ods renamed .xlsx still reads.
        if "xl/workbook.xml" in members:
            fmt = "xlsx"
        elif "content.xml" in members:
            fmt = "ods"
        else:
            raise UnreadableFile("压缩包中没有工作簿，文件不是 Excel/ODS 表格")
    try:
        import python_calamine

        book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
        metas = book.sheets_metadata
    except Exception as exc:  # calamine raises several error types for broken files
        raise UnreadableFile(f"文件无法读取（{_short(exc)}），请用 Excel 另存后重试") from None
    try:
        structure = {"xlsx": _xlsx_structure, "xls": _xls_structure, "ods": _ods_structure}[fmt](
            data
        )
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(f"文件结构无法读取（{_short(exc)}）") from None
    grids = []
    for index, meta in enumerate(metas):
        if str(meta.visible).split(".")[-1].lower() != "visible":
            continue
        if "worksheet" not in str(meta.typ).lower():
            continue
        try:
            sheet = book.get_sheet_by_index(index)
            values = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnreadableFile(f"工作表“{meta.name}”无法读取（{_short(exc)}）") from None
        if len(values) > MAX_ROWS:
            raise UnreadableFile(f"工作表“{meta.name}”超过 {MAX_ROWS} 行，请拆分后导入")
        values = [row[:MAX_COLS] for row in values]
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
        info = structure.get(meta.name) or structure.get(index) or {}
        grids.append(
            Grid(
                name=meta.name,
                rows=values,
                merged=merged or info.get("merged", []),
                hidden_rows=info.get("hidden_rows", set()),
                hidden_cols=info.get("hidden_cols", set()),
            )
        )
    return grids


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


# --- .xlsx: hidden rows/columns from the sheet XML ---------------------------------------------

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_TRUE = (b"1", b"true")


def _xlsx_structure(data: bytes) -> dict:
    """{sheet name: {"hidden_rows", "hidden_cols"}} read with a regex over the sheet XML.

    Rows and columns are the only elements looked at, so this costs milliseconds where a full
    XML parse of a 10,000-row sheet costs seconds.
    """
    out: dict = {}
    with zipfile.ZipFile(BytesIO(data)) as z:
        names = set(z.namelist())
        if "xl/workbook.xml" not in names:
            raise UnreadableFile("文件不是有效的 .xlsx 工作簿")
        book = SafeET.fromstring(z.read("xl/workbook.xml"))
        rels = SafeET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target_of = {r.get("Id"): r.get("Target") for r in rels}
        for sheet in book.iter():
            if not sheet.tag.endswith("}sheet"):
                continue
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = target_of.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path not in names:
                continue
            xml = z.read(path)
            hidden_rows, hidden_cols = set(), set()
            head_end = xml.find(b"<sheetData")
            for m in _COL_TAG.finditer(xml, 0, head_end if head_end > 0 else len(xml)):
                attrs = dict(_ATTR.findall(m.group(1)))
                if attrs.get(b"hidden") in _TRUE:
                    lo, hi = int(attrs.get(b"min", b"1")), int(attrs.get(b"max", b"1"))
                    hidden_cols.update(range(lo - 1, min(hi, MAX_COLS)))
            if b"hidden=" in xml[head_end:]:
                for m in _ROW_TAG.finditer(xml, max(head_end, 0)):
                    chunk = m.group(1)
                    if b"hidden=" not in chunk:
                        continue
                    attrs = dict(_ATTR.findall(chunk))
                    if attrs.get(b"hidden") in _TRUE and b"r" in attrs:
                        hidden_rows.add(int(attrs[b"r"]) - 1)
            out[sheet.get("name")] = {"hidden_rows": hidden_rows, "hidden_cols": hidden_cols}
    return out


# --- .xls: xlrd's formatting records -----------------------------------------------------------


def _xls_structure(data: bytes) -> dict:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    out: dict = {}
    for index in range(book.nsheets):
        sh = book.sheet_by_index(index)
        out[sh.name] = {
            "hidden_rows": {r for r, info in sh.rowinfo_map.items() if info.hidden},
            "hidden_cols": {c for c, info in sh.colinfo_map.items() if info.hidden},
            "merged": [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sh.merged_cells],
        }
        book.unload_sheet(index)
    return out


# --- .ods: content.xml -------------------------------------------------------------------------

_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_structure(data: bytes) -> dict:
    """Hidden rows/columns (visibility collapse/filter) and merged cells of each table."""
    out: dict = {}
    with zipfile.ZipFile(BytesIO(data)) as z:
        root = SafeET.fromstring(z.read("content.xml"))
    for table in root.iter(f"{{{_T}}}table"):
        hidden_rows, hidden_cols, merged = set(), set(), []
        col = 0
        for c in table.iter(f"{{{_T}}}table-column"):
            n = int(c.get(f"{{{_T}}}number-columns-repeated", "1"))
            if c.get(f"{{{_T}}}visibility", "visible") != "visible":
                hidden_cols.update(range(col, min(col + n, MAX_COLS)))
            col += n
            if col > MAX_COLS:
                break
        r = 0
        for row in table.iter(f"{{{_T}}}table-row"):
            n = int(row.get(f"{{{_T}}}number-rows-repeated", "1"))
            if r > MAX_ROWS:
                break
            if row.get(f"{{{_T}}}visibility", "visible") != "visible":
                hidden_rows.update(range(r, min(r + n, MAX_ROWS)))
            c = 0
            for cell in row:
                cn = int(cell.get(f"{{{_T}}}number-columns-repeated", "1"))
                rs = int(cell.get(f"{{{_T}}}number-rows-spanned", "1"))
                cs = int(cell.get(f"{{{_T}}}number-columns-spanned", "1"))
                if (rs > 1 or cs > 1) and c < MAX_COLS:
                    merged.append((r, c, r + rs - 1, c + cs - 1))
                c += cn
                if c > MAX_COLS:
                    break
            r += n
        out[table.get(f"{{{_T}}}name")] = {
            "hidden_rows": hidden_rows,
            "hidden_cols": hidden_cols,
            "merged": merged,
        }
    return out
