# The two commands of the README: `make book` and `make test`.
# Both create .venv from requirements.txt when it is missing or older than requirements.txt.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2

export PATH := $(CURDIR)/$(BIN):$(PATH)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_USE_LEGACY_KERAS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: venv book test lint unit lab clean benchmarks

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

## make book: execute every chapter (cached) and build the HTML book into _build/html.
# MPLBACKEND must stay unset here: the kernels then use the inline backend and the book
# shows its figures.
book: $(STAMP)
	env -u MPLBACKEND $(BIN)/jupyter-book build . --keep-going
	@test -f _build/html/index.html && echo "Book built: _build/html/index.html"

## make test: lint, unit + property + doctests, nbval over every notebook, -W book build.
test: $(STAMP) lint
	$(BIN)/python scripts/sync_links.py --check
	MPLBACKEND=Agg $(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax --nbval-current-env \
		--nbval-cell-timeout=600 tests qnetlab scripts book
	$(BIN)/python scripts/book_build.py
	@test -f _build/html/index.html && echo "Book built (-W, no execution): _build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -n $(JOBS) tests qnetlab

## make lab: JupyterLab on the book.
lab: $(STAMP)
	$(BIN)/jupyter lab book

benchmarks: $(STAMP)
	@for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis .jupyter_cache
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
