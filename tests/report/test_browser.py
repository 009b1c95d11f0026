"""The report preview in a real browser: figures are links to the rows behind them."""

import os

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_preview_figure_opens_the_rows_behind_it(page, live_server, fake_blocks):
    from keyprojects.demo import data as demo

    demo.load()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/reports/quarterly/?year=2022&quarter=1")
    preview = page.text_content("#report-preview")
    assert "新增建设用地面积共计66.4923公顷（合997亩）" in preview and "*" not in preview
    if os.environ.get("KP_SCREENSHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["KP_SCREENSHOTS"], "report.png"), full_page=True
        )
    started = page.locator("#report-preview a.figure[href*='started=true']").first
    assert started.text_content() == "23"
    started.click()
    assert page.is_visible("text=共 23 个项目")
    assert not errors, errors
