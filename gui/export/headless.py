"""``ascent-lab train --plot/--animate``: the figure maker :func:`core.cli.main` is given.

Importing this module loads no Qt; drawing does, on the offscreen platform when there is no
display (``gui.__main__`` sets it).
"""

from __future__ import annotations

from core.cli_figures import FigureRequest
from core.recording import record
from core.specs import ModelSpec
from gui.export.writers import animation_suffixes


def model_title(spec: ModelSpec) -> str:
    """"logistic regression", "network 2-4-2 (sigmoid)", "linear regression" …"""
    if spec.depth == 0:  # "logistic" ignores hidden_units (it keeps a default of (4,))
        if spec.is_regression:
            return "linear regression"
        return "softmax regression" if spec.n_classes > 2 else "logistic regression"
    sizes = [spec.n_features, *spec.hidden_units, 1 if spec.is_regression or
             spec.n_classes <= 2 else spec.n_classes]
    return f"network {'-'.join(str(s) for s in sizes)} ({spec.activation})"


class CliFigures:
    """Draws ``--plot`` (the last frame, PNG) and ``--animate`` (every frame, GIF or MP4)."""

    @property
    def animation_suffixes(self) -> tuple[str, ...]:
        return animation_suffixes()

    def __call__(self, request: FigureRequest) -> str | None:
        from PySide6.QtWidgets import QApplication

        from gui.export.animation import TrainingFigure
        from gui.export.job import write_animation

        # kept: a QApplication whose last reference goes is destroyed
        self._app = QApplication.instance() or QApplication(["ascent-lab"])
        recording = record(request.trainer, request.spec,
                           request.frames if request.animate is not None else 1)
        figure = TrainingFigure(recording, request.size, title=model_title(request.spec))
        try:
            if request.plot is not None and not figure.render_last().save(
                    str(request.plot), "PNG"):
                return f"--plot {request.plot}: cannot write the image"
            if request.animate is not None:
                try:
                    write_animation(figure, request.animate, request.fps)
                except (OSError, ValueError) as exc:
                    return f"--animate {request.animate}: cannot write it ({exc})"
        finally:
            figure.close()
        return None


cli_figures = CliFigures()
"""The figure maker ``ascent-lab train`` passes to :func:`core.cli.main`."""

__all__ = ["CliFigures", "cli_figures", "model_title"]
