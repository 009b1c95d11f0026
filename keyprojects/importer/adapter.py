"""The interface a domain implements to have its tables imported and exported (README.md).

An adapter lives in its domain's app (keyprojects/ledger/adapters.py …) and is named in that
app's AppConfig.import_adapters; the importer finds it through importer.registry.
"""

from keyprojects.importer.base import Preview, Progress
from keyprojects.importer.columns import Column


class Adapter:
    """One kind of table (台账, 调度表 …). Subclasses set the attributes and the methods.

    - `kind`, `label`: the key stored on jobs and synonyms, and its Chinese name.
    - `columns`: the table's columns (header synonyms, value kind, export label).
    - `header_fallback`: {column key → key it stands for when the latter is absent}.
    - `figure_keys`: money columns that tell a project row from a section row.
    - `needs_month`: the upload asks for a month (调度表) instead of a year.
    - `models`: whose named constraints name a refused write in Chinese.
    """

    kind: str = ""
    label: str = ""
    columns: list[Column] = []
    header_fallback: dict[str, str] = {}
    figure_keys: tuple[str, ...] = ()
    needs_month: bool = False
    models: tuple = ()

    def can_import(self, user) -> bool:
        """May this user upload this table? (importer.permissions.can_import already allows
        only the office and reporters; a domain narrows it, e.g. land tables to 规资.)"""
        return True

    def special_header(self, keys: list[str], month: int | None) -> str | None:
        """A header whose meaning depends on its combination or the month (2022年计划/计划投资,
        1-N月/其中：N月); None lets the synonym table decide."""
        return None

    def plan(
        self,
        data: bytes,
        filename: str,
        *,
        user,
        year: int | None,
        month: int | None,
        progress: Progress,
        mapping,
    ) -> tuple[Preview, object]:
        """Read and check a file; write nothing. Returns the preview and a plan for `write`.

        `mapping` (importer.mapping.Mapping) holds the office's header synonyms and
        department aliases; names it cannot place go to preview.unknown_departments."""
        raise NotImplementedError

    def write(self, plan, *, by, reason: str) -> None:
        """Write a checked plan through the domain's services, inside the caller's transaction."""
        raise NotImplementedError

    def export(self, query, *, user, today) -> tuple[bytes, str, dict]:
        """(xlsx bytes, file name, audit details) for the rows `query` selects in the user's
        scope; raises ValueError with a Chinese message for a bad query."""
        raise NotImplementedError
