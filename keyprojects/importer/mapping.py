"""What the office taught the importer: header synonyms and department aliases, loaded once
per file, and the department names that resolve without asking (importer/names.py)."""

from dataclasses import dataclass, field

from keyprojects.core.models import Department
from keyprojects.importer import names
from keyprojects.importer.models import DepartmentAlias, HeaderSynonym


@dataclass
class Mapping:
    synonyms: list[tuple[str, str]]
    departments: dict[int, Department]
    index: dict[str, set]
    aliases: dict[str, int] = field(default_factory=dict)

    def department(self, written: str) -> Department | None:
        pk = names.resolve(written, self.index, self.aliases)
        return self.departments.get(pk) if pk is not None else None

    def department_name(self, pk) -> str:
        d = self.departments.get(pk)
        return d.name if d else str(pk)


def load(kind: str) -> Mapping:
    departments = {d.pk: d for d in Department.objects.all()}
    index = names.index((d.pk, d.name, d.short_name) for d in departments.values())
    aliases = {
        names.key(text): pk
        for text, pk in DepartmentAlias.objects.values_list("text", "department_id")
    }
    synonyms = list(HeaderSynonym.objects.filter(kind=kind).values_list("text", "field"))
    return Mapping(synonyms, departments, index, aliases)
