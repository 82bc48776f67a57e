# kasane — make demo | make test | make bench
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
export PSYCOPG_WAIT_FUNC := wait_select

.PHONY: install demo test test-fast bench up down status clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

demo: install          ## one household from 相談 to 多機関協働, through every service process
	$(BIN)/kasane demo

test: install          ## the whole suite against the real RabbitMQ and PostgreSQL
	$(BIN)/pytest

test-fast: install     ## domain and contract tests only (no broker, no database)
	$(BIN)/pytest tests/domain tests/contracts tests/unit

bench: install         ## referrals end to end (raw-insert baseline), chain verification and replay, event signatures, gateway vs RPC
	$(BIN)/python tests/bench/bench_referrals.py
	$(BIN)/python tests/bench/bench_audit.py
	$(BIN)/python tests/bench/bench_signatures.py
	$(BIN)/python tests/bench/bench_gateway.py

up: install
	$(BIN)/kasane up

down: install
	$(BIN)/kasane down

status: install
	$(BIN)/kasane status

clean:
	rm -rf var .pytest_cache
