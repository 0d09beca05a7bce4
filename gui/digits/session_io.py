"""The Digits workbench as a session file (``.ascent``, ``core.session_file``).

The file's data are the digits engine's training rows (in its order) then its test rows:
the 64 features of the bundled digits and of the student's drawings, as trained on. The
drawings themselves travel at full resolution as ``extra_arrays``: ``ink`` (n, 280, 280)
uint8 and ``ink_labels`` (n,) int64, with ``board`` (280, 280) uint8, the drawing on the
board. ``view`` keeps the task (``digits``), the source and the panel showing. The compare
model (logistic regression) is not kept: it starts again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.session_file import SessionData, SessionFileError, trainer_from_session
from gui.digits.board import SIZE
from gui.digits.session import SOURCES, Task
from gui.engine import Dataset

WORKBENCH = "digits"


def capture(workbench: Any) -> SessionData:
    """The Digits ``workbench`` (a DigitsWorkbench) as session data."""
    session = workbench.session
    drawings = session.drawings
    ink = drawings.raw_ink()
    view = {"digits": list(session.task.digits), "source": session.source,
            "panel": int(workbench.tabs.currentIndex())}
    extra = {"ink": ink.astype(np.uint8), "ink_labels": drawings.labels.astype(np.int64),
             "board": workbench.board.ink_uint8().astype(np.uint8)}
    return session.engine.session_data(WORKBENCH, view, extra)


def _task(view: dict[str, Any]) -> Task:
    digits = view.get("digits", list(range(10)))
    if not (isinstance(digits, list) and len(digits) in (2, 10)
            and all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 9
                    for d in digits) and len(set(digits)) == len(digits)):
        raise SessionFileError("this digits session's task is not two different digits or "
                               "all ten")
    return Task(tuple(digits))


def restore(workbench: Any, data: SessionData) -> None:
    """Show ``data`` in the Digits ``workbench``; SessionFileError (and nothing changed)
    if it is not a digits session this app can show."""
    view = data.view if isinstance(data.view, dict) else {}
    task = _task(view)
    source = view.get("source", "bundled")
    if source not in SOURCES:
        raise SessionFileError(f"this digits session's source {source!r} is not one of "
                               f"{', '.join(SOURCES)}")
    if data.spec.n_raw_features != 64 or data.spec.n_classes != task.n_classes:
        raise SessionFileError(f"this digits session's model ({data.spec.n_raw_features} "
                               f"inputs, {data.spec.n_classes} classes) does not fit its task")
    ink = data.extra_arrays.get("ink", np.zeros((0, SIZE, SIZE), dtype=np.uint8))
    labels = data.extra_arrays.get("ink_labels", np.zeros(0, dtype=np.int64))
    if ink.ndim != 3 or ink.shape[1:] != (SIZE, SIZE) or labels.shape != (len(ink),) \
            or ink.dtype != np.uint8 or labels.dtype.kind not in "iu" \
            or (labels.size and (labels.min() < 0 or labels.max() > 9)):
        raise SessionFileError(f"this digits session's drawings are not {SIZE}×{SIZE} "
                               "uint8 images with labels 0–9")
    mask = np.asarray(data.test_mask, dtype=bool)
    trainer = trainer_from_session(data) if np.unique(data.y[~mask]).size >= 2 else None
    session = workbench.session
    session.replace_document(task, source, ink, labels, data.spec)
    dataset = Dataset(data.X[~mask], data.y[~mask], data.X[mask], data.y[mask],
                      session.engine.dataset.version)
    session.engine.load_trainer(data.spec, data.settings, dataset, trainer, data.parameters)
    board = data.extra_arrays.get("board")
    if board is not None and board.shape == (SIZE, SIZE) and board.dtype == np.uint8:
        workbench.board.set_ink(board)
    panel = view.get("panel")
    if isinstance(panel, int) and 0 <= panel < workbench.tabs.count():
        workbench.tabs.setCurrentIndex(panel)
    workbench.update_drawing()


__all__ = ["WORKBENCH", "capture", "restore"]
