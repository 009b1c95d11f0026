"""The layers hold: the import-linter contracts pass, and pure modules stay pure.

The contracts live in pyproject.toml ([tool.importlinter]); `make lint-imports` runs the same
check. docs/architecture.md explains the layers and how a new app joins them.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parent.parent
ROOT = BASE / "keyprojects"
PURE = [
    "units.py",
    "envconf.py",
    "months.py",
    "ledger/schedule.py",
    "ledger/kpis.py",
    "report/placeholders.py",
    "problems/kpis.py",
    "problems/scoring.py",
    "geo.py",
    *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/rules.py")),
]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=BASE, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


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
    assert "date.today" not in (ROOT / module).read_text()
    assert "datetime.now" not in (ROOT / module).read_text()


def test_no_import_cycle_anywhere():
    """No module reaches itself through imports (lazy imports inside functions included)."""
    import grimp

    graph = grimp.build_graph("keyprojects", cache_dir=None)
    cycles = [
        (importer, imported)
        for importer in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(importer))
        if graph.chain_exists(importer=imported, imported=importer)
    ]
    assert cycles == []
