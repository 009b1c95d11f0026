"""督办单 as .docx in 公文 layout (core/docx_style.py): number, to whom, the problem, the
deadline, the level and who signs. Built on request from the stored order, so the file always
matches the register."""

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from keyprojects.core import docx_style as ds
from keyprojects.problems.rules import cn

COLOUR_WORD = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}


def order_docx(order) -> bytes:
    problem = order.problem
    project = problem.project
    doc = ds.new_document()
    ds.title(doc, f"重点项目{COLOUR_WORD.get(order.colour, '')}{order.level_name}单")
    ds.paragraph(doc, order.number, center=True)
    ds.paragraph(doc, f"{order.to_department}：", indent=False, space_before=12)
    ds.paragraph(
        doc,
        f"你单位牵头负责的“{project.name}”存在以下问题：{problem.description}"
        f"（问题类型：{problem.get_kind_display()}；来源：{problem.get_source_display()}；"
        f"登记日期：{cn(problem.raised_on)}）。",
    )
    ds.paragraph(doc, f"督办事由：{order.reason}。")
    ds.paragraph(
        doc,
        f"请{order.person}同志牵头，于{cn(order.deadline)}前办结，"
        "并通过重点项目调度平台反馈办理情况及佐证材料。逾期未办结的，将按规定升级督办。",
    )
    if problem.coordinating:
        ds.paragraph(doc, f"配合单位：{problem.coordinating}。")
    ds.heading(doc, "督办信息")
    ds.table(
        doc,
        ["督办等级", "签发日期", "办理期限", "责任人"],
        [[order.level_name, cn(order.issued_on), cn(order.deadline), order.person]],
        widths=[1, 1.3, 1.3, 1],
    )
    for text in (order.signer, cn(order.issued_on)):
        para = ds.paragraph(doc, text, indent=False, space_before=12 if text == order.signer else 0)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def order_filename(order) -> str:
    return f"{order.level_name}单{order.number}.docx"
