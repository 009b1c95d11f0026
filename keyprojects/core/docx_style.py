"""Word documents in the layout county offices print (党政机关公文格式, GB/T 9704-2012):
A4; top margin 37 mm, binding (left) margin 28 mm, text block 156 × 225 mm (so right 26 mm
and bottom 35 mm); 方正小标宋 title at 二号; 黑体 "一、" headings, 楷体 "（一）" leads; 仿宋 body
at 三号 (16 pt) on a grid of 22 lines × 28 characters; page numbers "— 1 —" in 四号 宋体,
right on odd pages and left on even ones (a PAGE field, different odd/even footers); 落款 and
成文日期; tables as wide as the text block whose number columns are wide enough never to break
a number.
Shared by every .docx we write."""

from copy import deepcopy
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = 22  # 二号
BODY_SIZE = 16  # 三号
PAGE_NUMBER_SIZE = 14  # 四号
TABLE_SIZE = 10.5  # 五号
# 22 lines in the 225 mm text block: a line pitch of 225 mm / 22 = 28.95 pt (579 twips).
LINE_PITCH_TWIPS = 579
LINE_SPACING = 28.95
# 28 characters of 16 pt in 156 mm (442.2 pt) need each character at most 15.79 pt wide:
# characters are condensed by 0.25 pt (w:spacing −5 twentieths). A docGrid of type
# linesAndChars would say the same to Word, but LibreOffice lays such a grid out at about 16
# characters a line, so the grid fixes lines only and the spacing fixes characters.
CHAR_CONDENSE_TWENTIETHS = -5


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
    normal.paragraph_format.line_spacing = Pt(LINE_SPACING)  # exactly 22 lines a page
    condense = OxmlElement("w:spacing")
    condense.set(qn("w:val"), str(CHAR_CONDENSE_TWENTIETHS))
    normal.element.get_or_add_rPr().append(condense)
    _doc_grid(section)
    page_numbers(doc)
    return doc


