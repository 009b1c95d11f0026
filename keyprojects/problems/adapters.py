"""Excel out of the ranking (openpyxl): the scores with every line of their explanation."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from keyprojects import dates


def ranking_xlsx(r) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位排名"
    ws.append(
        [f"{r.year}年重点项目单位考核排名（截至{dates.cn_date(r.as_of)}，方案：{r.scheme_name}）"]
    )
    ws.append(["名次", "单位", "总分", "计划完成", "开工", "管理服务", "榜单"])
    for s in r.departments:
        b = s.score.by_indicator
        tag = "红榜" if s in r.red else ("黑榜" if s in r.black else "")
        ws.append([s.rank, s.name, float(s.score.total), *(float(v) for v in b.values()), tag])
    detail = wb.create_sheet("得分说明")
    detail.append(["单位", "指标", "项目", "得分", "说明"])
    for s in r.departments:
        for line in s.score.lines:
            detail.append([s.name, line.indicator, line.item, float(line.points), line.note])
    pace = wb.create_sheet("十快十慢")
    pace.append(["榜单", "项目", "牵头单位", "与序时进度差（百分点）", "说明"])
    for label, rows in (("快", r.fast), ("慢", r.slow)):
        for x in rows:
            pace.append([label, x.project.name, x.project.department.name, float(x.gap), x.reason])
    for sheet, widths in (
        (ws, [6, 28, 8, 10, 8, 10, 6]),
        (detail, [26, 10, 14, 8, 70]),
        (pace, [6, 30, 26, 12, 60]),
    ):
        for i, w in enumerate(widths):
            sheet.column_dimensions[chr(65 + i)].width = w
        for row in sheet.iter_rows(min_row=1, max_row=1):
            for cell in row:
                cell.font = Font(bold=True)
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
