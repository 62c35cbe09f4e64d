"""Worker processes: one function run over jobs in other processes, results in submission order,
a crashed worker replaced without losing the run.

Why not ``concurrent.futures``: its executor hands every result through two helper threads in
the parent (a feeder and a result manager) that compete for the GIL with the one thread that
writes the index. Receiving the results of 1,520 plans in chunks of eight cost the parent
0.27 s of CPU that way, and 0.13 s reading each worker's pipe from its own thread, as here;
``danvan ingest --jobs 2`` over 1,500 plans went from 3.02 to 2.88 s (median of six runs).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from multiprocessing.connection import wait
from typing import Callable, Iterator, Sequence

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]


class WorkerDied(Exception):
    """The worker process ended without answering (killed, or crashed in native code)."""


# Room for the answers a worker has sent and the parent not yet read: while the parent
# commits a transaction (tens of ms) it reads nothing, and a worker whose answer does not fit
# waits instead of parsing (with Linux's default 64 KB, a quarter of each worker's time).
# 1 MB is what Linux allows an unprivileged process; elsewhere the system's default stands.
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", None)


def _widen(conn) -> None:
    if _F_SETPIPE_SZ is None:
        return
    try:
        fcntl.fcntl(conn.fileno(), _F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:  # above the system's limit (/proc/sys/fs/pipe-max-size): keep the default
        pass


def _serve(jobs, answers, fn: Callable, not_ours: list) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run, workers stay quiet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent's ends of this worker's pipes and of its siblings', copied by fork: held open
    # here, they would keep this worker (or a sibling) waiting for ever once the parent is
    # killed, where a closed pipe tells it to stop.
    for conn in not_ours:
        conn.close()
    try:
        while True:
            try:
                job = jobs.recv()
            except EOFError:  # the parent is gone
                return
            if job is None:
                return
            answers.send(fn(job))
    except BaseException:  # a dead pipe (the parent killed) or a failure of fn itself: the
        os._exit(70)       # parent sees this worker end and deals with the jobs it held


class _Worker:
    def __init__(self, ctx, fn: Callable, siblings: Sequence["_Worker"] = ()):
        job_r, self.jobs = ctx.Pipe(duplex=False)
        self.conn, answer_w = ctx.Pipe(duplex=False)   # answers: the end the parent waits on
        _widen(self.conn)
        not_ours = [self.jobs, self.conn] + [c for w in siblings for c in (w.jobs, w.conn)]
        self.proc = ctx.Process(target=_serve, args=(job_r, answer_w, fn, not_ours), daemon=True)
        self.proc.start()
        job_r.close()
        answer_w.close()
        self.held: deque = deque()   # slots sent and not yet answered, oldest first

    def send(self, slot: list) -> None:
        self.held.append(slot)
        try:
            self.jobs.send(slot[0])
        except OSError:  # already dead: the next receive finds it out and replaces it
            pass

    def stop(self, wait_for_it: bool = True) -> None:
        try:
            if wait_for_it:
                self.jobs.send(None)
        except OSError:
            pass
        self.jobs.close()
        self.conn.close()
        self.proc.join(timeout=5 if wait_for_it else 0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


class OrderedPool:
    """``jobs`` processes running ``fn`` over the jobs given to ``put``, results in the order put.

    ``put`` sends a job and returns an iterator over the results now ready; ``drain`` yields
    the rest as they come. Answers are taken in between two results handed out, so a worker
    is not left waiting to send while the caller works on a long run of results. Each worker
    holds at most ``depth`` jobs, and a slow job holds back at most ``2 * jobs * depth``
    results, so memory stays flat however many jobs there are. When a worker dies, each job it
    held is given to ``on_death(job)``, whose return value stands as that job's result, and a
    new worker takes its place.
    """

    def __init__(self, jobs: int, fn: Callable, on_death: Callable, depth: int = 8):
        self.jobs, self.fn, self.on_death, self.depth = jobs, fn, on_death, depth
        self.ctx = multiprocessing.get_context()
        self.workers: list[_Worker] = []   # started on the first job
        self.slots: deque[list] = deque()   # [job, result, done], in the order put

    def __enter__(self) -> "OrderedPool":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(graceful=exc_type is None)

    def close(self, graceful: bool = True) -> None:
        """Stop the workers: each finishes its job and ends, or (not ``graceful``) is killed."""
        for w in self.workers:
            w.stop(wait_for_it=graceful)
        self.workers = []

    def put(self, job) -> Iterator:
        if not self.workers:
            for _ in range(self.jobs):
                self.workers.append(_Worker(self.ctx, self.fn, self.workers))
        while len(self.slots) >= 2 * self.jobs * self.depth and not self.slots[0][2]:
            self._receive(block=True)
        self._receive(block=False)
        while not (free := [w for w in self.workers if len(w.held) < self.depth]):
            self._receive(block=True)
        slot = [job, None, False]
        self.slots.append(slot)
        min(free, key=lambda w: len(w.held)).send(slot)
        return self._ready()

    def drain(self) -> Iterator:
        while self.slots:
            if not self.slots[0][2]:
                self._receive(block=True)
            yield from self._ready()

    def _ready(self) -> Iterator:
        while self.slots and self.slots[0][2]:
            yield self.slots.popleft()[1]
            self._receive(block=False)

    def _receive(self, block: bool) -> None:
        """Take in the answers that have come (with ``block``, wait for at least one)."""
        busy = {w.conn: w for w in self.workers if w.held}
        if not busy:
            return
        for conn in wait(list(busy), timeout=None if block else 0):
            w = busy[conn]
            try:
                result = conn.recv()
            except (EOFError, OSError):
                self._replace(w)
                continue
            slot = w.held.popleft()
            slot[1], slot[2] = result, True

    def _replace(self, dead: _Worker) -> None:
        dead.stop(wait_for_it=False)
        others = [w for w in self.workers if w is not dead]
        self.workers[self.workers.index(dead)] = _Worker(self.ctx, self.fn, others)
        for slot in dead.held:
            slot[1], slot[2] = self.on_death(slot[0]), True


def run_alone(fn: Callable, job):
    """``fn(job)`` in a process of its own; WorkerDied if that process dies first."""
    w = _Worker(multiprocessing.get_context(), fn)
    try:
        try:
            w.jobs.send(job)
            return w.conn.recv()
        except (EOFError, OSError):
            raise WorkerDied() from None
    finally:
        w.stop()
