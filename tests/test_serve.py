"""`keyprojects serve` (what `make run` starts): a fresh data folder gets migrations, static
files and demo data; gunicorn answers with DEBUG off; the task worker runs beside it; SIGTERM
stops both."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_from_an_empty_data_folder(tmp_path):
    port = _free_port()
    env = {**os.environ, "KEYPROJECTS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("KEYPROJECTS_DEBUG", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "keyprojects",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # A patience limit, not a speed claim: on a loaded machine migrate + demo take minutes.
        deadline = time.monotonic() + 300
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as r:
                    body = r.read().decode()
                    css = urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/static/kp/app.css", timeout=2
                    ).status
                break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "服务没有启动"
        assert "重点项目调度平台" in body and "示例数据" in body
        assert css == 200
        children = subprocess.run(
            ["pgrep", "-P", str(proc.pid), "-f", "db_worker"], capture_output=True
        )
        assert children.returncode == 0, "后台任务进程没有启动"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert "Kp@2022demo" in out  # the demo log-ins are printed
    assert proc.returncode == 0, out[-2000:]
