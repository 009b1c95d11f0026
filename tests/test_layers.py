"""Pure rule modules import no Django database code (they take dates and numbers in)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "keyprojects"
PURE = ["units.py", "envconf.py", "geo.py", "ledger/schedule.py", "ledger/kpis.py"]


@pytest.mark.parametrize("module", PURE)
def test_pure_module_imports_nothing_from_django(module):
    tree = ast.parse((ROOT / module).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {m for m in imported if m.startswith("django")}, imported
    assert "datetime.date.today" not in (ROOT / module).read_text()
