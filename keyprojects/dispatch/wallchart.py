"""The wall chart (挂图作战图): one year's projects as a Gantt chart in server-rendered SVG.

Planned bars (计划工期), actual bars (实际进度, coloured by the schedule verdict), milestones
(reached / overdue / upcoming), a today line, grouped by department. The same SVG is shown on
the page, printed on A3 landscape and downloaded.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from keyprojects.dates import cn_date
from keyprojects.figures import dispatch as dispatch_figures

COLOURS = {"green": "#2e7d32", "yellow": "#d99a00", "red": "#c62828", None: "#90a4ae"}
PLANNED = "#b7c7d6"
LABEL_W = 380
MONTH_W = 92
ROW_H = 24
HEAD_H = 64
GROUP_H = 24
LEGEND_H = 34


@dataclass
class Chart:
    year: int
    as_of: date
    title: str
    groups: list = field(default_factory=list)  # (department label, size, [WallRow])
    period: object = None
    total: int = 0
    page: int = 1
    pages: int = 1

    @property
    def rows(self) -> list:
        return [r for _, _, rows in self.groups for r in rows]


def build(projects, year: int, as_of, title: str, *, page: int = 1) -> Chart:
    """The chart of `year` for a period (figures.periods.Period) or a day (live figures).

    Colours, reasons and node states come from figures.dispatch.wall_chart; long charts are
    paginated (WALL_PAGE_SIZE rows a page), each department's heading counting all its rows.
    """
    from keyprojects.figures.periods import Period

    period = as_of if isinstance(as_of, Period) else Period(year, as_of.month, as_of, False)
    if period.year != year:  # a day in another year: judge `year` on it, live
        period = Period(year, 12 if as_of.year > year else 1, period.as_of, False)
    data = dispatch_figures.wall_chart(projects, period, page=page)
    return Chart(
        year=year,
        as_of=period.as_of,
        title=title,
        groups=data.groups,
        period=period,
        total=data.total,
        page=data.page,
        pages=data.pages,
    )


def _x(d: date, year: int) -> float:
    """Horizontal position of a day: its share of the year across the 12 month columns."""
    start = date(year, 1, 1).toordinal()
    days = 366 if calendar.isleap(year) else 365
    share = min(max((d.toordinal() - start) / days, 0), 1)
    return LABEL_W + share * 12 * MONTH_W


def _clip(a: date | None, b: date | None, year: int) -> tuple[date, date] | None:
    if a is None or b is None or b < date(year, 1, 1) or a > date(year, 12, 31):
        return None
    return max(a, date(year, 1, 1)), min(b, date(year, 12, 31))


def _text(x, y, s, **attrs) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(s)}</text>'


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def render_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (UTF-8, fonts with CJK fallbacks)."""
    year = chart.year
    width = LABEL_W + 12 * MONTH_W + 20
    n_rows = len(chart.rows)
    height = HEAD_H + len(chart.groups) * GROUP_H + n_rows * ROW_H + LEGEND_H + 10
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="wallchart" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif" font-size="12">',
        f"<title>{escape(chart.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _text(10, 22, chart.title, font_size=18, font_weight="bold"),
        _text(
            width - 10,
            22,
            chart.period.statement
            + (f"　第{chart.page}/{chart.pages}页" if chart.pages > 1 else ""),
            text_anchor="end",
            fill="#555",
        ),
    ]
    top = HEAD_H - 20
    for m in range(12):
        x = LABEL_W + m * MONTH_W
        out.append(
            f'<rect x="{x}" y="{top}" width="{MONTH_W}" height="20" '
            f'fill="{"#eef2f6" if m % 2 == 0 else "#f7f9fb"}" stroke="#d5dde5"/>'
        )
        out.append(_text(x + MONTH_W / 2, top + 14, f"{m + 1}月", text_anchor="middle"))
    out.append(_text(10, top + 14, "牵头单位 / 项目", fill="#333", font_weight="bold"))
    body_top = HEAD_H
    body_h = height - HEAD_H - LEGEND_H - 10
    for m in range(13):
        x = LABEL_W + m * MONTH_W
        out.append(
            f'<line x1="{x}" y1="{body_top}" x2="{x}" y2="{body_top + body_h}" stroke="#e3e8ee"/>'
        )
    y = body_top
    for label, size, rows in chart.groups:
        out.append(
            f'<rect x="0" y="{y}" width="{width}" height="{GROUP_H}" fill="#f0f4f8" class="group"/>'
        )
        out.append(_text(8, y + 16, f"{label}（{size}个项目）", font_weight="bold", fill="#243b53"))
        y += GROUP_H
        for row in rows:
            out.extend(_row(row, y, year, chart.as_of))
            y += ROW_H
    if date(year, 1, 1) <= chart.as_of <= date(year, 12, 31):
        x = _x(chart.as_of, year)
        out.append(
            f'<line class="today" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{y}" '
            'stroke="#c62828" stroke-width="1.5" stroke-dasharray="5,3"/>'
        )
        out.append(_text(x + 3, top - 4, "今日", fill="#c62828", font_size=11))
    out.extend(_legend(10, y + 22))
    out.append("</svg>")
    return "\n".join(out)


