"""The quarterly report on the demo: the seed's figures, no `*`, wording the office owns,
traceable figures, reproducible issued reports, the command and the pages."""

from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from keyprojects.core.models import Department
from keyprojects.report import services
from keyprojects.report.models import GeneratedReport, ReportNote
from keyprojects.report.placeholders import TemplateRejected

pytestmark = pytest.mark.django_db

SEED_FIGURES = [
    "66.4923公顷",
    "997亩",
    "1125套",
    "12.65万平方米",
    "495套",
    "5.9万平方米",
    "114%",
    "986套",
    "10.99万平方米",
    "2200万元",
    "1000万元",
    "1200万元",
    "4595.55万元",
    "63.9%",
    "14亿元",
    "1.2亿元",
    "一季度",
]


def _docx_text(content: bytes) -> str:
    doc = Document(BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_demo_report_has_the_seed_figures(demo_world, fake_blocks):
    report = services.generate(2022, 1, by=demo_world["office"])
    for figure in SEED_FIGURES:
        assert figure in report.text, figure
    assert "*" not in report.text and "＊" not in report.text
    lines = report.text.split("\n")
    assert lines[0] == "关于2022年一季度全县重点项目工作情况的报告"
    assert lines[1] == "一、一季度工作开展情况"
    assert lines[2] == (
        "今年全县确定了51个重点项目，其中续建项目16个、新开工项目20个、储备项目15个，"
        "目前已开工项目23个，还有13个项目未开工，已开工项目中17个项目在有序推进中、"
        "未达到序时进度的项目6个。"
    )
    assert lines[3].startswith("一是规资方面，涉及重点项目8个，总投资15.5亿元")
    assert "新增建设用地面积共计66.4923公顷（合997亩）" in lines[3]
    assert lines[4].startswith("二是住建方面")
    assert "完成商品房网签备案1125套12.65万平方米" in lines[4]
    assert "（495套5.9万平方米）同比增长114%" in lines[4]
    assert (
        "预计群众享受优惠2200万元（含财政补贴1000万元，企业各类优惠促销折合资金1200万元）"
        in (lines[4])
    )
    assert lines[5].startswith("三是城管方面")
    assert "二、存在主要问题" in lines and "三、下一步工作打算" in lines
    assert "（二）项目推进力度不够。36个重点项目中，已开工的只有23个，开工率为63.9%" in report.text
    assert "比如中昂新城商住项目、凤鸣江湾住宅小区、碧桂园·凤凰城项目等项目" in report.text
    assert "比如健康路改造工程、学府二路至外环线道路工程等项目" in report.text
    assert "规资、住建的财税任务分别是14亿元、1.2亿元" in report.text
    # Items are numbered over what was written: （一）…（五） in each part, no duplicate.
    assert [ln[:3] for ln in lines if ln.startswith("（")] == [
        "（一）", "（二）", "（三）", "（四）", "（五）", "（六）",
        "（一）", "（二）", "（三）", "（四）", "（五）",
    ]  # fmt: skip
    assert "（六）问题整改不够及时。问题台账中尚有12个问题未办结，其中3个已超过整改期限。" in lines
    # The .docx says the same.
    docx_text = _docx_text(bytes(report.docx))
    for figure in SEED_FIGURES:
        assert figure in docx_text, figure
    assert "*" not in docx_text
    assert report.template_versions["county"] == 0
    assert report.figures["figures"]["county.start_rate"]["value"] == "63.9"


def test_missing_blocks_leave_sections_out_with_a_note(demo_world):
    _, composed, _ = services.preview(2022, 1, providers={})
    text = composed.plain_text()
    assert "*" not in text
    assert "66.4923" not in text and "一是规资方面，涉及重点项目8个" in text
    notes = [b.text for b in composed.omissions()]
    assert (
        "未写入“规资方面：用地要素”：缺少数据 land.conversion_projects、"
        "land.new_construction_land_ha、land.new_construction_land_mu、land.farmland_projects、"
        "land.parcels_listed、land.expected_transfer_revenue_wan"
        "（未安装提供“用地要素（规资）”数据的模块）"
    ) in notes
    assert any(
        n.startswith("未写入“打算：税费收入”：缺少数据 fiscal.规资.target_wan") for n in notes
    )
    # Ledger-only items are still written and renumbered over what is there.
    assert "（一）项目储备不足。" in text and "（二）项目推进力度不够。" in text


def test_optional_sentences_drop_when_their_list_is_empty(demo_world):
    from tests.report.fakeblocks import blocks

    def risks(*, year, quarter, period=None):
        block = blocks.risks(year=year, quarter=quarter)
        return {**block, "projects": {**block["projects"], "labour": [], "stopped": []}}

    def no_risks(*, year, quarter, period=None):
        block = blocks.risks(year=year, quarter=quarter)
        return {**block, "projects": {k: [] for k in block["projects"]}}

    _, composed, _ = services.preview(2022, 1, providers={"risks": risks})
    item = next(b.text for b in composed.blocks if b.section == "problem_risk")
    assert item == (
        "（四）部分项目存在隐性风险。由于受宏观政策影响，一些项目存在资金短缺、停工等隐性风险。"
        "比如凤鸣江湾住宅小区等项目资金短缺。"
    )
    _, composed, _ = services.preview(2022, 1, providers={"risks": no_risks})
    assert not [b for b in composed.blocks if b.section == "problem_risk" and b.kind != "omitted"]
    assert (
        "未写入“问题：隐性风险”：本期无数据：risks.projects.funding、risks.projects.stopped、"
        "risks.projects.labour、risks.projects.demolition"
    ) in [b.text for b in composed.omissions()]


def test_wording_change_changes_text_never_a_figure(demo_world, fake_blocks):
    office = demo_world["office"]
    before = services.generate(2022, 1, by=office)
    services.save_wording(
        "county",
        heading="",
        body="截至{{ period.as_of }}，{{ period.scope }}已开工重点项目{{ county.started }}个，"
        "开工率{{ county.start_rate }}。",
        by=office,
        expected_version=0,
    )
    after = services.generate(2022, 1, by=office)
    assert "截至2022年3月31日，全县已开工重点项目23个，开工率63.9%。" in after.text
    assert after.text != before.text
    assert after.figures == before.figures
    assert after.template_versions["county"] == 1


def test_unknown_placeholder_is_refused_naming_it(demo_world):
    with pytest.raises(TemplateRejected) as exc:
        services.save_wording(
            "county",
            heading="",
            body="已开工{{ county.started }}个，竣工{{ county.finished }}个",
            by=demo_world["office"],
            expected_version=0,
        )
    assert str(exc.value) == (
        "“总体情况段”正文：引用了不存在的数字 “{{ county.finished }}”，请从可用数字列表中选择"
    )
    with pytest.raises(TemplateRejected, match="dept.listed"):
        services.save_wording(
            "county",
            heading="",
            body="{{ dept.listed }}",
            by=demo_world["office"],
            expected_version=0,
        )


def test_issued_report_rebuilds_to_the_same_text(demo_world, fake_blocks):
    from keyprojects.ledger.models import Project

    office = demo_world["office"]
    report = services.issue(services.generate(2022, 1, by=office), by=office)
    # Later the data and the wording change …
    Project.objects.filter(name="健康路改造工程").update(total_investment_wan=99999)
    services.save_wording(
        "problem_reserve",
        heading="储备不足",
        body="储备项目{{ county.reserve }}个。",
        by=office,
        expected_version=0,
    )
    # … the issued report rebuilds from what it stored, word for word.
    assert services.rebuild(report).plain_text() == report.text
    assert _docx_text(services.rebuild_docx(report)) == _docx_text(bytes(report.docx))
    assert services.generate(2022, 1, by=office).text != report.text


def test_free_paragraphs_are_kept_per_report(demo_world, fake_blocks):
    office = demo_world["office"]
    services.add_note(
        year=2022,
        quarter=1,
        department=None,
        part=2,
        text="另有两个项目用地报批待省厅批复。",
        by=office,
    )
    report = services.generate(2022, 1, by=office)
    lines = report.text.split("\n")
    assert lines[lines.index("三、下一步工作打算") - 1] == "另有两个项目用地报批待省厅批复。"
    assert "用地报批" not in services.generate(2022, 2, by=office).text
    with pytest.raises(TemplateRejected):
        services.add_note(
            year=2022,
            quarter=1,
            department=None,
            part=2,
            text="新开工{{ county.new }}个",
            by=office,
        )


def test_department_report(demo_world, fake_blocks):
    guizi = Department.objects.get(short_name="规资")
    report = services.generate(2022, 1, by=demo_world["office"], department=guizi)
    lines = report.text.split("\n")
    assert lines[0] == "关于2022年一季度县规划和自然资源局重点项目工作情况的报告"
    assert [ln for ln in lines if ln.endswith("方面") or "是" in ln[:3] and "方面" in ln][
        0
    ].startswith("一是规资方面")
    assert "住建方面" not in report.text and "66.4923公顷" in report.text
    assert "14亿元" not in report.text  # county-wide fiscal tasks are not a department's


def test_figures_link_to_the_rows_behind_them(demo_world, fake_blocks, client_for):
    ctx, composed, _ = services.preview(2022, 1)
    started = ctx.figures["county.started"]
    assert started.link == "/projects/?year=2022&as_of=2022-03-31&started=true"
    c = client_for(demo_world["office"])
    listing = c.get(started.link)
    assert listing.status_code == 200
    assert listing.context["page"].paginator.count == 23
    behind = c.get(ctx.figures["county.behind_schedule"].link)
    assert behind.context["page"].paginator.count == 6
    not_started = c.get(ctx.figures["county.not_started"].link)
    assert not_started.context["page"].paginator.count == 13
    page = c.get(reverse("report:quarterly") + "?year=2022&quarter=1").content.decode()
    assert (
        '<a class="figure" href="/projects/?year=2022&amp;as_of=2022-03-31&amp;started=true"'
        in page
    )
    assert "*" not in page.split('id="report-preview"')[1].split("</article>")[0]


def test_demo_report_from_the_real_blocks_has_every_seed_figure(demo_world, tmp_path):
    """Issue 19's acceptance on the demo: the factor, problem and reserve apps' own blocks."""
    from docx import Document

    stdout = StringIO()
    out = tmp_path / "r.docx"
    call_command(
        "report", "quarterly", "--year", "2022", "--quarter", "1", "--out", str(out), stdout=stdout
    )
    lines = stdout.getvalue().splitlines()
    assert [line for line in lines[1:] if "未写入" in line] == []
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for figure in (
        "66.4923公顷", "997亩", "1125套", "12.65万平方米", "495套", "5.9万平方米", "114%", "986套",
        "10.99万平方米", "2200万元", "4595.55万元", "63.9%", "14亿元", "1.2亿元", "一季度",
    ):  # fmt: skip
        assert figure in text, figure
    assert "*" not in text
    assert "碧桂园" in text


def test_command_writes_the_report(demo_world, fake_blocks, tmp_path):
    out = tmp_path / "报告.docx"
    stdout = StringIO()
    call_command(
        "report",
        "quarterly",
        "--year", "2022", "--quarter", "1", "--out", str(out), "--date", "2022-04-10",
        "--appendix",
        stdout=stdout,
    )  # fmt: skip
    assert stdout.getvalue().startswith("已生成关于2022年一季度全县重点项目工作情况的报告：")
    assert "未写入“问题：问题整改”" not in stdout.getvalue()  # every block the seed needs is there
    text = _docx_text(out.read_bytes())
    assert "2022年4月10日" in text and "63.9%" in text
    assert "一、未达到序时进度的项目（6个）" in text
    assert "1 | 中昂新城商住项目 | 住建 | 续建" in text
    report = GeneratedReport.objects.get()
    assert report.dated.isoformat() == "2022-04-10" and report.created_by is None


@pytest.mark.parametrize(
    "args, message",
    [
        (["--department", "财政"], "部门“财政”不存在"),
        (["--date", "2022-13-01"], "成文日期“2022-13-01”无效"),
        (["--out", "x.pdf"], "应以 .docx 结尾"),
    ],
)
def test_command_bad_arguments(db, tmp_path, args, message):
    base = ["report", "quarterly", "--year", "2022", "--quarter", "1"]
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "r.docx")]
    with pytest.raises(CommandError, match=message):
        call_command(*base, *args, stdout=StringIO())


