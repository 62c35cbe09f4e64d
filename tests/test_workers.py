"""workers.OrderedPool: results in the order put, crashed workers replaced, memory bounded."""
from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from danvan_cli.workers import PIPE_BYTES, OrderedPool, WorkerDied, run_alone

pytestmark = pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                                reason="the pool is tested with fork, the start method it runs with on Linux")


def _square_after(job):
    n, delay = job
    time.sleep(delay)
    return n * n


def _die_on_negative(job):
    if job < 0:
        os._exit(139)  # what a segfault in a native library looks like from outside
    return job * 10


def _run(pool: OrderedPool, jobs) -> list:
    out = []
    for j in jobs:
        out += list(pool.put(j))
    return out + list(pool.drain())


@pytest.mark.parametrize("jobs, delays", [
    (2, [0.05, 0, 0, 0, 0.02, 0, 0.03, 0]),   # a slow first job: the rest must wait behind it
    (3, [0, 0.01] * 10),
    (1, [0.01, 0, 0.02]),
])
def test_results_come_back_in_the_order_put(jobs, delays):
    with OrderedPool(jobs, _square_after, on_death=lambda j: "died", depth=2) as pool:
        got = _run(pool, [(i, d) for i, d in enumerate(delays)])
    assert got == [i * i for i in range(len(delays))]


def test_a_dead_worker_costs_only_its_jobs_and_is_replaced():
    died = []

    def on_death(job):
        died.append(job)
        return f"lost {job}"

    jobs = [1, 2, 3, -4, 5, 6, 7, 8, -9, 10, 11]
    with OrderedPool(2, _die_on_negative, on_death=on_death, depth=1) as pool:
        got = _run(pool, jobs)
        assert len(pool.workers) == 2 and all(w.proc.is_alive() for w in pool.workers)
    assert -4 in died and -9 in died
    # each job has one answer, in order: its own, or what on_death made of it
    assert len(got) == len(jobs)
    for j, g in zip(jobs, got):
        assert g == (f"lost {j}" if j in died else j * 10)
    # depth 1: a worker holds one job at a time, so only the killers themselves are lost
    assert sorted(died) == [-9, -4]


def test_results_held_behind_a_slow_job_are_bounded():
    jobs, depth = 2, 2
    most = 0
    with OrderedPool(jobs, _square_after, on_death=lambda j: None, depth=depth) as pool:
        out = []
        for i in range(40):
            out += list(pool.put((i, 0.3 if i == 0 else 0)))
            most = max(most, len(pool.slots))
        out += list(pool.drain())
    assert out == [i * i for i in range(40)]
    assert most <= 2 * jobs * depth + 1


def test_leaving_on_an_error_stops_the_workers():
    pool = OrderedPool(2, _square_after, on_death=lambda j: None)
    with pytest.raises(KeyboardInterrupt):
        with pool:
            list(pool.put((1, 0)))
            procs = [w.proc for w in pool.workers]
            raise KeyboardInterrupt
    for p in procs:
        p.join(timeout=5)
        assert not p.is_alive()


@pytest.mark.parametrize("job, expected", [(3, 30), (0, 0)])
def test_run_alone_answers(job, expected):
    assert run_alone(_die_on_negative, job) == expected


def test_run_alone_reports_a_process_that_dies():
    with pytest.raises(WorkerDied):
        run_alone(_die_on_negative, -1)


def test_answer_pipes_are_widened_where_the_system_allows():
    fcntl = pytest.importorskip("fcntl")
    if not hasattr(fcntl, "F_GETPIPE_SZ"):
        pytest.skip("this system cannot resize pipes")
    try:
        limit = int(open("/proc/sys/fs/pipe-max-size").read())
    except OSError:
        pytest.skip("no /proc/sys/fs/pipe-max-size to compare with")
    with OrderedPool(1, _square_after, on_death=lambda j: None) as pool:
        list(pool.put((2, 0)))
        size = fcntl.fcntl(pool.workers[0].conn.fileno(), fcntl.F_GETPIPE_SZ)
    if limit >= PIPE_BYTES:
        assert size == PIPE_BYTES
    else:  # refused: the system's default stands, and the pool still works
        assert 0 < size < PIPE_BYTES


_PARENT = """
import sys, time
from danvan_cli.workers import OrderedPool

def slow(job):
    time.sleep(0.05)
    return b"x" * 300_000   # answers that fill the pipes: the workers block in send

pool = OrderedPool(2, slow, on_death=lambda j: None, depth=4)
list(pool.put(0))
with open(sys.argv[1], "w") as fh:
    fh.write(" ".join(str(w.proc.pid) for w in pool.workers))
for i in range(1, 10_000):
    pool.put(i)   # results never read: the parent is killed first
time.sleep(60)
"""


def test_workers_end_when_their_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    pids_file = tmp_path / "pids"
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, str(pids_file)])
    try:
        deadline = time.monotonic() + 30
        while not (pids_file.exists() and pids_file.read_text()):
            assert time.monotonic() < deadline and parent.poll() is None, "the parent did not start its workers"
            time.sleep(0.05)
        time.sleep(0.5)   # the workers are now blocked, sending or waiting
        pids = [int(p) for p in pids_file.read_text().split()]
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        alive = pids
        while alive and time.monotonic() < deadline:
            time.sleep(0.05)
            alive = [p for p in pids if _alive(p)]
        assert not alive, f"workers left running after their parent was killed: {alive}"
    finally:
        if parent.poll() is None:
            parent.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"   # a zombie has ended
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
