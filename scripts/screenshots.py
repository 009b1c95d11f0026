"""Screenshots of the main pages with Debian's Chromium, for a person to look at.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [OUT_DIR] [USER]
(the app must be running, e.g. `make run`, with demo data).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PAGES = [
    ("summary", "/projects/summary/?year=2022&quarter=1"),
    ("ledger", "/projects/?year=2022"),
    ("ledger_red", "/projects/?year=2022&colour=red"),
    ("detail", "/projects/6/"),
    ("edit", "/projects/6/edit/"),
]


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
    user = sys.argv[3] if len(sys.argv) > 3 else "office"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for width, suffix in ((1366, ""), (390, "_phone")):
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="zh-CN")
            page.goto(base + "/login/")
            page.screenshot(path=str(out / f"login{suffix}.png"))
            page.fill("#id_username", user)
            page.fill("#id_password", "Kp@2022demo")
            page.click("button[type=submit]")
            for name, url in PAGES:
                page.goto(base + url)
                page.screenshot(path=str(out / f"{name}{suffix}.png"), full_page=True)
            page.close()
        browser.close()
    print(f"截图已保存到 {out}/")


if __name__ == "__main__":
    main()
