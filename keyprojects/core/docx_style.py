"""Word documents in the layout county offices print (党政机关公文格式, GB/T 9704 in spirit):
A4, 37/35/28/26 mm margins, 方正小标宋 title, 黑体 headings, 仿宋 body at 三号 (16 pt), and
tables that fit the page width with numbers right-aligned. Shared by every .docx we write."""

from copy import deepcopy

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
BODY_SIZE = 16  # 三号
TABLE_SIZE = 10.5  # 五号


def new_document(*, landscape: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)  # 固定值28磅, as 公文 are set
    return doc


def text_width(doc) -> int:
    section = doc.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name  # digits and Latin letters
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def paragraph(
    doc,
    text: str,
    *,
    font=BODY_FONT,
    size=BODY_SIZE,
    bold=False,
    center=False,
    indent=True,
    space_before=0,
):
    para = doc.add_paragraph()
    if center:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    para.paragraph_format.space_before = Pt(space_before)
    set_font(para.add_run(text), font, size, bold)
    return para


def title(doc, text: str):
    para = paragraph(doc, text, font=TITLE_FONT, size=22, center=True)
    para.paragraph_format.line_spacing = Pt(36)
    para.paragraph_format.space_after = Pt(12)
    return para


def heading(doc, text: str):
    return paragraph(doc, text, font=HEADING_FONT, indent=False, space_before=6)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def table(
    doc,
    header: list[str],
    rows: list[list[str]],
    *,
    widths: list[float],
    numeric: set[int] = frozenset(),
):
    """A full-width table; `widths` are relative column shares, `numeric` column indexes are
    right-aligned. The header row repeats on every page."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    total = text_width(doc)
    col_widths = [int(total * w / sum(widths)) for w in widths]
    _repeat_header(t.rows[0])
    for i, (cell, text) in enumerate(zip(t.rows[0].cells, header, strict=True)):
        cell.text = ""
        cell.width = col_widths[i]
        _shade(cell, "E8EEF4")
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.line_spacing = 1.0
        set_font(para.add_run(text), HEADING_FONT, TABLE_SIZE)
    template = None
    for values in rows:
        if template is not None:
            # Every body row has the same layout: copy the first one's XML and set its texts
            # (python-docx builds each cell element by element, seconds for a few hundred rows).
            tr = deepcopy(template)
            for w_t, text in zip(tr.iter(qn("w:t")), values, strict=True):
                w_t.text = text
                if text != text.strip():
                    w_t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t._tbl.append(tr)
            continue
        row = t.add_row()
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            cell.text = ""
            cell.width = col_widths[i]
            para = cell.paragraphs[0]
            para.paragraph_format.first_line_indent = Pt(0)
            para.paragraph_format.line_spacing = 1.0
            if i in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            # A placeholder run keeps one w:t per cell even for an empty first-row value.
            set_font(para.add_run(text or "\u200b"), BODY_FONT, TABLE_SIZE)
        template = deepcopy(row._tr)
        for w_t, text in zip(row._tr.iter(qn("w:t")), values, strict=True):
            w_t.text = text
    return t
