"""`make run` states the address KEYPROJECTS_BIND makes it serve, not a fixed one."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _announcement(env_bind):
    env = {k: v for k, v in os.environ.items() if k != "KEYPROJECTS_BIND"}
    if env_bind:
        env["KEYPROJECTS_BIND"] = env_bind
    # -n: print the recipe without serving; the echo line is then run as make would run it.
    recipe = subprocess.run(
        ["make", "-n", "-s", "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    line = next(x for x in recipe.splitlines() if x.startswith("echo ") and "启动" in x)
    return subprocess.run(
        ["bash", "-c", line], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_make_run_names_the_bound_address():
    assert (
        _announcement("0.0.0.0:9000")
        == "启动重点项目调度平台：http://0.0.0.0:9000/ （Ctrl+C 停止）"
    )
    assert _announcement("") == "启动重点项目调度平台：http://127.0.0.1:8000/ （Ctrl+C 停止）"
