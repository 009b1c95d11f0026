"""The monthly brief (调度通报) as a Word document, rendering figures.dispatch only.

Every figure, colour and list comes from figures.dispatch.brief_figures, so the brief agrees with
the pages and `keyprojects stats`: a closed month from its snapshot, an open month live and
marked as not final. Long colour and 未报送 lists are cut (BRIEF_LIST_LIMIT) with the full count.
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone

from keyprojects.core import docx_style
from keyprojects.figures import dispatch as dispatch_figures
from keyprojects.figures import periods
from keyprojects.units import format_wan

# Kept for callers that name the fonts (tests check the east-Asian font of each run).
TITLE_FONT = docx_style.TITLE_FONT
HEADING_FONT = docx_style.HEADING_FONT
BODY_FONT = docx_style.BODY_FONT


@dataclass
class Brief:
    year: int
    month: int
    summary: object
    red: list = field(default_factory=list)  # (project, verdict)
    yellow: list = field(default_factory=list)
    not_reported: list = field(default_factory=list)
    scope_label: str = "全县"  # a department's own brief says its name instead
    period: object = None
    red_total: int = 0
    yellow_total: int = 0
    not_reported_total: int = 0

    @property
    def not_reported_rest(self) -> int:
        """未报送 projects beyond the ones listed (the list is cut at BRIEF_LIST_LIMIT)."""
        return self.not_reported_total - len(self.not_reported)

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月重点项目调度通报"

    def lead_paragraph(self) -> str:
        s, p, inv = self.summary, self.summary.projects, self.summary.investment
        rate = "—" if p.start_rate is None else f"{p.start_rate}%"
        done = "—" if inv.investment_rate is None else f"{inv.investment_rate}%"
        return (
            f"截至{s.as_of.year}年{s.as_of.month}月{s.as_of.day}日，{self.scope_label}列入年度计划的"
            "重点建设项目"
            f"{p.total}个（续建{p.continuing}个、新开工{p.new}个），已开工{p.started}个，"
            f"未开工{p.not_started}个，开工率{rate}。1—{s.month}月累计完成投资"
            f"{format_wan(inv.completed_ytd_wan)}，占年度计划投资{format_wan(inv.annual_plan_wan)}"
            f"的{done}，序时进度{inv.expected_share}%。有序推进{p.on_schedule}个，未达到序时进度"
            f"{p.behind_schedule}个，未报送{p.unreported}个；"
            f"红灯{p.red}个、黄灯{p.yellow}个、绿灯{p.green}个。"
        )


def collect(year: int, month: int, projects, scope_label: str = "全县", period=None) -> Brief:
    """The brief of year/month over `projects` (a user's scope or all): its period is closed
    (snapshot) or open (live, not final)."""
    period = period or periods.month_period(year, month)
    f = dispatch_figures.brief_figures(period, projects)
    return Brief(
        year,
        month,
        f.summary,
        red=f.red,
        yellow=f.yellow,
        not_reported=f.not_reported,
        scope_label=scope_label,
        period=period,
        red_total=f.red_total,
        yellow_total=f.yellow_total,
        not_reported_total=f.not_reported_total,
    )


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def render_docx(brief: Brief) -> bytes:
    doc = docx_style.new_document()
    docx_style.title(doc, brief.title)
    docx_style.paragraph(doc, "重点项目办", font=docx_style.KAI_FONT, center=True)
    docx_style.paragraph(
        doc, brief.period.statement, font=docx_style.KAI_FONT, size=14, center=True
    )
    docx_style.paragraph(doc, brief.lead_paragraph())

    s = brief.summary
    docx_style.heading(doc, "一、各单位投资完成情况")
    rows = [
        [
            d.short_name or d.name,
            str(d.total),
            str(d.started),
            f"{d.annual_plan_wan:,.2f}",
            f"{d.completed_ytd_wan:,.2f}",
            _pct(d.investment_rate),
            str(d.behind_schedule),
        ]
        for d in s.departments
        if d.total
    ]
    header = [
        "单位",
        "项目数",
        "已开工",
        "年度计划（万元）",
        f"1—{s.month}月完成（万元）",
        "完成率",
        "未达序时",
    ]
    docx_style.table(
        doc, header, rows, widths=[1.6, 1, 1, 2.2, 2.2, 1.3, 1.2], numeric={1, 2, 3, 4, 5, 6}
    )

    for number, label, items, total in (
        ("二", "红灯", brief.red, brief.red_total),
        ("三", "黄灯", brief.yellow, brief.yellow_total),
    ):
        docx_style.heading(doc, f"{number}、{label}项目（{total}个）")
        if items:
            docx_style.table(
                doc,
                ["项目名称", "单位", "原因"],
                [[p.name, p.department.label, v.reason_text or "—"] for p, v in items],
                widths=[3, 1, 4],
            )
            if total > len(items):
                docx_style.paragraph(
                    doc,
                    f"以上列出前{len(items)}个，另有{total - len(items)}个，"
                    "详见项目台账（按序时预警筛选）。",
                )
        else:
            docx_style.paragraph(doc, f"本月无{label}项目。")

    due = f"四、未报送{brief.year}年{brief.month}月调度报告的项目（{brief.not_reported_total}个）"
    docx_style.heading(doc, due)
    if brief.not_reported:
        docx_style.table(
            doc,
            ["项目名称", "项目编号", "单位"],
            [[p.name, p.code, p.department.label] for p in brief.not_reported],
            widths=[4, 2, 1.5],
        )
        if brief.not_reported_rest:
            docx_style.paragraph(
                doc,
                f"以上列出前{len(brief.not_reported)}个，另有{brief.not_reported_rest}个，"
                "详见月度调度的待报项目页面。",
            )
    else:
        docx_style.paragraph(doc, "各项目均已按期报送。")
    docx_style.paragraph(
        doc,
        "说明：投资数字均取自已审核的月度调度报告；序时进度与红黄绿灯按本平台的序时进度规则计算。",
        font=docx_style.KAI_FONT,
        size=14,
        space_before=12,
    )
    docx_style.signature(doc, "县重点项目办公室", timezone.localdate())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
