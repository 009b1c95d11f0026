"""How long the upload safety checks take: hostile files are refused quickly, and a large
ordinary workbook passes quickly (the timings the tests used to assert).

    .venv/bin/python bench/bench_safety.py

Targets: each hostile file refused within 5 s; a 20,000-row × 12-column ledger checked within
1 s. Best of three runs each; exits 1 when a target is missed.
"""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scratch import scratch_dir  # noqa: E402  (bench/ is on the path of a bench script)

os.environ["KEYPROJECTS_DATA_DIR"] = scratch_dir("kp-bench-safety-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402

from keyprojects.importer import safety  # noqa: E402
from keyprojects.importer.reading import UnreadableFile  # noqa: E402
from tests.security import test_hostile_uploads as hostile  # noqa: E402

HOSTILE_SECONDS = 5.0
LARGE_SECONDS = 1.0


def best_of_three(fn) -> float:
    best = None
    for _ in range(3):
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def refused(data: bytes, name: str):
    def run():
        try:
            safety.check_workbook(data, name)
        except (safety.Refused, UnreadableFile):
            return
        raise SystemExit(f"{name}: not refused")

    return run


def large_workbook() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(20_000):
        ws.append([f"项目{r}", "县住房和城乡建设委员会", r * 1.5, r, "在建", "2022-03-01"] * 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> int:
    status = 0
    bomb = hostile.zip_bomb()
    files = {
        "zip bomb": (bomb, "台账.xlsx"),
        "zip bomb, sizes lie": (hostile.lying_zip_bomb(bomb), "台账.xlsx"),
        "billion laughs": (hostile.billion_laughs(), "台账.xlsx"),
        "external entity": (hostile.external_entity(), "台账.xlsx"),
        "encrypted xlsx": (hostile.encrypted_xlsx(), "台账.xlsx"),
        "encrypted xls": (hostile.encrypted_xls(), "台账.xls"),
        "huge range": (hostile.huge_range(), "台账.xlsx"),
    }
    for label, (data, name) in files.items():
        seconds = best_of_three(refused(data, name))
        ok = seconds < HOSTILE_SECONDS
        status |= not ok
        print(f"{label:<22} refused in {seconds:6.3f} s  (target < {HOSTILE_SECONDS} s)")
    data = large_workbook()
    seconds = best_of_three(lambda: safety.check_workbook(data, "大台账.xlsx"))
    ok = seconds < LARGE_SECONDS
    status |= not ok
    print(f"{'20,000-row ledger':<22} checked in {seconds:6.3f} s  (target < {LARGE_SECONDS} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
