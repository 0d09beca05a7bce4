"""The engine's two locks, taken by the GUI thread with priority over the worker."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class FairLock:
    """A lock taken by the GUI thread with priority over the worker.

    Python's locks are not fair: a worker that releases and re-acquires a lock in a loop can
    starve a thread waiting for it for seconds. GUI-side holders (``with lock:``) announce
    themselves; the worker (:meth:`worker`) backs off while anyone is waiting, so the GUI
    gets the lock within one training slice.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._waiting = 0
        self._count = threading.Lock()

    def __enter__(self) -> FairLock:
        with self._count:
            self._waiting += 1
        self._lock.acquire()
        with self._count:
            self._waiting -= 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    @contextmanager
    def worker(self) -> Iterator[None]:
        """Acquire with low priority (the worker thread)."""
        while self._waiting:
            time.sleep(0.0002)
        with self._lock:
            yield


class BothLocks:
    """``with``: the step lock, then the settings lock (what ``TrainingEngine.lock`` is)."""

    def __init__(self, step_lock: FairLock, lock: FairLock) -> None:
        self._step_lock = step_lock
        self._lock = lock

    def __enter__(self) -> BothLocks:
        self._step_lock.__enter__()
        try:
            self._lock.__enter__()
        except BaseException:
            self._step_lock.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.__exit__()
        self._step_lock.__exit__()
