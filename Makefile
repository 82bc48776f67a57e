# kasane — make demo | make test | make bench
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
export PSYCOPG_WAIT_FUNC := wait_select

.PHONY: install system-packages demo lint test test-fast bench screenshots faults up down status clean

# 帳票 (PDF): Pango for WeasyPrint, HarfBuzz-Subset for fast font subsetting, Debian's Noto CJK
# fonts (embedded in every PDF), poppler-utils (pdftotext/pdftoppm in the tests). Browser tests of
# the caseworkers' pages: Debian's chromium (Playwright drives it; no browser is downloaded); npm
# (Debian's, where node has none) brings axe-core. Skipped when already installed; needs root (CI runs as root).
SYSTEM_PACKAGES := fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "kasane: install these Debian packages first: $$missing"; exit 1; fi; fi

$(STAMP): pyproject.toml constraints.txt
	@$(MAKE) -s system-packages
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	@npm install -s --no-save --no-audit --no-fund --prefix $(VENV)/node axe-core@4.14.1
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: install          ## one household from 相談 to 多機関協働, through every service process
	$(BIN)/kasane demo

# The gates: ruff over all Python code, mypy over the kernel, the contracts and every domain/ (config: pyproject.toml).
TYPED := -p kasane -p kasane_contracts $(foreach s,audit collaboration community consultation directory gateway outreach participation,-p $(s).domain)
lint: install          ## ruff (lint) and mypy; make test runs it first
	$(BIN)/ruff check shared contracts services tests
	$(BIN)/mypy $(TYPED)

test: install lint     ## the gates, then the whole suite against the real RabbitMQ and PostgreSQL
	$(BIN)/pytest

test-fast: install     ## domain and contract tests only (no broker, no database)
	$(BIN)/pytest tests/domain tests/contracts tests/unit

bench: install         ## referrals end to end (raw-insert baseline), chain verification and replay, event signatures, 進捗管理 and 帳票, gateway vs RPC, the caseworkers' pages in Chromium, データ移行, 返還 (offboarding) beside pg_dump
	$(BIN)/python tests/bench/bench_referrals.py
	$(BIN)/python tests/bench/bench_sealing.py
	$(BIN)/python tests/bench/bench_audit.py
	$(BIN)/python tests/bench/bench_signatures.py
	$(BIN)/python tests/bench/bench_contract_check.py
	$(BIN)/python tests/bench/bench_report.py
	$(BIN)/python tests/bench/bench_gateway.py
	$(BIN)/python tests/bench/bench_import.py
	$(BIN)/python tests/bench/bench_pages.py
	$(BIN)/python tests/bench/bench_offboarding.py

screenshots: install   ## PNGs of the caseworkers' main pages (the 8050 story's data) in var/screenshots/
	$(BIN)/python tests/screenshots.py

SEED ?= 1
MINUTES ?= 5
faults: install        ## a fault campaign with its checker (SEED=1 MINUTES=5): history and report under var/faults/
	$(BIN)/kasane faults run --seed $(SEED) --minutes $(MINUTES)

up: install
	$(BIN)/kasane up

down: install
	$(BIN)/kasane down

status: install
	$(BIN)/kasane status

clean:
	rm -rf var .pytest_cache