def test_pages_generate_download_and_issue(demo_world, fake_blocks, client_for):
    office, guizi = demo_world["office"], demo_world["guizi"]
    c = client_for(office)
    page = c.get(reverse("report:quarterly"), {"year": 2022, "quarter": 1})
    assert page.status_code == 200 and "66.4923公顷" in page.content.decode()
    r = c.post(reverse("report:generate"), {"year": 2022, "quarter": 1, "appendix": "on"})
    assert r.status_code == 302
    report = GeneratedReport.objects.get()
    download = c.get(reverse("report:generated_download", args=[report.pk]))
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''2022")
    assert "63.9%" in _docx_text(download.content)
    c.post(reverse("report:generated_issue", args=[report.pk]))
    report.refresh_from_db()
    assert report.is_issued and report.issued_by == office
    # A reporter sees their department's report, not the county's nor another one's.
    mine = client_for(guizi)
    assert mine.get(reverse("report:generated_download", args=[report.pk])).status_code == 404
    zhujian = Department.objects.get(short_name="住建")
    assert (
        mine.get(reverse("report:quarterly"), {"year": 2022, "department": zhujian.pk}).status_code
        == 404
    )
    own = mine.get(reverse("report:quarterly"), {"year": 2022}).content.decode()
    assert "县规划和自然资源局重点项目工作情况的报告" in own and "住建方面" not in own


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=abc", "年度无效"),
        ("year=2022&quarter=5", "季度无效"),
        ("department=999999", "所选部门不存在"),
    ],
)
def test_bad_period_is_a_400_in_chinese(demo_world, client_for, query, message):
    r = client_for(demo_world["office"]).get(reverse("report:quarterly") + "?" + query)
    assert r.status_code == 400 and message in r.content.decode()


