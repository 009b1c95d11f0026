"""Department names as the county's own documents write them → one department (pure).

住建委, 县住建委, 住房城乡建设委, 规资局, 城管局, 县规划和自然资源局 … all name a stored department
whose full name is 县住房和城乡建设委员会 (short name 住建) and so on. A written name resolves only
when exactly one department has it among its variants; otherwise the office is asked once and
the answer is kept as an alias (importer.models.DepartmentAlias).
"""

import re

from keyprojects.importer.values import nfkc

# Long forms offices shorten: 住房和城乡建设 → 住房城乡建设 → 住建,
# 规划和自然资源 → 规划自然资源 → 规资.
_SHORTENINGS = [
    ("委员会", "委"),
    ("和", ""),
    ("住房城乡建设", "住建"),
    ("规划自然资源", "规资"),
    ("城市管理", "城管"),
    ("交通运输", "交通"),
    ("卫生健康", "卫健"),
    ("经济信息化", "经信"),
    ("发展改革", "发改"),
    ("生态环境", "生态环境"),
    ("教育", "教"),
]


def key(name: str) -> str:
    """Compared form: half-width, no spaces or brackets' contents such as （15个）."""
    s = re.sub(r"\s+", "", nfkc(name or ""))
    s = re.sub(r"[（(][^）)]*[）)]$", "", s)
    return s.strip("：:、,，")


def _strip_prefix(s: str) -> str:
    """县住建委 → 住建委; 区教委 → 教委 (a leading 县/区 or a place name ending in 县/区)."""
    if s[:1] in ("县", "区") and len(s) > 2:
        return s[1:]
    return s


def variants(name: str, short: str = "") -> set[str]:
    """Every written form of one department that the county's documents use."""
    out: set[str] = set()
    suffix = ""
    full = key(name)
    if full.endswith("委员会") or full.endswith("委"):
        suffix = "委"
    elif full.endswith("局"):
        suffix = "局"
    elif full.endswith("办公室") or full.endswith("办"):
        suffix = "办"
    bases = {full, _strip_prefix(full)}
    for long, short_form in _SHORTENINGS:  # every combination of the shortenings
        bases |= {b.replace(long, short_form) for b in bases}
    sk = key(short)
    if sk:
        bases.add(sk)
        if suffix and not sk.endswith(suffix):
            bases.add(sk + suffix)
    for b in bases:
        if not b:
            continue
        out.add(b)
        out.add(_strip_prefix(b))
        if b[:1] not in ("县", "区"):
            out.add("县" + b)
    out.discard("")
    return out


def index(departments) -> dict[str, set]:
    """written form → ids of the departments that have it; `departments`: (id, name, short)."""
    table: dict[str, set] = {}
    for pk, name, short in departments:
        for v in variants(name, short):
            table.setdefault(v, set()).add(pk)
    return table


def resolve(written: str, table: dict[str, set], aliases: dict[str, object] | None = None):
    """The one department id a written name means, or None (unknown or ambiguous)."""
    k = key(written)
    if not k:
        return None
    if aliases and k in aliases:
        return aliases[k]
    for candidate in (k, _strip_prefix(k)):
        ids = table.get(candidate)
        if ids and len(ids) == 1:
            return next(iter(ids))
        if ids:
            return None  # two departments share this form: ask rather than guess
    return None
