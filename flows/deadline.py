"""A wall-clock budget for one article, enforced in whatever thread the article runs in.

SIGALRM only reaches a process's main thread, and `stemwire run --workers 1` extracts in a worker
thread of the flow process, so the budget is kept by a timer thread instead: when it runs out, the
timer raises ArticleTimeout *in the article's thread* (CPython's PyThreadState_SetAsyncExc). The
exception lands at the next bytecode the thread runs, wherever that is (between pipeline components,
inside an extractor's loop, in validation), so the work really stops and the thread goes on with the
next article. Its limit: a single call into C (one regular-expression match, OpenCC's conversion of
the whole text, building a spaCy Doc) runs to its end before the exception lands.

ArticleTimeout derives from BaseException so that an extractor's `except Exception` cannot swallow it.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_ARTICLE_TIMEOUT = 120.0  # seconds; a long article takes well under 5 s on a loaded 2-core machine


class ArticleTimeout(BaseException):
    pass


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    # None clears an exception that was set but has not landed yet.
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else None)


@contextmanager
def article_budget(seconds: float | None) -> Iterator[None]:
    """Run the block under a budget of `seconds` (None or 0: no budget); ArticleTimeout when it runs out."""
    if not seconds:
        yield
        return
    target = threading.get_ident()
    state = {"done": False, "fired": False}
    guard = threading.Lock()

    def expire() -> None:
        with guard:
            if not state["done"]:
                state["fired"] = True
                _raise_in(target, ArticleTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with guard:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                # The block ended (or is ending) just as the budget ran out: an exception still pending
                # must not land in the caller's next statement.
                _raise_in(target, None)


def timeout_reason(seconds: float) -> str:
    return f"took longer than the {seconds:g}-second budget per article (--article-timeout {seconds:g}); not published"


_BUDGET = re.compile(r"^took longer than the ([0-9.e+]+)-second budget per article")


def budget_of(reason: str | None) -> float | None:
    """The budget an article ran out of, from its recorded reason (None: it failed for another reason)."""
    found = _BUDGET.match(reason or "")
    return float(found.group(1)) if found else None
