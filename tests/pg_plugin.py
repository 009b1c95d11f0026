"""Early pytest plugin: test data folder, and the throwaway PostgreSQL cluster for tier 2.

It must run before pytest-django imports the settings, so DATABASE_URL is set in
`pytest_load_initial_conftests` (xdist workers inherit the environment of the controller).
initdb refuses to run as root, so the cluster runs as the `postgres` user, in a folder it owns.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

_cluster = None


def _pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    def __init__(self):
        self.bin = _pg_bin()
        if self.bin is None:
            raise RuntimeError("没有找到 initdb：请安装 postgresql（.ci/run 会安装）")
        self.dir = Path(tempfile.mkdtemp(prefix="kp-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, cwd="/", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            f"{self.dir}/data",
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-o", opts, "start"
        )
        return self

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self):
        try:
            self._run("pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global _cluster
    os.environ.setdefault("KEYPROJECTS_DATA_DIR", tempfile.mkdtemp(prefix="kp-test-data-"))
    if os.environ.get("KP_TEST_DB") == "postgres" and not os.environ.get("DATABASE_URL"):
        _cluster = PgCluster().start()
        os.environ["DATABASE_URL"] = _cluster.url


def pytest_report_header(config):
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    return f"keyprojects 测试数据库：{engine}"


def pytest_unconfigure(config):
    global _cluster
    if _cluster is not None and not hasattr(config, "workerinput"):
        _cluster.stop()
        _cluster = None
