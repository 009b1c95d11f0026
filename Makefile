# keyprojects — two commands: `make run` serves the app, `make test` runs every test tier.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
KP := $(VENV)/bin/keyprojects
PYTEST := $(VENV)/bin/pytest
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PYTHON ?= python3
JOBS ?= 2

.PHONY: run setup test test-sqlite test-pg lint lint-imports format bench audit clean

run: setup
	@# The address gunicorn really binds (keyprojects serve reads the same variable).
	@echo "启动重点项目调度平台：http://$${KEYPROJECTS_BIND:-127.0.0.1:8000}/ （Ctrl+C 停止）"
	$(KP) serve

setup: $(STAMP) $(NODE_STAMP)

# Dependencies are installed with hash checking (requirements.txt is compiled from
# requirements.in with `pip-compile --generate-hashes`).
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q --require-hashes -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m pip check
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: $(STAMP) lint-imports
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The layers (contracts in pyproject.toml [tool.importlinter]; docs/architecture.md).
lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Tier 1 (unit, Django, browser, documents) on SQLite, then tier 2 on a throwaway PostgreSQL.
test: setup lint test-sqlite test-pg

test-sqlite: setup
	@echo "== 测试：SQLite（单元、页面、浏览器、文档）=="
	$(PYTEST) -n $(JOBS) -q -rs

test-pg: setup
	@if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "== 测试：PostgreSQL（测试自行启动临时集群）=="; \
	  KP_TEST_DB=postgres $(PYTEST) -n $(JOBS) -q -rs -m "not browser and not documents"; \
	else \
	  echo "== 跳过 PostgreSQL 测试：本机没有 initdb/pg_ctl（安装 postgresql 后自动运行）=="; \
	fi

bench: setup
	$(PY) bench/run.py

audit: setup
	@VENV=$(VENV) bash scripts/audit.sh

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