def test_wording_page_refuses_unknown_figure(demo_world, client_for):
    c = client_for(demo_world["office"])
    url = reverse("report:wording_edit", args=["county"])
    r = c.post(url, {"heading": "", "body": "已开工{{ county.begun }}个", "version": 0})
    assert r.status_code == 400
    assert "引用了不存在的数字 “{{ county.begun }}”" in r.content.decode()
    r = c.post(url, {"heading": "", "body": "已开工{{ county.started }}个。", "version": 0})
    assert r.status_code == 302
    # A stale form (still at version 0) is refused, naming who changed it.
    r = c.post(url, {"heading": "", "body": "开工{{ county.started }}个。", "version": 0})
    assert r.status_code == 409 and "保存未成功" in r.content.decode()
    page = c.get(url).content.decode()
    assert "已开工{{ county.started }}个。" in page  # the history lists the saved wording


def test_note_pages(demo_world, client_for):
    c = client_for(demo_world["office"])
    r = c.post(
        reverse("report:note_add"),
        {"year": 2022, "quarter": 1, "part": 3, "text": "加快推进凤鸣江湾项目复工。"},
    )
    assert r.status_code == 302
    note = ReportNote.objects.get()
    assert note.history.count() == 1
    c.post(reverse("report:note_delete", args=[note.pk]))
    assert not ReportNote.objects.exists()


def test_ledger_refuses_a_bad_judging_day(client_for, office, project):
    r = client_for(office).get(
        reverse("ledger:project_list"), {"year": 2022, "as_of": "2022-02-30"}
    )
    assert r.status_code == 400 and "评价日期" in r.content.decode()
