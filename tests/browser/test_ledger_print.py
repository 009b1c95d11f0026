"""The ledger printed on A3 landscape (issue 22): the print view with the default columns puts
the demo's 51 projects on at most two sheets, the header row on each sheet, the 合计 once, no
number broken over two lines. The PDF is made the way a browser prints (page.pdf with the
page's own @page size) and read back with poppler (pdfinfo, pdftotext); KP_SHOTS gets PNGs."""

import os
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command

from keyprojects.demo.data import DEMO_PASSWORD
from keyprojects.ledger.adapters import LEDGER_EXPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="需要 poppler-utils（pdftotext）"),
]
SHOTS = os.environ.get("KP_SHOTS")
A3_LANDSCAPE_PT = (1191, 842)  # 420 × 297 mm


@pytest.fixture
def demo_site(live_server):
    call_command("demo")
    return live_server.url


def log_in(page, base, username):
    page.goto(f"{base}/projects/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/"))


def printed(page, path) -> list[str]:
    """The page printed as the browser prints it (its own @page size, else A3 landscape);
    → the text of each sheet."""
    page.pdf(path=str(path), format="A3", landscape=True, prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    # Playwright's A3 is given in inches (16.54 × 11.7), a point off the 420 × 297 mm of @page.
    assert abs(float(size[1]) - A3_LANDSCAPE_PT[0]) <= 1.5
    assert abs(float(size[2]) - A3_LANDSCAPE_PT[1]) <= 1.5
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout
    sheets = text.split("\f")
    if sheets and not sheets[-1].strip():
        sheets.pop()
    assert len(sheets) == int(re.search(r"Pages:\s+(\d+)", info)[1])
    if SHOTS:
        stem = os.path.join(SHOTS, path.stem)
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), stem], check=True)
    return sheets


def test_default_print_of_the_demo_ledger(page, demo_site, tmp_path):
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/projects/?year=2022")
    page.click("#print-link")
    page.wait_for_url(re.compile(r"/projects/print/"))
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "ledger-print-screen-1440.png"))
    count = int(re.search(r"共(\d+)个项目", page.locator(".print-unit").inner_text())[1])
    assert count == 51
    heads = [h.replace("\n", "") for h in page.locator("#print-table thead th").all_inner_texts()]
    assert re.fullmatch(r"1-\d{1,2}月累计完成（万元）", heads[6])
    assert heads == [
        "序号",
        "项目名称",
        "牵头单位",
        "责任单位",
        "总投资（万元）",
        "年度计划投资（万元）",
        heads[6],
        "年度完成率",
        "建设状态",
        "形象进度",
        "序时预警",
        "预警原因",
    ]
    numbers = [
        t for t in page.locator("#print-table td.num").all_inner_texts() if re.search(r"\d", t)
    ]
    sheets = printed(page, tmp_path / "ledger-print-a3.pdf")
    assert 1 <= len(sheets) <= 2
    for sheet in sheets:
        assert "项目名称" in sheet and "预警原因" in sheet  # the header row on every sheet
    whole = "\n".join(sheets)
    assert whole.count("合计（") == 1
    assert "合计（51个项目）" in sheets[-1]
    # No number broken over two lines: each one the table shows is whole on one printed line.
    lines = whole.splitlines()
    for n in set(numbers):
        assert any(re.search(rf"(?<![\d,.]){re.escape(n)}(?![\d,.%])", line) for line in lines), n


def test_every_column_prints_readably(page, demo_site, tmp_path):
    """The user adds every column: the sheet still fits the page width (nothing cut off on the
    right) in the smaller type, and the header repeats on each sheet."""
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/projects/print/?year=2022")
    page.click("#print-columns summary")
    for box in page.locator("#print-columns input[type=checkbox]").all():
        box.check()
    page.click("#print-columns button[type=submit]")
    page.wait_for_url(re.compile(r"columns=year"))
    assert page.locator("#print-table thead th").count() == len(LEDGER_EXPORT)
    assert "dense" in page.locator("#print-table").get_attribute("class")
    page.set_viewport_size({"width": 1512, "height": 1000})  # A3's 400 mm between margins
    page.emulate_media(media="print")
    overflow = page.evaluate(
        "() => { const t = document.querySelector('#print-table');"
        " return t.scrollWidth - t.parentElement.clientWidth; }"
    )
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "ledger-print-all-screen.png"), full_page=True)
    assert overflow <= 1, overflow
    font = page.evaluate(
        "() => getComputedStyle(document.querySelector('#print-table td')).fontSize"
    )
    assert float(font.removesuffix("px")) >= 9.5  # 7.5 pt: small but readable on A3
    sheets = printed(page, tmp_path / "ledger-print-all.pdf")
    for sheet in sheets:
        assert "项目名称" in sheet and "建设规模及内容" in sheet
    assert "\n".join(sheets).count("合计（") == 1


def test_wall_chart_prints_on_as_many_sheets_as_its_pdf(page, demo_site, tmp_path):
    """The wall chart says 浏览器打印，A3横向 beside a 下载PDF button: both give one A3 sheet."""
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/dispatch/wall-chart/?year=2022")
    browser_sheets = printed(page, tmp_path / "wallchart-print.pdf")
    download = page.request.get(f"{demo_site}/dispatch/wall-chart.pdf?year=2022")
    assert download.status == 200
    pdf = tmp_path / "wallchart-button.pdf"
    pdf.write_bytes(download.body())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) == len(browser_sheets) == 1


def test_the_list_page_printed_as_it_is(page, demo_site, tmp_path):
    """Ctrl+P on the ledger list itself (all rows): the header row on each sheet, the 合计 row
    once at the end rather than under every sheet, no navigation or filters on paper."""
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, demo_site, "office")
    page.goto(f"{demo_site}/projects/?year=2022&size=all")
    sheets = printed(page, tmp_path / "ledger-list.pdf")
    assert len(sheets) >= 2
    for sheet in sheets:
        assert "项目名称" in sheet and "序时预警" in sheet
    whole = "\n".join(sheets)
    assert whole.count("合计（") == 1 and "合计（51个项目）" in sheets[-1]
    assert "查询" not in whole and "一屏统览" not in whole
