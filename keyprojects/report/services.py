"""Every write of the report app: wording, free paragraphs, generating and issuing reports."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keyprojects.core import docx_style
from keyprojects.core.errors import StaleEdit
from keyprojects.core.versioning import save_versioned
from keyprojects.report import context, document, placeholders, sections
from keyprojects.report.compose import Composed, Note, Wording, compose
from keyprojects.report.models import GeneratedReport, ReportNote, ReportTemplate


def current_wording() -> tuple[dict[str, Wording], dict[str, int]]:
    """Each section's wording now, and its version (0: the default in sections.py)."""
    wording, versions = {}, {}
    rows = {t.section: t for t in ReportTemplate.objects.all()}
    for s in sections.SECTIONS:
        row = rows.get(s.key)
        wording[s.key] = Wording(row.heading, row.body) if row else Wording(s.heading, s.body)
        versions[s.key] = row.version if row else 0
    return wording, versions


def _present_names() -> set[str]:
    """Figure names the latest generated report had: the extra fields a block reported."""
    latest = GeneratedReport.objects.order_by("-pk").values_list("figures", flat=True).first()
    return set((latest or {}).get("figures", {}))


def check_wording(section_key: str, heading: str, body: str) -> None:
    """Refuse wording quoting an unknown figure (TemplateRejected names it)."""
    section = sections.BY_KEY.get(section_key)
    if section is None:
        raise placeholders.TemplateRejected(f"报告没有“{section_key}”这一段")
    present = _present_names()
    placeholders.check(
        body,
        lambda n: sections.is_known(n, section=section, present=present),
        where=f"“{section.label}”正文",
    )
    if placeholders.names(heading):
        raise placeholders.TemplateRejected(f"“{section.label}”的小标题不能含数字占位符")


@transaction.atomic
def save_wording(
    section_key: str, *, heading: str, body: str, by, expected_version: int | None
) -> ReportTemplate:
    """Save one section's wording after checking its placeholders.

    Side effects: a ReportTemplate row (created from the default on first save), version + 1,
    one history row. Raises TemplateRejected (unknown figure) or StaleEdit."""
    check_wording(section_key, heading, body)
    row = ReportTemplate.objects.filter(section=section_key).first()
    if row is None:
        if expected_version not in (None, 0):
            raise StaleEdit("保存未成功：该段落模板已被他人删除或重置，请刷新后重试。", 0)
        row = ReportTemplate(section=section_key)
        expected_version = None
    row.heading, row.body = heading, body
    return save_versioned(row, by=by, expected_version=expected_version)


@transaction.atomic
def add_note(*, year: int, quarter: int, department, part: int, text: str, by) -> ReportNote:
    """Keep a free paragraph for this period's report. Side effects: one ReportNote row and its
    history. Placeholders are not allowed in free text (it carries no figures)."""
    if placeholders.names(text) or "*" in text:
        raise placeholders.TemplateRejected("补充段落是自由文字，不能含数字占位符或“*”")
    last = (
        ReportNote.objects.filter(year=year, quarter=quarter, department=department, part=part)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    )
    note = ReportNote(
        year=year,
        quarter=quarter,
        department=department,
        part=part,
        text=text.strip(),
        order=(last or 0) + 1,
    )
    return save_versioned(note, by=by, expected_version=None)


@transaction.atomic
def delete_note(note: ReportNote, *, by) -> None:
    """Remove a free paragraph. Side effects: the history keeps its text and who removed it."""
    note._history_user = by
    note.delete()


def notes_for(year: int, quarter: int, department) -> list[ReportNote]:
    return list(ReportNote.objects.filter(year=year, quarter=quarter, department=department))


def build_context(
    year: int, quarter: int, *, department=None, projects=None, providers=None, appendix=False
):
    return context.build(
        year,
        quarter,
        projects=projects,
        department=department,
        providers=providers,
        list_url=reverse("ledger:project_list"),
        appendix=appendix,
    )


def preview(
    year: int, quarter: int, *, department=None, projects=None, providers=None, dated=None
) -> tuple[context.Context, Composed, list[ReportNote]]:
    ctx = build_context(
        year, quarter, department=department, projects=projects, providers=providers
    )
    wording, _ = current_wording()
    notes = notes_for(year, quarter, department)
    dated = dated or timezone.localdate()
    composed = compose(
        ctx, wording, [Note(n.part, n.text) for n in notes], dated=docx_style.chinese_date(dated)
    )
    return ctx, composed, notes


@transaction.atomic
def generate(
    year: int,
    quarter: int,
    *,
    by,
    department=None,
    projects=None,
    providers=None,
    dated: date | None = None,
    appendix: bool = False,
) -> GeneratedReport:
    """Write the report from today's figures and wording and keep it.

    Side effects: one GeneratedReport row holding the figures, wording (with versions), free
    paragraphs, text and .docx used, so the same report can be rebuilt later."""
    dated = dated or timezone.localdate()
    ctx = build_context(
        year,
        quarter,
        department=department,
        projects=projects,
        providers=providers,
        appendix=appendix,
    )
    wording, versions = current_wording()
    notes = [Note(n.part, n.text) for n in notes_for(year, quarter, department)]
    composed = compose(ctx, wording, notes, dated=docx_style.chinese_date(dated))
    return GeneratedReport.objects.create(
        year=year,
        quarter=quarter,
        department=department,
        template_versions=versions,
        wording={k: {"heading": w.heading, "body": w.body} for k, w in wording.items()},
        notes=[{"part": n.part, "text": n.text} for n in notes],
        figures=ctx.as_json(),
        text=composed.plain_text(),
        dated=dated,
        appendix=appendix,
        docx=document.render_docx(composed, appendix=ctx.appendix),
        created_by=by,
    )


def rebuild(report: GeneratedReport) -> Composed:
    """The report's text from what it stored (figures, wording, notes), not from today's data."""
    ctx = context.Context.from_json(report.figures)
    wording = {k: Wording(v["heading"], v["body"]) for k, v in report.wording.items()}
    notes = [Note(n["part"], n["text"]) for n in report.notes]
    return compose(ctx, wording, notes, dated=docx_style.chinese_date(report.dated))


def rebuild_docx(report: GeneratedReport) -> bytes:
    ctx = context.Context.from_json(report.figures)
    return document.render_docx(rebuild(report), appendix=ctx.appendix if report.appendix else ())


@transaction.atomic
def issue(report: GeneratedReport, *, by) -> GeneratedReport:
    """Mark a generated report as the one sent out (印发). Side effects: issued_at/issued_by;
    an issued report is never regenerated from new data, only rebuilt from what it stored."""
    row = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if row.issued_at is None:
        row.issued_at, row.issued_by = timezone.now(), by
        row.save(update_fields=["issued_at", "issued_by"])
    return row
