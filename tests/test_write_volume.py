"""What an ingest writes to disk, counted by the kernel (/proc/self/io on Linux): the index
and its WAL, and not much more. Each document is stored under a savepoint, whose journal
SQLite puts in a temporary file unless told otherwise: that was six times the index."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import sys
from danvan_cli.db import connect
from danvan_cli.index import ingest_paths
db = connect(sys.argv[1])
ingest_paths(db, [sys.argv[2]], progress=False)
db.conn.close()
for line in open("/proc/self/io"):
    if line.startswith("wchar:"):
        print(line.split()[1])
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux's /proc/self/io")
def test_an_ingest_writes_little_beyond_the_index(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench import synth
    docs = tmp_path / "docs"
    synth.write_folder(docs, 300, seed=5)
    db = tmp_path / "i.db"
    res = subprocess.run([sys.executable, "-c", _CHILD, str(db), str(docs)], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-500:]
    written = int(res.stdout.split()[-1])
    index = db.stat().st_size
    # the WAL, then the same pages into the file: twice the index, and a little for the rest
    assert written < 3 * index, f"wrote {written / 2**20:.1f} MB for an index of {index / 2**20:.1f} MB"
