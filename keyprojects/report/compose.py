"""From figures + wording + the office's free paragraphs to the report's text (no ORM).

The result is a list of blocks made of runs; a run is literal wording or one figure (with the
link to the rows behind it). The web preview draws the links, the .docx writes the text, and
`plain_text()` is what "the same text" means when an issued report is regenerated.

A section whose figures are not all available is left out, and the preview says which figure
and why; a sentence with a gap or a `*` is never written.
"""

from dataclasses import dataclass, field

from keyprojects.report import placeholders
from keyprojects.report.context import Context, Figure
from keyprojects.report.sections import PARTS, SECTIONS, Section

NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一 … 19 → 十九, 20 → 二十 (enough for report items)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


@dataclass
class Run:
    text: str
    figure: str = ""  # the figure's name when this run is a figure
    link: str = ""


@dataclass
class Block:
    kind: str  # title | part | item | para | note | omitted | signature | date
    runs: list[Run] = field(default_factory=list)
    lead: str = ""  # item: "（一）项目储备不足。" (楷体)
    section: str = ""

    @property
    def text(self) -> str:
        return self.lead + "".join(r.text for r in self.runs)


@dataclass
class Composed:
    blocks: list[Block]

    def plain_text(self) -> str:
        """The report's text (what is printed), one paragraph a line; omissions excluded."""
        return "\n".join(b.text for b in self.blocks if b.kind != "omitted")

    @property
    def title(self) -> str:
        return next((b.text for b in self.blocks if b.kind == "title"), "")

    def omissions(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "omitted"]


@dataclass(frozen=True)
class Wording:
    heading: str
    body: str


@dataclass(frozen=True)
class Note:
    part: int
    text: str


def _runs(text: str, lookup) -> tuple[list[Run], list[str]]:
    """Runs of `text` with figures filled in, and the names that had no figure."""
    runs, missing = [], []
    for raw, name in placeholders.split(text):
        if name is None:
            runs.append(Run(raw))
            continue
        fig: Figure | None = lookup(name)
        if fig is None or fig.is_empty():
            missing.append(name)
            continue
        runs.append(Run(fig.display(), fig.name, fig.link))
    return runs, missing


def _fill(text: str, lookup) -> tuple[list[Run] | None, list[str]]:
    """Runs of a section's body, or None when it cannot be written (with the missing names).

    `[[ … ]]` marks an optional sentence: it is dropped when one of its figures is missing or
    an empty list. The body is written when every figure outside the optional sentences is
    there and, if it has optional sentences and no figure of its own, at least one of them is.
    """
    runs, missing, kept, optional, required = [], [], 0, 0, 0
    for piece, is_optional in placeholders.clauses(text):
        part, gaps = _runs(piece, lookup)
        if is_optional:
            optional += 1
            if gaps:
                missing += gaps
                continue
            kept += 1
        else:
            required += len(placeholders.names(piece))
            if gaps:
                return None, gaps
        runs += part
    if optional and not kept and not required:
        return None, missing
    return runs, []


def _why(ctx: Context, section: Section, missing: list[str]) -> str:
    blocks = sorted({n.split(".")[0] for n in missing if n.split(".")[0] in ctx.missing_blocks})
    if blocks:
        reasons = "；".join(ctx.missing_blocks[b] for b in blocks)
        return f"缺少数据 {'、'.join(missing)}（{reasons}）"
    return f"本期无数据：{'、'.join(missing)}"


def compose(
    ctx: Context, wording: dict[str, Wording], notes: list[Note] = (), *, dated: str = ""
) -> Composed:
    """The report for `ctx`; `wording` maps section key → its current wording (defaults from
    sections.SECTIONS when absent); `dated` is the 成文日期 (2022年4月10日)."""
    blocks: list[Block] = []

    def words(section: Section) -> Wording:
        return wording.get(section.key) or Wording(section.heading, section.body)

    def omitted(section: Section, why: str):
        blocks.append(
            Block("omitted", [Run(f"未写入“{section.label}”：{why}")], section=section.key)
        )

    def fill(section: Section, extra: dict[str, Figure] | None = None):
        def lookup(name):
            if extra and name in extra:
                return extra[name]
            return ctx.figures.get(name)

        runs, missing = _fill(words(section).body, lookup)
        if runs is None:
            omitted(section, _why(ctx, section, missing))
            return None
        return runs

    by_part: dict[int, list[Section]] = {}
    for s in SECTIONS:
        by_part.setdefault(s.part, []).append(s)

    title = by_part[0][0]
    blocks.append(Block("title", fill(title) or [Run(f"{ctx.year}年重点项目工作情况报告")]))

    quarter = ctx.figures["period.quarter"].value
    for part in (1, 2, 3):
        blocks.append(
            Block("part", [Run(f"{numeral(part)}、{PARTS[part].format(quarter=quarter)}")])
        )
        n = 0
        for s in by_part[part]:
            if s.department:
                continue  # written inside its department's paragraph
            if s.county_only and ctx.department:
                omitted(s, "部门报告不含全县性数据")
                continue
            if s.per_department:
                written = set()
                for row in (d for d in ctx.departments if d["dept.listed"].value):
                    runs = fill(s, row)
                    if runs is None:
                        continue
                    label = row["dept.short_name"].value
                    written.add(label)
                    for extra in (x for x in SECTIONS if x.department == label):
                        more = fill(extra, row)
                        if more:
                            runs += more
                    ordinal = f"{numeral(len(written))}是"
                    blocks.append(Block("para", [Run(ordinal), *runs], section=s.key))
                for extra in SECTIONS:
                    label = extra.department
                    if label and label not in written and ctx.department in ("", label):
                        omitted(extra, f"本报告没有“{label}”方面的段落（无项目）")
                continue
            runs = fill(s)
            if runs is None:
                continue
            w = words(s)
            if w.heading:
                n += 1
                lead = f"（{numeral(n)}）{w.heading}。"
                blocks.append(Block("item", runs, lead=lead, section=s.key))
            else:
                blocks.append(Block("para", runs, section=s.key))
        for note in notes:
            if note.part == part:
                blocks.append(Block("note", [Run(note.text)], section=f"note{part}"))

    signature = by_part[0][-1]
    blocks.append(Block("signature", fill(signature) or [Run("重点项目办公室")]))
    if dated:
        blocks.append(Block("date", [Run(dated)]))
    return Composed(blocks)
