# Two commands do all set-up on a fresh machine:  make demo   and   make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: install demo test test-fast bench system-tools corpus clean

# The virtual environment, rebuilt when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Index the shipped corpus and list what is due in the next 90 days (and what is overdue).
demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/danvan ingest corpus --db $(DEMO_DB)
	$(BIN)/danvan stats --db $(DEMO_DB) --format table
	$(BIN)/danvan deadlines --db $(DEMO_DB) --upcoming 90 --format table
	$(BIN)/danvan deadlines --db $(DEMO_DB) --overdue --format table

test: install
	$(BIN)/python -m pytest -q

# Without the OCR and whole-corpus tests.
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

bench: install
	$(BIN)/python -m bench

# Optional system tools: tesseract (scanned PDFs), antiword (.doc), poppler-utils (pdftotext
# for the benchmark's reference), graphviz (danvan cite --format dot | dot -Tsvg).
system-tools:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie antiword poppler-utils graphviz

# Rebuild the .docx and .pdf renderings of corpus/*.txt (needs LibreOffice for the PDFs).
corpus: install
	$(BIN)/python scripts/make_corpus.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
