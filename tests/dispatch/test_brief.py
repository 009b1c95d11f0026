"""The monthly brief (调度通报): figures from stats only, Word fonts, PDF via LibreOffice."""

import subprocess
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from keyprojects.core import render
from keyprojects.dispatch import brief
from keyprojects.dispatch.choices import ReportStatus
from keyprojects.ledger.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def brief_world(dept, other_dept):
    green = factories.started_project(dept, name="绿灯道路工程", annual_plan_wan=400)
    for m in (1, 2, 3):
        factories.report(green, m, "40")  # 120 of 400 = 30 %
    red = factories.started_project(dept, name="红灯安置房工程", annual_plan_wan=400)
    factories.report(red, 1, "10")  # 10 of 400: 22.5 points behind
    factories.milestone(red, name="主体封顶", planned_date=date(2022, 2, 1))  # 58 days overdue
    yellow = factories.started_project(other_dept, name="黄灯桥梁工程", annual_plan_wan=200)
    factories.report(yellow, 3, "30", status=ReportStatus.SUBMITTED)  # not approved: not counted
    factories.project(other_dept, name="未开工学校工程", planned_start=date(2022, 2, 1))
    return {"green": green, "red": red, "yellow": yellow}


def _text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_collect_uses_approved_figures(brief_world):
    b = brief.collect(2022, 3, Project.objects.live())
    s = b.summary
    assert s.investment.completed_ytd_wan == 130  # 120 + 10; the submitted 30 is not counted
    assert [p.name for p, _ in b.red] == ["红灯安置房工程"]
    assert sorted(p.name for p, _ in b.yellow) == ["未开工学校工程", "黄灯桥梁工程"]
    assert [p.name for p in b.not_reported] == ["红灯安置房工程"]  # no March report at all
    assert "开工率75.0%" in b.lead_paragraph()


def test_docx_content_and_chinese_fonts(brief_world):
    content = brief.render_docx(brief.collect(2022, 3, Project.objects.live()))
    doc = Document(BytesIO(content))
    text = _text(doc)
    assert "2022年3月重点项目调度通报" in text
    assert "1—3月累计完成投资130.00万元" in text
    assert "二、红灯项目（1个）" in text and "节点“主体封顶”逾期58天" in text
    assert "三、黄灯项目（2个）" in text and "未按期开工（计划2022年2月开工，已逾期1个月）" in text
    assert "四、未报送2022年3月调度报告的项目（1个）" in text
    assert "住建 | 2 | 2 | 800.00 | 130.00 | 16.3% | 1" in text
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs}
    assert fonts == {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"}


def test_command_writes_docx(brief_world, tmp_path):
    out = tmp_path / "通报.docx"
    stdout = StringIO()
    call_command("report", "monthly", "--month", "2022-03", "--out", str(out), stdout=stdout)
    assert "已生成2022年3月重点项目调度通报" in stdout.getvalue()
    assert "红灯1个、黄灯2个、未报送1个" in stdout.getvalue()
    assert "调度通报" in _text(Document(str(out)))


@pytest.mark.parametrize(
    "month, out, message",
    [
        ("2022-13", "x.docx", "超出范围"),
        ("2099-01", "x.docx", "尚未结束"),
        ("2022-03", "x.pdf", "应以 .docx 结尾"),
        ("2022-03", "/nonexistent-dir/x.docx", "不存在"),
    ],
)
def test_command_bad_arguments(month, out, message, tmp_path):
    path = out if out.startswith("/") else str(tmp_path / out)
    with pytest.raises(CommandError, match=message):
        call_command("report", "monthly", "--month", month, "--out", path, stdout=StringIO())


def test_brief_page_and_download(client_for, office, reporter, brief_world):
    c = client_for(office)
    page = c.get(reverse("dispatch:brief") + "?month=2022-03").content.decode()
    assert "1—3月累计完成投资130.00万元" in page and "红灯安置房工程" in page
    response = c.get(reverse("dispatch:brief_docx") + "?month=2022-03")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''2022%E5%B9%B43%E6%9C%88%E9%87%8D%E7%82%B9%E9%A1%B9%E7%9B%AE"
        "%E8%B0%83%E5%BA%A6%E9%80%9A%E6%8A%A5.docx"
    )
    assert "红灯安置房工程" in _text(Document(BytesIO(response.content)))
    # A reporter's brief covers their department only.
    mine = client_for(reporter).get(reverse("dispatch:brief") + "?month=2022-03").content
    assert "黄灯桥梁工程" not in mine.decode()
    assert c.get(reverse("dispatch:brief") + "?month=2099-01").status_code == 400
    assert c.get(reverse("dispatch:brief_docx") + "?month=bad").status_code == 400


@pytest.mark.documents
def test_brief_renders_to_pdf_with_chinese_figures(brief_world, tmp_path):
    docx_path = tmp_path / "brief.docx"
    docx_path.write_bytes(brief.render_docx(brief.collect(2022, 3, Project.objects.live())))
    pdf = render.to_pdf(docx_path, tmp_path)
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    # 仿宋/小标宋 → Noto Serif CJK, 黑体 → Noto Sans CJK (fonts.conf), never one fallback font.
    assert "NotoSerifCJK" in fonts.stdout and "NotoSansCJK" in fonts.stdout, fonts.stdout
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert "pts (A4)" in pages.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    squashed = "".join(text.split())
    assert "2022年3月重点项目调度通报" in squashed
    assert "1—3月累计完成投资130.00万元" in squashed
    assert "开工率75.0%" in squashed
    assert "红灯安置房工程" in squashed


def test_reporter_brief_names_their_department(brief_world, client_for, reporter):
    r = client_for(reporter).get(reverse("dispatch:brief_docx"), {"month": "2022-03"})
    text = _text(Document(BytesIO(r.content)))
    assert f"{reporter.department.name}列入年度计划" in text and "全县" not in text


def test_long_unreported_list_is_cut_with_its_full_count(dept, monkeypatch, client_for, office):
    """Like the colour lists, 未报送 names the first BRIEF_LIST_LIMIT projects and counts all."""
    from keyprojects.figures import dispatch as dispatch_figures

    monkeypatch.setattr(dispatch_figures, "BRIEF_LIST_LIMIT", 3)
    monkeypatch.setattr(dispatch_figures.brief_figures, "__kwdefaults__", {"list_limit": 3})
    owing = [
        factories.started_project(dept, name=f"待报工程{n}", code=f"D{n:02d}") for n in range(5)
    ]
    b = brief.collect(2022, 3, Project.objects.live())
    assert b.not_reported_total == 5 and b.not_reported_rest == 2
    assert [p.name for p in b.not_reported] == [p.name for p in owing[:3]]  # department, code
    assert b.lead_paragraph()  # the summary's own 未报送 count is not cut

    text = _text(Document(BytesIO(brief.render_docx(b))))
    assert "四、未报送2022年3月调度报告的项目（5个）" in text
    assert "以上列出前3个，另有2个，详见月度调度的待报项目页面。" in text
    assert "待报工程3" not in text

    page = client_for(office).get(reverse("dispatch:brief") + "?month=2022-03").content.decode()
    assert "未报送月报的项目（5个）" in page
    assert 'id="due-cut">以上列出前3个，另有2个，' in page
    assert reverse("dispatch:due") + "?month=2022-03" in page
