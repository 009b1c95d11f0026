"""Run every bench/bench_*.py in its own process (each builds its own data) and print figures."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
scripts = sorted(here.glob("bench_*.py"))
status = 0
for script in scripts:
    print(f"== {script.name} ==", flush=True)
    status |= subprocess.run([sys.executable, str(script), *sys.argv[1:]]).returncode
sys.exit(status)
