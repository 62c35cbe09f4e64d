"""Peak memory of this process, as the kernel counts it.

``getrusage().ru_maxrss`` is no good in a child started by a big parent: Linux carries the
parent's high-water mark across exec, so every child would report at least the benchmark's
own size. ``VmHWM`` in /proc/self/status belongs to the process's own address space.

    python -m bench.peak OUT.json danvan ARGS...   runs the danvan command line in this process,
                                                   then writes its exit status and peak memory
                                                   (its own, and its largest worker's) to OUT.json
"""
from __future__ import annotations

import json
import resource
import sys


def self_peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    out, args = sys.argv[1], sys.argv[3:]
    from danvan_cli.cli import cli
    try:
        cli.main(args=args, prog_name="danvan", standalone_mode=True)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # forked after exec: their own
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"exit": code, "self_mb": self_peak_mb(), "workers_mb": workers}, fh)
    sys.exit(code)


if __name__ == "__main__":
    main()
