# Trợ lý ISO — two commands do all the set-up on a fresh machine:
#   make run   install, index knowledge/, serve on 127.0.0.1:8000 (and the Telegram bot when a token is set)
#   make test  install, run the tests
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export OMP_WAIT_POLICY := passive

.PHONY: install sysdeps test-sysdeps run test lint eval bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip >/dev/null
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) sysdeps

# antiword reads legacy Word 97-2003 .doc files.
sysdeps:
	@command -v antiword >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq antiword >/dev/null; \
	  else echo "Cần cài antiword: sudo apt-get install antiword"; fi; }

# Debian's Chromium for the browser tests (Playwright launches it by path; it never downloads a browser).
test-sysdeps: sysdeps
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: browser tests will be skipped (sudo apt-get install chromium)"; fi; }

run: install
	$(BIN)/isoassist index --source knowledge
	$(BIN)/isoassist run

test: install test-sysdeps
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$rc

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

eval: install
	$(BIN)/isoassist eval --suite all

bench: install
	$(BIN)/isoassist bench index

clean:
	rm -rf $(VENV) data
