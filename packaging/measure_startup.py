"""Measure how long the app takes from launch to a shown window, on a real X server (Xvfb).

    .venv/bin/python packaging/measure_startup.py [--runs 5] [COMMAND ...]

Default COMMAND: dist/ascent-lab/ascent-lab. Starts a private Xvfb, launches the command
with QT_QPA_PLATFORM=xcb, and watches the X server (through libX11, no help from the app)
until a top-level window whose title starts with "Ascent Lab" is mapped and viewable; then
stops the app. Prints every run and the median. Needs the ``xvfb`` apt package.

With --cold, every file of the app's folder (--evict, default dist/ascent-lab) is dropped
from the kernel's page cache before each run (posix_fadvise DONTNEED, only those files, so
nobody else on a shared machine is slowed down): a first start after a reboot or a fresh
download. The system libraries a desktop always has loaded (libc, libX11...) stay cached.
Without --cold every run but the first is a warm start.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = b"Ascent Lab"
IS_VIEWABLE = 2


class _XWindowAttributes(ctypes.Structure):
    _fields_ = [
        ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
        ("height", ctypes.c_int), ("border_width", ctypes.c_int), ("depth", ctypes.c_int),
        ("visual", ctypes.c_void_p), ("root", ctypes.c_ulong), ("c_class", ctypes.c_int),
        ("bit_gravity", ctypes.c_int), ("win_gravity", ctypes.c_int),
        ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
        ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int),
        ("colormap", ctypes.c_ulong), ("map_installed", ctypes.c_int),
        ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
        ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
        ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p),
    ]


class _XTextProperty(ctypes.Structure):
    _fields_ = [("value", ctypes.c_void_p), ("encoding", ctypes.c_ulong),
                ("format", ctypes.c_int), ("nitems", ctypes.c_ulong)]


class XServer:
    """A private Xvfb and a libX11 connection to it."""

    def __init__(self) -> None:
        if shutil.which("Xvfb") is None:
            raise SystemExit("measure_startup: Xvfb not found (apt-get install xvfb)")
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24", "-nolisten",
             "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            self.display = ":" + pipe.readline().strip()
        name = ctypes.util.find_library("X11")
        if name is None:
            raise SystemExit("measure_startup: libX11 not found")
        x11 = ctypes.CDLL(name)
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XQueryTree.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.POINTER(ctypes.c_ulong)),
            ctypes.POINTER(ctypes.c_uint)]
        x11.XGetWMName.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                   ctypes.POINTER(_XTextProperty)]
        x11.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong,
                                             ctypes.POINTER(_XWindowAttributes)]
        x11.XFree.argtypes = [ctypes.c_void_p]
        self.x11 = x11
        self.connection = x11.XOpenDisplay(self.display.encode())
        if not self.connection:
            raise SystemExit(f"measure_startup: cannot open display {self.display}")
        self.root = x11.XDefaultRootWindow(self.connection)

    def app_window_shown(self) -> bool:
        """True once a viewable top-level window's title starts with TITLE."""
        x11, conn = self.x11, self.connection
        root, parent = ctypes.c_ulong(), ctypes.c_ulong()
        children = ctypes.POINTER(ctypes.c_ulong)()
        count = ctypes.c_uint()
        if not x11.XQueryTree(conn, self.root, ctypes.byref(root), ctypes.byref(parent),
                              ctypes.byref(children), ctypes.byref(count)):
            return False
        try:
            for i in range(count.value):
                # WM_NAME in any encoding (Qt uses COMPOUND_TEXT for non-ASCII titles, which
                # XFetchName refuses); the title's ASCII start reads the same in all of them.
                name = _XTextProperty()
                if x11.XGetWMName(conn, children[i], ctypes.byref(name)) and name.value:
                    title = ctypes.string_at(name.value, name.nitems)
                    x11.XFree(name.value)
                    if title.startswith(TITLE):
                        attributes = _XWindowAttributes()
                        x11.XGetWindowAttributes(conn, children[i], ctypes.byref(attributes))
                        if attributes.map_state == IS_VIEWABLE:
                            return True
        finally:
            if children:
                x11.XFree(children)
        return False

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def evict(folder: Path) -> int:
    """Drop every file under ``folder`` from the page cache; return how many bytes that was."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                total += os.fstat(fd).st_size
            finally:
                os.close(fd)
    return total


def time_to_window(server: XServer, command: list[str], timeout: float) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
    env.update(DISPLAY=server.display, QT_QPA_PLATFORM="xcb")
    start = time.perf_counter()
    app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        while time.perf_counter() - start < timeout:
            if server.app_window_shown():
                return time.perf_counter() - start
            if app.poll() is not None:
                raise SystemExit(f"measure_startup: {command[0]} exited with {app.returncode}")
            time.sleep(0.002)
        raise SystemExit(f"measure_startup: no window after {timeout:g} s")
    finally:
        app.terminate()
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--cold", action="store_true",
                        help="drop the app's files from the page cache before each run")
    parser.add_argument("--evict", type=Path, default=ROOT / "dist/ascent-lab",
                        help="the folder --cold drops (default dist/ascent-lab)")
    parser.add_argument("command", nargs="*",
                        default=[str(ROOT / "dist/ascent-lab/ascent-lab")])
    args = parser.parse_args(argv)
    server = XServer()
    try:
        times = []
        for _ in range(args.runs):
            if args.cold:
                evict(args.evict)
            times.append(time_to_window(server, args.command, args.timeout))
    finally:
        server.close()
    runs = ", ".join(f"{t:.2f}" for t in times)
    kind = f"cold ({args.evict} evicted)" if args.cold else "warm after the first"
    print(f"measure_startup: {' '.join(args.command)}, {kind}: launch to shown window {runs} s; "
          f"first {times[0]:.2f} s, median {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
