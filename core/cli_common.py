"""What the headless commands share: one-line errors, argument parsing, safe printing.

``ascent-lab train`` (:mod:`core.cli`) and ``ascent-lab predict`` (:mod:`core.cli_predict`)
report a bad argument or file as one line on stderr with exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import NoReturn, TextIO

__all__ = ["EXIT_USAGE", "Parser", "UsageError", "fail", "integer", "number",
           "positive_number", "write"]

EXIT_USAGE = 2


class UsageError(Exception):
    """A bad argument or file: reported as one line on stderr with exit status 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors raise :class:`UsageError` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def number(text: str | None, option: str, what: str) -> float:
    """Parse ``text`` as a finite float, or raise UsageError naming ``option``."""
    try:
        value = float(text) if text is not None else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UsageError(f"{option} must be {what}, got {text}")
    return value


def positive_number(text: str, option: str) -> float:
    """A finite float > 0, or UsageError."""
    value = number(text, option, "a positive number")
    if value <= 0:
        raise UsageError(f"{option} must be a positive number, got {text}")
    return value


def integer(text: str, option: str, minimum: int) -> int:
    """An integer >= ``minimum``, or UsageError."""
    what = f"an integer >= {minimum}"
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{option} must be {what}, got {text}") from None
    if value < minimum:
        raise UsageError(f"{option} must be {what}, got {text}")
    return value


_ASCII_FALLBACK = (("η", "eta"), ("θ", "theta"), ("≥", ">="), ("—", "-"))


def write(text: str, stream: TextIO) -> None:
    """Write ``text``, spelling Greek letters out if the stream's encoding lacks them.

    A Windows console or a redirected stdout may be cp1252, which has no η or θ.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        for symbol, spelled in _ASCII_FALLBACK:
            text = text.replace(symbol, spelled)
        text = text.encode("ascii", errors="replace").decode("ascii")
    stream.write(text)
    stream.flush()


def fail(prog: str, message: str) -> int:
    """Print one ``PROG: error: ...`` line on stderr; return exit status 2."""
    one_line = " ".join(message.split())
    write(f"{prog}: error: {one_line}\n", sys.stderr)
    return EXIT_USAGE
