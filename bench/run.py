"""Benchmarks. `python bench/run.py --projects N --json` runs the figures benchmark
(bench/bench_figures.py) and prints {"ratios": {name: app÷floor}, "seconds": {name: app}, …};
without --json every bench/bench_*.py runs in its own process (each builds its own data)."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
if "--json" in sys.argv[1:]:
    sys.exit(
        subprocess.run([sys.executable, str(here / "bench_figures.py"), *sys.argv[1:]]).returncode
    )
scripts = sorted(here.glob("bench_*.py"))
status = 0
for script in scripts:
    print(f"== {script.name} ==", flush=True)
    status |= subprocess.run([sys.executable, str(script), *sys.argv[1:]]).returncode
sys.exit(status)
