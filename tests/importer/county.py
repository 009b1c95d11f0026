"""A county ledger and a monthly dispatch table laid out as the county's offices lay them out
(issue #21): department names as their own documents write them, sector and category only in
section rows, two- and three-row headers whose meaning comes from the combination, "—" cells,
full-width digits, percent as text and as a number, and a 说明/统计负责人/填表人 footer."""

from datetime import date

import openpyxl

from tests.importer.builders import save


def county_ledger(*, year=2022, plan_year=None, extra_rows=(), sector_column=False) -> bytes:
    plan_year = plan_year or year
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "重点项目"
    head = ["序号", "项目名称", "项目代码", "责任单位", "总投资", None, f"{plan_year}年计划"]
    head += ["计划开工时间", "实际开工时间", "建设内容"]
    if sector_column:
        head.append("行业领域")
    width = len(head)
    ws.append([f"{year}年全县重点项目建设计划表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["单位：万元"])
    ws.append(head)
    sub = [None] * width
    sub[4], sub[5], sub[6] = "合计", "其中：以前年度完成", "计划投资"
    ws.append(sub)
    for c in range(1, width + 1):
        if c not in (5, 6, 7):
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=6)

    def row(n, name, dept, total, before, plan, start=None, actual=None, code="", sector=None):
        line = [n, name, code, dept, total, before, plan, start, actual, f"{name}建设内容"]
        if sector_column:
            line.append(sector)
        ws.append(line)

    ws.append(["一、续建项目"])
    ws.append(["（一）交通基础设施（2个）"])
    row(1, "城东快速通道", "住建委", "１，２００", 200, 400, date(2021, 3, 1), date(2021, 4, 10))
    row(2, "乌江大桥", "县住建委", 5000, "—", 800, date(2021, 6, 1), date(2021, 7, 1))
    ws.append(["（二）社会民生"])
    row(3, "城北安置房", "规资局", 3000, 1000, 600, date(2021, 1, 1), date(2021, 2, 1))
    ws.append(["二、新开工项目"])
    ws.append(["（一）交通基础设施"])
    row(4, "滨江路改造", "城管局", 900, 0, 300, date(2022, 5, 1))
    row(5, "工业园道路", "县规划和自然资源局", 700, 0, None, date(2022, 8, 1))
    for r in extra_rows:
        row(*r)
    ws.append(["三、储备项目"])
    row(6, "文化中心", "住建委", 20000, "—", "—")
    ws.append(["说明：1．本表由各牵头单位填报，县重点项目办汇总；"])
    ws.append(["2．栏次关系：总投资≥以前年度完成＋年度计划。"])
    ws.append(
        ["统计负责人：王五    填表人：张三    联系电话：023-12345678    报送日期：2022年4月5日"]
    )
    return save(wb)


def county_dispatch(rows, *, month=3, year=2022) -> bytes:
    """投资完成情况 / 1-N月完成投资 / 合计 | 其中：N月, three header rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{month}月"
    ws.append([f"{year}年1-{month}月重点项目推进情况调度表"])
    ws.merge_cells("A1:I1")
    ws.append(["单位：万元"])
    ws.append(["序号", "项目名称", "责任单位", "年度计划", "投资完成情况", None, "完成率"])
    ws.append([None] * 4 + [f"1-{month}月完成投资", None])
    ws.append([None] * 4 + ["合计", f"其中：{month}月"])
    ws["H3"], ws["I3"] = "形象进度", "存在问题"
    for col in "ABCDGHI":
        ws.merge_cells(f"{col}3:{col}5")
    ws.merge_cells("E3:F3")
    ws.merge_cells("E4:F4")
    ws.append(["一、交通基础设施"])
    for n, r in enumerate(rows, start=1):
        ws.append(
            [n, r["name"], r["dept"], r.get("plan"), r.get("ytd"), r.get("month"), r.get("rate")]
            + [r.get("progress", "按计划推进"), r.get("problems", "—")]
        )
        if isinstance(r.get("rate"), float):
            ws.cell(ws.max_row, 7).number_format = "0.0%"
    ws.append(["说明：1．本表由各牵头单位填报；"])
    ws.append(["2．栏次关系：5=6+前几月。"])
    ws.append(["统计负责人：王五", None, "填表人：张三", None, "联系电话：12345678"])
    return save(wb)
