# The README's commands. Every target creates/updates .venv itself: nothing to install by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: install dev demo test lint docs check bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# compileall: an editable install gets no .pyc from pip, and PYTHONDONTWRITEBYTECODE would keep
# every run compiling newskit's sources again.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	$(PY) -m compileall -q newskit
	touch $@

$(DEVSTAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m compileall -q newskit
	touch $@ $(STAMP)

install: $(STAMP)

dev: $(DEVSTAMP)

demo: $(STAMP)
	$(VENV)/bin/newskit extract --url https://www.example.cn/news/2024/09/20/park.html --format table newskit/samples/zh-gbk-portal.html
	$(VENV)/bin/newskit extract --url https://www.example.cn/news/2024/09/20/park.html newskit/samples/zh-gbk-portal.html

test: $(DEVSTAMP)
	$(PY) -m pytest

lint: $(DEVSTAMP)
	$(VENV)/bin/ruff check newskit tests benchmarks
	$(VENV)/bin/ruff format --check newskit tests benchmarks
	$(VENV)/bin/mypy

docs: $(DEVSTAMP)
	$(PY) -m typer newskit.cli utils docs --name newskit --output docs/cli-reference.md

check: lint test

bench: $(DEVSTAMP)
	@for f in benchmarks/[a-z]*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
