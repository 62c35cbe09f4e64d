"""The danvan benchmark (`make bench`, i.e. `.venv/bin/python -m bench`).

    synth.py      invented documents: many, varied, citing each other in chains
    stages.py     per format, per stage (hash, read, parse, write) on one core, with pypdfium2
                  raw extraction and pdftotext measured on the same PDFs
    edge.py       a 500-page PDF, a long text and a 50 MB text file, time and peak memory each
    pdf_speed.py  the PDF reader against raw pypdfium2 (the readers' own; used when present)
    __main__.py   the run: stages, --jobs 1 against --jobs 2, the scale run (ingest of N
                  documents, index size, peak memory at N/4 and N, query latency), the targets
                  as PASS/FAIL, a table on stdout and bench/results.json

Speed lives here only: the tests assert no timings.
"""
