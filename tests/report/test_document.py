"""The quarterly report and the monthly brief rendered by LibreOffice with the repo's fonts
(core/render.py, core/fonts/fonts.conf): GB/T 9704 page, margins, fonts embedded, page-number
fields right on odd pages and left on even ones, and no number broken across lines."""

import re
import subprocess
import zipfile
from datetime import date
from io import BytesIO

import pytest

from keyprojects.core import render
from keyprojects.dispatch import brief
from keyprojects.ledger.models import Project
from keyprojects.report import services

pytestmark = [pytest.mark.django_db, pytest.mark.documents]

MM = 72 / 25.4
A4_W, A4_H = 595.3, 841.89
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 26 * MM, 37 * MM, 35 * MM
TOLERANCE = 1.5 * MM  # GB/T 9704 allows ±1 mm; glyph boxes add a little
NUMBER = re.compile(r"\d+(?:[.,]\d+)+|\d{2,}")
LINE = re.compile(
    r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', re.S
)
WORD = re.compile(r">([^<]*)</word>")


def _run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pages(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    html = _run("pdftotext", "-bbox-layout", str(pdf), "-")
    pages = []
    for page in html.split("<page ")[1:]:
        lines = []
        for x0, y0, x1, y1, inner in LINE.findall(page):
            lines.append((float(x0), float(y0), float(x1), float(y1), "".join(WORD.findall(inner))))
        pages.append(lines)
    return pages


def _check_layout(docx: bytes, tmp_path, name: str, expected_numbers: list[str]) -> list:
    path = tmp_path / f"{name}.docx"
    path.write_bytes(docx)
    pdf = render.to_pdf(path, tmp_path)

    fonts = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb
    families = "\n".join(fonts)
    assert "NotoSerifCJK" in families and "NotoSansCJK" in families, families

    info = _run("pdfinfo", str(pdf))
    assert "Page size:       595.304 x 841.89 pts (A4)" in info

    pages = _pages(pdf)
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):
        footer = [ln for ln in lines if re.fullmatch(r"—\d+—", ln[4])]
        assert [ln[4] for ln in footer] == [f"—{number}—"], (number, [ln[4] for ln in lines])
        x0, _, x1, _, _ = footer[0]
        if number % 2:  # odd: right, one character in from the text block's right edge
            assert A4_W - RIGHT - 16 - TOLERANCE <= x1 <= A4_W - RIGHT, (number, x1)
        else:  # even: left, one character in
            assert LEFT <= x0 <= LEFT + 16 + TOLERANCE, (number, x0)
        for x0, y0, x1, y1, text in (ln for ln in lines if ln not in footer):
            assert x0 >= LEFT - TOLERANCE, (number, text, x0)
            assert x1 <= A4_W - RIGHT + TOLERANCE, (number, text, x1)
            assert y0 >= TOP - TOLERANCE, (number, text, y0)
            assert y1 <= A4_H - BOTTOM + TOLERANCE, (number, text, y1)

    # Every number of the document is whole on one line of the PDF (none broken in a cell or
    # at a line end): the PDF's words, line by line, contain each of them intact.
    layout = _run("pdftotext", "-layout", str(pdf), "-")
    tokens = set(NUMBER.findall(layout))
    missing = [n for n in expected_numbers if n not in tokens]
    assert not missing, missing

    with zipfile.ZipFile(BytesIO(docx)) as z:
        settings = z.read("word/settings.xml").decode()
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert "<w:evenAndOddHeaders/>" in settings
    assert len(footers) == 2 and all("> PAGE </w:instrText>" in f for f in footers)
    return pages


def test_quarterly_report_layout(demo_world, fake_blocks, tmp_path):
    report = services.generate(2022, 1, by=None, dated=date(2022, 4, 10), appendix=True)
    numbers = sorted(set(NUMBER.findall(report.text)))
    assert {"66.4923", "4595.55", "12.65", "10.99", "2200", "63.9", "1125"} <= set(numbers)
    pages = _check_layout(bytes(report.docx), tmp_path, "quarterly", numbers)
    first = [ln[4] for ln in pages[0]]
    assert first[0].startswith("关于2022年一季度")
    assert "一、一季度工作开展情况" in first
    everything = [ln[4] for page in pages for ln in page]
    # 落款 and 成文日期 end the text, the date right of the issuer.
    date_at = everything.index("2022年4月10日")
    assert everything[date_at - 1] == "县重点项目办公室"
    assert "*" not in "".join(everything)


def test_monthly_brief_layout(demo_world, tmp_path):
    data = brief.collect(2022, 3, Project.objects.live())
    numbers = [f"{d.annual_plan_wan:,.2f}" for d in data.summary.departments if d.total]
    numbers += [f"{d.completed_ytd_wan:,.2f}" for d in data.summary.departments if d.total]
    assert "98,600.00" in numbers
    pages = _check_layout(brief.render_docx(data), tmp_path, "brief", numbers)
    lines = [ln[4] for page in pages for ln in page]
    assert "县重点项目办公室" in lines
