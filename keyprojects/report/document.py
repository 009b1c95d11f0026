"""The composed report as a 公文 .docx (layout from core.docx_style, text from compose)."""

import io

from keyprojects.core import docx_style
from keyprojects.report.compose import Composed


def render_docx(composed: Composed, *, appendix: list[tuple[str, list[list[str]]]] = ()) -> bytes:
    """`appendix`: (caption, rows of [项目名称, 牵头单位, 类别]) tables of the projects behind
    the report's counts, printed after the sign-off as 附件."""
    doc = docx_style.new_document()
    issuer, dated = "", ""
    for block in composed.blocks:
        if block.kind == "title":
            docx_style.title(doc, block.text)
        elif block.kind == "part":
            docx_style.heading(doc, block.text)
        elif block.kind == "item":
            docx_style.item(doc, block.lead, "".join(r.text for r in block.runs))
        elif block.kind in ("para", "note"):
            docx_style.paragraph(doc, block.text)
        elif block.kind == "signature":
            issuer = block.text
        elif block.kind == "date":
            dated = block.text
    if issuer or dated:
        docx_style.signature(doc, issuer, dated)
    if appendix:
        doc.add_page_break()
        docx_style.paragraph(doc, "附件", font=docx_style.HEADING_FONT, indent=False)
        docx_style.paragraph(doc, "数字所依据的项目清单", font=docx_style.TITLE_FONT, center=True)
        for caption, rows in appendix:
            docx_style.paragraph(doc, caption, font=docx_style.HEADING_FONT, indent=False)
            if rows:
                docx_style.table(
                    doc,
                    ["序号", "项目名称", "牵头单位", "类别"],
                    [[str(i), *r] for i, r in enumerate(rows, start=1)],
                    widths=[0.8, 5, 1.4, 1.2],
                    numeric={0},
                )
            else:
                docx_style.paragraph(doc, "无。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