def _doc_grid(section) -> None:
    """The 22 × 28 grid Word and WPS apply to 公文 (LibreOffice reads the line pitch)."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    sect_pr.append(grid)


def _field(run, instruction: str) -> None:
    """A complex field (PAGE …) in `run`: begin, instruction, separate, placeholder, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._element.append(el)
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    run._element.append(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._element.append(end)


def _page_number_paragraph(footer, *, odd: bool) -> None:
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0]
    for run in list(para.runs):
        run._element.getparent().remove(run._element)
    # GB/T 9704 7.5: 一字线 on both sides; odd pages right with one character's space, even
    # pages left with one character's space.
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = para.paragraph_format
    fmt.first_line_indent = Pt(0)
    if odd:
        fmt.right_indent = Pt(PAGE_NUMBER_SIZE)
    else:
        fmt.left_indent = Pt(PAGE_NUMBER_SIZE)
    set_font(para.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    number = para.add_run()
    set_font(number, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field(number, "PAGE")
    set_font(para.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def page_numbers(doc) -> None:
    """ "— 1 —" page numbers: right on odd pages, left on even (different odd/even footers)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        section.footer_distance = Mm(28)  # the number sits about 7 mm below the text block
        _page_number_paragraph(section.footer, odd=True)
        _page_number_paragraph(section.even_page_footer, odd=False)


def chinese_date(d: date) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no leading zeros (2022年4月10日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def signature(doc, issuer: str, dated: date | str):
    """落款 and 成文日期 (GB/T 9704 7.3.5.2, unsealed): two blank lines below the text, the
    date right-aligned four characters from the right edge, the issuer centred over it."""
    dated = dated if isinstance(dated, str) else chinese_date(dated)
    if doc.paragraphs:
        # The sign-off never stands alone on a page: the last paragraph goes with it.
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(2):
        doc.add_paragraph().paragraph_format.keep_with_next = True
    date_indent = BODY_SIZE * 4
    # Centred over the date: both strings are full-width characters of BODY_SIZE.
    issuer_indent = date_indent + (len(dated) - len(issuer)) * BODY_SIZE / 2
    for text, indent in ((issuer, issuer_indent), (dated, date_indent)):
        para = doc.add_paragraph()
        para.paragraph_format.keep_with_next = text == issuer
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = Pt(max(indent, 0))
        set_font(para.add_run(text), BODY_FONT, BODY_SIZE)


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
    para = paragraph(doc, text, font=TITLE_FONT, size=TITLE_SIZE, center=True)
    para.paragraph_format.line_spacing = Pt(36)
    para.paragraph_format.space_after = Pt(12)
    return para


def heading(doc, text: str):
    """A "一、" heading in 黑体; it stays on the page of what follows it."""
    para = paragraph(doc, text, font=HEADING_FONT, indent=False, space_before=6)
    para.paragraph_format.keep_with_next = True
    return para


def item(doc, lead: str, text: str):
    """A "（一）项目储备不足。" item: the lead in 楷体, the text after it in 仿宋, one paragraph."""
    para = doc.add_paragraph()
    para.paragraph_format.first_line_indent = Pt(BODY_SIZE * 2)
    set_font(para.add_run(lead), KAI_FONT, BODY_SIZE)
    set_font(para.add_run(text), BODY_FONT, BODY_SIZE)
    return para


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
    """A table as wide as the text block; `widths` are relative column shares, `numeric`
    column indexes are right-aligned, never wrap, and get at least the width of their longest
    value (taken from the text columns), so a number never breaks across lines in a cell.
    The header row repeats on every page."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    total = text_width(doc)
    col_widths = fit_widths(total, widths, rows, numeric)
    _repeat_header(t.rows[0])
    for i, (cell, text) in enumerate(zip(t.rows[0].cells, header, strict=True)):
        cell.text = ""
        cell.width = col_widths[i]
        _shade(cell, "E8EEF4")
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.line_spacing = 1.0
        _off_grid(para)
        set_font(para.add_run(text), HEADING_FONT, TABLE_SIZE)
    template = None
    for values in rows:
        if template is not None:
            # Rows after the first are copies of the first with their own text: python-docx
            # formats cell by cell at some milliseconds each, too slow for appendices of
            # thousands of projects.
            tr = deepcopy(template)
            for tc, text in zip(tr.findall(qn("w:tc")), values, strict=True):
                tc.find(".//" + qn("w:t")).text = text
            t._tbl.append(tr)
            continue
        # Row.cells walks the whole table (quadratic in rows); the new row's own cells suffice.
        row = t.add_row()
        cells = [_Cell(tc, t) for tc in row._tr.tc_lst]
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = ""
            cell.width = col_widths[i]
            para = cell.paragraphs[0]
            para.paragraph_format.first_line_indent = Pt(0)
            para.paragraph_format.line_spacing = 1.0
            _off_grid(para)
            if i in numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _no_wrap(cell)
            run = para.add_run()
            set_font(run, BODY_FONT, TABLE_SIZE)
            wt = OxmlElement("w:t")
            wt.set(qn("xml:space"), "preserve")
            wt.text = text
            run._r.append(wt)
        template = row._tr
    _fixed_layout(t, col_widths)
    return t


# Cell margins Word puts left and right of the text (0.19 cm each), in EMU.
CELL_PADDING = Mm(1.9) * 2
EMU_PER_PT = 12700


def text_extent(text: str, size: float = TABLE_SIZE) -> int:
    """Width of `text` in EMU at `size` pt: CJK and full-width characters one em, digits,
    Latin and punctuation about 0.55 em (generous, so the estimate never falls short)."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in text)
    return int(ems * size * EMU_PER_PT)


def fit_widths(total: int, shares: list[float], rows: list[list[str]], numeric) -> list[int]:
    """Column widths (EMU) summing to `total`: by `shares`, then every numeric column widened
    to its longest value plus cell padding, the width taken from the other columns in
    proportion to their share."""
    widths = [total * w / sum(shares) for w in shares]
    need = {}
    for i in numeric:
        longest = max((text_extent(r[i]) for r in rows), default=0)
        need[i] = longest + CELL_PADDING
    extra = sum(max(0, need[i] - widths[i]) for i in need)
    if extra:
        for i in need:
            widths[i] = max(widths[i], need[i])
        flexible = [i for i in range(len(widths)) if i not in need]
        pool = sum(widths[i] for i in flexible)
        for i in flexible:
            widths[i] -= extra * widths[i] / pool
    return [int(w) for w in widths]


def _off_grid(para) -> None:
    """Table lines keep their own (single) spacing instead of the page's 28.95 pt grid."""
    el = OxmlElement("w:snapToGrid")
    el.set(qn("w:val"), "0")
    para._p.get_or_add_pPr().append(el)


def _no_wrap(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:noWrap")
    tc_pr.append(el)


def _fixed_layout(t, col_widths: list[int]) -> None:
    """Fixed layout with an explicit grid: Word, WPS and LibreOffice all keep these widths
    instead of re-fitting the columns to their content."""
    tbl_pr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    grid = t._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), col_widths, strict=True):
        col.set(qn("w:w"), str(int(width / 635)))  # EMU → twips