def _row(row, y: int, year: int, as_of: date) -> list[str]:
    p = row.project
    colour = COLOURS.get(row.colour, COLOURS[None])
    tip = f"{p.name}（{p.code}）"
    if row.reason:
        tip += f"：{row.reason}"
    out = [
        f'<g class="row" data-project="{p.pk}" data-colour="{row.colour or "none"}">',
        f"<title>{escape(tip)}</title>",
        f'<circle cx="14" cy="{y + ROW_H / 2:.1f}" r="5" fill="{colour}"/>',
        _text(26, y + ROW_H / 2 + 4, _short(p.name)),
    ]
    planned = _clip(p.planned_start, p.planned_end, year)
    if planned:
        x1, x2 = _x(planned[0], year), _x(planned[1], year)
        out.append(
            f'<rect class="planned" x="{x1:.1f}" y="{y + 4}" width="{max(x2 - x1, 2):.1f}" '
            f'height="7" rx="2" fill="{PLANNED}"/>'
        )
    if p.actual_start and p.actual_start <= as_of:
        end = p.actual_end if p.actual_end and p.actual_end <= as_of else as_of
        actual = _clip(p.actual_start, end, year)
        if actual:
            x1, x2 = _x(actual[0], year), _x(actual[1], year)
            out.append(
                f'<rect class="actual" x="{x1:.1f}" y="{y + 12}" width="{max(x2 - x1, 2):.1f}" '
                f'height="8" rx="2" fill="{colour}"/>'
            )
    for name, planned_date, actual_date, state in row.milestones:
        if planned_date.year != year:
            continue
        x, cy = _x(planned_date, year), y + ROW_H / 2
        fill = {"reached": "#2e7d32", "overdue": "#c62828", "upcoming": "#ffffff"}[state]
        label = {"reached": "已完成", "overdue": "已逾期", "upcoming": "未到期"}[state]
        when = f"计划{cn_date(planned_date)}"
        if actual_date:
            when += f"，实际{cn_date(actual_date)}"
        out.append(
            f'<path class="milestone {state}" d="M{x:.1f},{cy - 6:.1f} l6,6 l-6,6 l-6,-6 z" '
            f'fill="{fill}" stroke="#37474f" stroke-width="1">'
            f"<title>{escape(f'节点“{name}”{label}（{when}）')}</title></path>"
        )
    out.append("</g>")
    return out


def _legend(x: int, y: int) -> list[str]:
    items = [
        ("rect", PLANNED, "计划工期"),
        ("rect", COLOURS["green"], "实际进度·绿灯"),
        ("rect", COLOURS["yellow"], "黄灯"),
        ("rect", COLOURS["red"], "红灯"),
        ("diamond", "#2e7d32", "节点已完成"),
        ("diamond", "#c62828", "节点逾期"),
        ("diamond", "#ffffff", "节点未到期"),
        ("line", "#c62828", "今日"),
    ]
    out = ['<g class="legend">']
    for kind, colour, label in items:
        if kind == "rect":
            out.append(f'<rect x="{x}" y="{y - 9}" width="22" height="8" rx="2" fill="{colour}"/>')
        elif kind == "diamond":
            out.append(
                f'<path d="M{x + 11},{y - 11} l6,6 l-6,6 l-6,-6 z" fill="{colour}" '
                'stroke="#37474f"/>'
            )
        else:
            out.append(
                f'<line x1="{x + 11}" y1="{y - 12}" x2="{x + 11}" y2="{y + 2}" stroke="{colour}" '
                'stroke-width="1.5" stroke-dasharray="4,2"/>'
            )
        out.append(_text(x + 28, y, label))
        x += 40 + 13 * len(label)
    out.append("</g>")
    return out


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    import shutil

    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def svg_to_pdf(svg: str, *, timeout: int = 90) -> bytes:
    """One A3 landscape page with the chart scaled to fit, printed by headless Chromium.

    Raises RuntimeError (Chinese message) when no Chromium is installed or printing fails.
    Each call gets its own temporary profile, so concurrent downloads do not collide.
    """
    import subprocess
    import tempfile
    from pathlib import Path

    browser = chromium_path()
    if browser is None:
        raise RuntimeError("本机未安装Chromium，无法生成PDF，请下载SVG后打印")
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        "@page { size: A3 landscape; margin: 8mm; } html, body { margin: 0; }"
        ".page { width: 404mm; height: 280mm; } .page svg { width: 100%; height: 100%; }"
        f'</style></head><body><div class="page">{svg}</div></body></html>'
    )
    with tempfile.TemporaryDirectory(prefix="kp-wallchart-") as tmp:
        page, out = Path(tmp) / "chart.html", Path(tmp) / "chart.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, cwd=tmp)
        except subprocess.TimeoutExpired:
            raise RuntimeError("生成PDF超时，请稍后重试或下载SVG") from None
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError("生成PDF失败，请下载SVG后打印")
        return out.read_bytes()
