"""The main pages, rendered on the demo data, read as the county writes: dates in the house
format (2022年3月5日, never 2022-03-05 or 2022年03月05日) and no English word shown to a user.

Only visible text counts: tags, attributes (input values, links, classes), scripts and styles
are stripped first, so an ISO date in a form value or an English class name does not fail."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from keyprojects.core.models import User
from keyprojects.dispatch.models import MonthlyReport
from keyprojects.ledger.models import Project

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
PADDED = re.compile(r"\d{4}年0\d月|月0\d日")
# A word of two or more Latin letters standing alone; letters glued to digits or hyphens are
# identifiers (project codes ZD-2022-001, roads G242), not words.
WORD = re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z]{2,}(?![A-Za-z0-9_\-])")
# Words a Chinese office uses as they are: file formats, products, units, the demo's own
# project names (碧桂园·凤凰城 has none; road numbers like G242/S526 are single letters).
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")
ALLOWED = {"Excel", "PDF", "GeoJSON", "SVG", "A3", "A4", "km", "KB", "MB", "ID"}


class _Visible(HTMLParser):
    HIDDEN = {"script", "style", "textarea", "template"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture
def demo(demo_data):
    """The demo data (tests/conftest.py: demo_data)."""


def _pages():
    project = Project.objects.filter(name="中昂新城商住项目").first()
    report = MonthlyReport.objects.order_by("pk").first()
    pages = [
        reverse("ledger:project_list"),
        reverse("ledger:project_list") + "?o=-code",
        reverse("ledger:summary"),
        reverse("ledger:project_detail", args=[project.pk]),
        reverse("dispatch:report_list"),
        reverse("dispatch:due"),
        reverse("dispatch:wall_chart") + "?year=2022",
        # The chart's SVG: milestone tooltips (<title>) say 计划2022年3月5日, 实际….
        reverse("dispatch:wall_chart_svg") + "?year=2022",
        reverse("ledger:project_print") + "?year=2022",
        reverse("ledger:change_list"),
    ]
    if report is not None:
        pages.append(reverse("dispatch:report_detail", args=[report.pk]))
    return pages


def _render(client_for, username):
    client = client_for(User.objects.get(username=username))
    for url in _pages():
        response = client.get(url)
        if response.status_code != 200:
            continue  # a page this role may not open (checked by the URL matrix)
        yield url, visible_text(response.content.decode())


@pytest.mark.parametrize("username", ["office", "leader", "zhujian"])
def test_dates_are_in_the_house_format(demo, client_for, username):
    bad = []
    for url, text in _render(client_for, username):
        bad += [f"{url}: {m}" for m in ISO_DATE.findall(text) + PADDED.findall(text)]
    assert bad == []


@pytest.mark.parametrize("username", ["office", "leader", "zhujian"])
def test_no_english_shown(demo, client_for, username):
    bad = []
    for url, text in _render(client_for, username):
        text = EMAIL.sub("", text)  # addresses are data, not wording
        bad += [f"{url}: {w}" for w in WORD.findall(text) if w not in ALLOWED]
    assert "\n".join(sorted(set(bad))) == ""


def test_wall_chart_tooltips_in_the_house_format(demo, client_for):
    svg = client_for(User.objects.get(username="office")).get(
        reverse("dispatch:wall_chart_svg") + "?year=2022"
    )
    titles = re.findall(r"<title>(.*?)</title>", svg.content.decode())
    planned = [t for t in titles if "计划" in t]
    assert planned and all(re.search(r"计划\d{4}年\d{1,2}月", t) for t in planned)
    assert [t for t in titles if ISO_DATE.search(t) or PADDED.search(t)] == []


def test_conflict_message_in_the_house_format(demo):
    """The message a stale save gets names when the other person saved: 2022年3月5日 14:05."""
    from keyprojects.core.versioning import save_versioned, stale_message

    office = User.objects.get(username="office")
    project = Project.objects.get(name="中昂新城商住项目")
    seen = project.version
    project.notes = "办公室的修改"
    save_versioned(project, by=office, expected_version=seen)
    message = stale_message(project, seen)
    assert re.search(r"已于\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}修改了该", message), message
    assert ISO_DATE.findall(message) + PADDED.findall(message) == []


def test_stats_text_in_the_house_format(demo):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("stats", year=2022, quarter=1, stdout=out)
    text = out.getvalue()
    assert "数据截至2022年3月31日" in text
    assert ISO_DATE.findall(text) + PADDED.findall(text) == []


def test_visible_text_skips_attributes_and_scripts():
    html = '<p class="x">2022年3月5日<input value="2022-03-05"></p><script>var a=1</script>'
    assert visible_text(html) == "2022年3月5日"
