"""`{{ land.new_construction_land_ha }}` placeholders in the office's wording (pure: no Django).

The office writes the sentences; every number in them is a placeholder bound to a figure, so
editing the wording can change text but never a figure. A placeholder naming no known figure is
refused when the template is saved, with a Chinese message naming it.
"""

import re
from collections.abc import Callable, Iterable

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
# Braces left over after the placeholders are taken out mean a mistyped one ("{{ land.x }").
STRAY = re.compile(r"\{\{|\}\}|\{|\}")
# [[ … ]]: an optional sentence, left out when one of its figures is missing.
OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.S)


class TemplateRejected(ValueError):
    """The wording cannot be saved; the message says why in Chinese."""


def names(text: str) -> list[str]:
    """The figure names a text refers to, in order of first appearance."""
    seen: list[str] = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def check(text: str, is_known: Callable[[str], bool], *, where: str = "") -> None:
    """Refuse text with an unknown figure or a malformed placeholder (naming it)."""
    prefix = f"{where}：" if where else ""
    unknown = [n for n in names(text) if not is_known(n)]
    if unknown:
        listed = "、".join(f"“{{{{ {n} }}}}”" for n in unknown)
        raise TemplateRejected(f"{prefix}引用了不存在的数字 {listed}，请从可用数字列表中选择")
    leftover = STRAY.search(PLACEHOLDER.sub("", text))
    if leftover:
        raise TemplateRejected(
            f"{prefix}占位符格式有误（“{leftover.group(0)}”附近），应写作 {{{{ 数字名称 }}}}"
        )
    brackets = OPTIONAL.sub("", text)
    if "[[" in brackets or "]]" in brackets:
        raise TemplateRejected(f"{prefix}可选句应写作 [[ … ]]，括号未成对")
    if "*" in text or "＊" in text:
        raise TemplateRejected(f"{prefix}不能用“*”代替数字，请插入对应的数字占位符")


def clauses(text: str) -> Iterable[tuple[str, bool]]:
    """(piece, optional?) in order: `[[ … ]]` pieces are optional sentences."""
    pos = 0
    for m in OPTIONAL.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], False
        yield m.group(1), True
        pos = m.end()
    if pos < len(text):
        yield text[pos:], False


def split(text: str) -> Iterable[tuple[str, str | None]]:
    """(literal text, None) and (placeholder's raw text, figure name) pieces, in order."""
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        if m.start() > pos:
            yield text[pos : m.start()], None
        yield m.group(0), m.group(1)
        pos = m.end()
    if pos < len(text):
        yield text[pos:], None
