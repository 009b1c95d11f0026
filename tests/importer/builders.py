"""Workbooks as offices make them, built by the tests (openpyxl), and converted to .xls/.ods by
LibreOffice headless (a different writer than the reader)."""

import shutil
import subprocess
import tempfile
from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest


def messy_ledger(rows, *, unit="万元", hidden_row=None, hidden_col_text=None, code=True):
    """A ledger as a county office keeps it: title, 填报单位 line, two-row merged header with
    line breaks, a 栏次 row, section rows with counts, a 小计 above the projects, a 合计 and a
    signature footer below. `rows`: dicts with name, dept, category, total, plan, start, code."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2022年重点项目"
    headers = (
        ["序号"]
        + (["项目编号"] if code else [])
        + [
            "项目名称",
            "牵头单位",
            "项目类别",
            "行业领域",
            "总投资",
            "年度计划\n投资",
            "计划开工时间",
            "建设状态",
            "实际开工时间",
        ]
    )
    width = len(headers) + (1 if hidden_col_text else 0)
    ws.append(["2022年全县重点项目台账"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append([f"填报单位：县发改委        单位：{unit}        填报日期：2022年3月31日"])
    # Two header rows: most cells merged vertically, 投资情况 merged over two columns.
    top = [h if h not in ("总投资", "年度计划\n投资") else None for h in headers]
    top[headers.index("总投资")] = f"投资情况（{unit}）"
    if hidden_col_text:
        top.append("内部备注")
    ws.append(top)
    second = [None] * len(headers)
    second[headers.index("总投资")] = "总投资"
    second[headers.index("年度计划\n投资")] = "年度计划\n投资"
    ws.append(second + ([None] if hidden_col_text else []))
    for c, h in enumerate(headers, start=1):
        if h not in ("总投资", "年度计划\n投资"):
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    gi = headers.index("总投资") + 1
    ws.merge_cells(start_row=3, start_column=gi, end_row=3, end_column=gi + 1)
    if hidden_col_text:
        ws.merge_cells(start_row=3, start_column=width, end_row=4, end_column=width)
        ws.column_dimensions[openpyxl.utils.get_column_letter(width)].hidden = True
    ws.append(["栏次"] + list(range(1, len(headers))) + ([len(headers)] if hidden_col_text else []))
    by_dept: dict[str, list] = {}
    for r in rows:
        by_dept.setdefault(r["dept"], []).append(r)
    n = 0
    for s, (dept, items) in enumerate(by_dept.items()):
        ws.append([None, f"{'一二三四五六'[s]}、{dept}（{len(items)}个）"] + [None] * (width - 2))
        subtotal = [None] * width
        subtotal[0] = "小计"
        subtotal[gi - 1] = len(items) * 1000
        ws.append(subtotal)
        for r in items:
            n += 1
            values = {
                "序号": n,
                "项目编号": r.get("code", ""),
                "项目名称": r["name"],
                "牵头单位": r.get("dept_cell", dept),
                "项目类别": r.get("category", "新开工"),
                "行业领域": r.get("sector", "基础设施"),
                "总投资": r.get("total", 1000),
                "年度计划\n投资": r.get("plan", 400),
                "计划开工时间": r.get("start", date(2022, 3, 1)),
                "建设状态": r.get("status", "未开工"),
                "实际开工时间": r.get("actual_start"),
            }
            line = [values[h] for h in headers]
            if hidden_col_text:
                line.append(hidden_col_text)
            ws.append(line)
            if hidden_row is not None and r["name"] == hidden_row:
                ws.row_dimensions[ws.max_row].hidden = True
    ws.append([None])
    ws.append(["合计", None, None, None, None, None, "=SUM(G7:G20)"])
    ws.append(["注：本表由各牵头单位填报。"])
    ws.append(["填报人：张三", None, None, "审核人：李四"])
    return save(wb)


def save(wb) -> bytes:
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def convert(data: bytes, fmt: str) -> bytes:
    """.xlsx bytes → .xls or .ods bytes through LibreOffice (own profile per call)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("文档测试跳过：没有 LibreOffice")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.xlsx"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                tmp,
                str(src),
            ],
            capture_output=True,
            timeout=120,
            check=False,
        )
        out = Path(tmp) / f"in.{fmt}"
        if not out.exists():
            pytest.skip(f"文档测试跳过：LibreOffice 无法转换为 .{fmt}（需要 libreoffice-calc）")
        return out.read_bytes()


def messy_dispatch(rows, *, month=3, unit="万元", with_code=False, split=True):
    """A monthly dispatch table: title, unit line, 1–N月完成投资 merged over 合计 /
    其中：1–(N−1)月 / 其中：N月 (when split), 栏次 row, sections, percent as formatted numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{month}月调度"
    heads = (
        ["序号"]
        + (["项目编号"] if with_code else [])
        + ["项目名称", "责任单位", "责任领导", "年度计划\n投资"]
    )
    group_at = len(heads)
    subs = ["合计", f"其中：1-{month - 1}月", f"其中：{month}月"] if split else [None]
    tail = ["年度完成率", "形象进度", "存在问题"]
    width = len(heads) + len(subs) + len(tail)
    ws.append([f"2022年1-{month}月全县重点项目推进情况表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append([f"填报单位：县发改委　　单位：{unit}"])
    ws.append(heads + [f"1-{month}月完成投资"] + [None] * (len(subs) - 1) + tail)
    ws.append([None] * len(heads) + (subs if split else [None]) + [None] * len(tail))
    for c in range(1, width + 1):
        if not group_at < c <= group_at + len(subs) or not split:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    if split:
        ws.merge_cells(
            start_row=3, start_column=group_at + 1, end_row=3, end_column=group_at + len(subs)
        )
    ws.append(list(range(1, width + 1)))
    by_dept: dict[str, list] = {}
    for r in rows:
        by_dept.setdefault(r["dept"], []).append(r)
    n = 0
    for s, (dept, items) in enumerate(by_dept.items()):
        ws.append([f"{'一二三四'[s]}、{dept}（{len(items)}个）"])
        for r in items:
            n += 1
            line = (
                [n]
                + ([r.get("code", "")] if with_code else [])
                + [r["name"], r.get("dept_cell", dept), r.get("leader", "王副县长"), r.get("plan")]
            )
            line += [r.get("ytd"), r.get("prior"), r.get("month")] if split else [r.get("ytd")]
            line += [r.get("rate"), r.get("progress"), r.get("problems")]
            ws.append(line)
            rate_cell = ws.cell(ws.max_row, len(line) - 2)
            if isinstance(r.get("rate"), float):
                rate_cell.number_format = "0.0%"
    ws.append(["合计", None, None, None, None])
    ws.append(["单位负责人：", None, "填报人：", None, "联系电话："])
    return save(wb)


def to_pdf(data: bytes, tmp: Path) -> Path:
    """An .xlsx printed to PDF by LibreOffice with the sheet's own print set-up."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    src = tmp / "export.xlsx"
    src.write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(src),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    out = tmp / "export.pdf"
    if not out.exists():
        pytest.skip("文档测试跳过：LibreOffice 无法把 .xlsx 打印为 PDF（需要 libreoffice-calc）")
    return out
