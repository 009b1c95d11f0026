"""安全输出: security headers on every page, no inline script anywhere, production check."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

import keyprojects

pytestmark = pytest.mark.django_db


def test_login_page_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_logged_in_pages_are_not_cached(client_for, office, auditadmin):
    for client, name in [
        (client_for(office), "ledger:summary"),
        (client_for(auditadmin), "security:audit_log"),
    ]:
        response = client.get(reverse(name))
        assert "no-store" in response["Cache-Control"]
        assert "Content-Security-Policy" in response


def test_lockout_page_has_headers_too(client, office):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "office", "password": "x"})
    assert response.status_code == 429
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"javascript:", re.I)


def test_no_template_has_inline_script_handlers_or_js_urls():
    root = Path(keyprojects.__file__).parent
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            for m in pattern.finditer(text):
                offenders.append(f"{path.relative_to(root)}: {m.group(0)}")
    assert not offenders, "模板中有内联脚本（CSP 会拦截）：" + "；".join(offenders)


def _check_deploy(tmp_path, **variables):
    """`keyprojects check --deploy` in a clean process with only these KEYPROJECTS_* variables."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KEYPROJECTS_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(variables, KEYPROJECTS_DATA_DIR=str(tmp_path))  # default SQLite file there
    cmd = [sys.executable, "-m", "keyprojects", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings(tmp_path):
    proc = _check_deploy(
        tmp_path,
        KEYPROJECTS_HTTPS="true",
        KEYPROJECTS_ALLOWED_HOSTS="example.org",
        KEYPROJECTS_SECRET_KEY=secrets.token_urlsafe(50)[:50],
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_deploy_fails_without_https(tmp_path):
    proc = _check_deploy(
        tmp_path,
        KEYPROJECTS_ALLOWED_HOSTS="example.org",
        KEYPROJECTS_SECRET_KEY=secrets.token_urlsafe(50)[:50],
    )
    assert proc.returncode != 0 and "SECURE_SSL_REDIRECT" in proc.stdout + proc.stderr
