"""PySide6-Essentials 6.12.0 on Python 3.11 aborts after ~600 Signal.emit() calls
(docs/decisions.md, platform notes). pyqtgraph emits signals on every paint, so the live
window would die within a minute. Emit 100,000 in a fresh interpreter and expect exit 0."""

import subprocess
import sys

CODE = """
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal(int)

app = QCoreApplication([])
received = []
emitter = Emitter()
emitter.fired.connect(lambda value: received.append(value))
for i in range(100_000):
    emitter.fired.emit(i)
assert len(received) == 100_000 and received[-1] == 99_999, len(received)
print("ok")
"""


def test_100000_signal_emits_do_not_crash_the_interpreter():
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr[-2000:])
    assert "ok" in result.stdout
