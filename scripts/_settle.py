"""What the screenshot scripts share: process Qt events until a condition holds."""

from __future__ import annotations

import time


def wait(app: object, predicate: object, timeout: float = 30.0, after: int = 30) -> None:
    """Process ``app``'s events until ``predicate()`` is true (or ``timeout`` seconds
    pass), then ``after`` more rounds so that what it triggered is drawn."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline and not predicate():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)
    for _ in range(after):
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.01)
