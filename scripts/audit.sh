#!/usr/bin/env bash
# `make audit`: known vulnerabilities in the locked Python and npm dependencies.
# Their vulnerability databases are not reachable from every network (not from CI's): then it
# says so plainly and exits 0; a vulnerability found exits 1.
set -u
VENV=${VENV:-.venv}
status=0

if ! "$VENV/bin/python" -m pip install -q pip-audit >/dev/null 2>&1; then
  echo "pip-audit：无法安装（离线网络），跳过 Python 依赖审计"
else
  out=$(timeout 300 "$VENV/bin/pip-audit" -r requirements.txt --progress-spinner off 2>&1)
  rc=$?
  if echo "$out" | grep -q "could not be audited" && ! echo "$out" | grep -qE "^[A-Za-z0-9_.-]+ +[0-9][^ ]* +(GHSA|PYSEC|CVE)"; then
    echo "pip-audit：漏洞库不可达（本网络无法访问 PyPI 漏洞接口），已跳过 Python 依赖审计"
  elif [ "$rc" -ne 0 ]; then
    echo "$out"
    echo "pip-audit：发现已知漏洞（见上）"
    status=1
  else
    echo "pip-audit：未发现已知漏洞"
  fi
fi

out=$(timeout 120 npm audit --omit=dev 2>&1)
rc=$?
if echo "$out" | grep -qE "audit endpoint returned an error|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|405 Method Not Allowed"; then
  echo "npm audit：漏洞库不可达（本网络无法访问），已跳过前端依赖审计"
elif [ "$rc" -ne 0 ]; then
  echo "$out"
  echo "npm audit：发现已知漏洞（见上）"
  status=1
else
  echo "npm audit：未发现已知漏洞"
fi
exit $status
