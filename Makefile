# The two commands a newcomer needs (README): `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Serves the dashboard on http://localhost:8501; the first run builds data/monitor.duckdb from the files in data/.
run: $(BIN)/.installed
	$(BIN)/streamlit run app.py

# Chromium is for the browser test that starts the real server; it is installed with apt-get when missing (as root).
test: $(BIN)/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	$(BIN)/python -m pytest -q
