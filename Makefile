# Two commands a user needs (see README.md):
#   make sample   set up, then grade the bundled sample classes (ps1, ps2, ps3) into graded/
#   make test     set up (browser included), then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup sample test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,nbgrader]"
	touch $(STAMP)

setup: $(STAMP)

sample: $(STAMP)
	$(BIN)/grader grade examples/sample-class --assignment ps1 --out graded/ps1
	$(BIN)/grader grade examples/sample-class-ps2 --assignment ps2 --out graded/ps2
	$(BIN)/grader grade examples/sample-class-ps3 --assignment ps3 --out graded/ps3
	$(BIN)/grader term graded/ps1 graded/ps2 graded/ps3 --out graded/term.csv

test: $(STAMP)
	bash scripts/ensure-browser
	$(BIN)/ruff check grader tests solutions
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check grader tests solutions
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/grader bench --students 1000

clean:
	rm -rf graded build *.egg-info
