"""Imported once by the worker server (flows/worker_pool.py) before it forks workers: what every
worker needs, loaded and warmed, then frozen out of the garbage collector's reach so that the forked
workers keep sharing its pages. Nothing here may raise: the server would die with a traceback, and a
failure to load is the workers' to report (each runs warm_up again, a no-op once it has worked)."""

import signal

# Ctrl-C reaches the whole process group; the server ignores it only once this import is done.
signal.signal(signal.SIGINT, signal.SIG_IGN)

import contextlib  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402

# The server notices its run's end only once loaded: a run killed (or done) sooner ends it by a
# parent-death signal (Linux; the workers it forks do not inherit it).
if sys.platform.startswith("linux"):
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

with contextlib.suppress(Exception):
    import prefect.task_engine
    import prefect.task_runners  # noqa: F401  (the pool's worker initializer)

    from stemwire.flows.batch import warm_up
    from stemwire.flows.batch_task import extract_batch  # noqa: F401  (the task the workers run)

    warm_up()
gc.freeze()
