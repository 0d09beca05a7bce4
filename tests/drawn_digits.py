"""Digits drawn the way a person draws them with a mouse: QPainter strokes on a QImage.

Each digit 0–9 has one or more *skeletons* (the pen's path as people write it: a 1 with or
without a flag or a base, an open or a closed 4, a 7 with or without a bar, ...), given in
a box of height 1 (x to the right, y down). :func:`draw` renders a skeleton with white,
round, antialiased strokes on a black board (280×280 by default, like the app's drawing
board), at a given size, position, slant and pen width; :func:`random_drawings` varies all
of that, and bends every skeleton a little, with a seeded ``np.random.default_rng``.

Only PySide6.QtGui is used (QImage, QPainter, QPen, QPainterPath), so it runs offscreen;
create a QGuiApplication first (pytest-qt's ``qapp`` fixture does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage, QPainter, QPainterPath, QPen

Stroke = list[tuple[float, float]]
Skeleton = list[Stroke]

BOARD = 280


def arc(cx: float, cy: float, rx: float, ry: float, start: float, end: float,
        n: int = 24) -> Stroke:
    """Points on an ellipse from angle ``start`` to ``end`` (degrees; 0 = right, 90 = down,
    since y points down: increasing angles go clockwise on the screen)."""
    t = np.radians(np.linspace(start, end, n))
    return [(float(cx + rx * np.cos(a)), float(cy + ry * np.sin(a))) for a in t]


def _skeletons() -> dict[int, list[Skeleton]]:
    """Every digit's styles, each a list of strokes in a box of height 1, width ~0.6."""
    return {
        0: [
            [arc(0.3, 0.5, 0.28, 0.48, -100, 270)],
            [arc(0.32, 0.5, 0.24, 0.49, -60, 300)],
        ],
        1: [
            [[(0.3, 0.0), (0.3, 1.0)]],
            [[(0.1, 0.22), (0.32, 0.0), (0.32, 1.0)]],
            [[(0.12, 0.2), (0.32, 0.0), (0.32, 1.0)], [(0.12, 1.0), (0.52, 1.0)]],
        ],
        2: [
            [arc(0.3, 0.27, 0.27, 0.26, -165, 20) + [(0.02, 1.0), (0.62, 1.0)]],
            [arc(0.3, 0.3, 0.28, 0.3, -170, 40) + [(0.1, 0.85), (0.02, 1.0), (0.64, 0.98)]],
        ],
        3: [
            [arc(0.28, 0.25, 0.26, 0.25, -160, 90) + arc(0.28, 0.74, 0.3, 0.26, -90, 150)],
            [[(0.02, 0.0), (0.56, 0.0), (0.22, 0.4)] + arc(0.26, 0.7, 0.32, 0.3, -95, 150)],
        ],
        4: [
            [[(0.46, 1.0), (0.46, 0.0), (0.0, 0.66), (0.64, 0.66)]],
            [[(0.1, 0.0), (0.04, 0.6), (0.64, 0.6)], [(0.48, 0.12), (0.48, 1.0)]],
        ],
        5: [
            [[(0.56, 0.0), (0.08, 0.0), (0.06, 0.46)] + arc(0.3, 0.7, 0.29, 0.29, -140, 150)],
            [[(0.08, 0.0), (0.06, 0.46)] + arc(0.3, 0.7, 0.29, 0.29, -140, 150),
             [(0.08, 0.0), (0.58, 0.0)]],
        ],
        6: [
            [arc(0.52, 0.66, 0.46, 0.66, -90, -180) + arc(0.3, 0.73, 0.25, 0.26, 180, -170)],
            [[(0.5, 0.0), (0.12, 0.45)] + arc(0.32, 0.72, 0.25, 0.27, 200, -160)],
        ],
        7: [
            [[(0.0, 0.0), (0.6, 0.0), (0.2, 1.0)]],
            [[(0.0, 0.0), (0.6, 0.0), (0.22, 1.0)], [(0.16, 0.5), (0.54, 0.5)]],
            [[(0.0, 0.08), (0.04, 0.0), (0.6, 0.0), (0.38, 0.5), (0.28, 1.0)]],
        ],
        8: [
            [arc(0.3, 0.25, 0.22, 0.24, -90, 270), arc(0.3, 0.74, 0.28, 0.26, -90, 270)],
            [arc(0.32, 0.24, 0.22, 0.24, 0, -180) + arc(0.3, 0.74, 0.28, 0.26, -90, 270)
             + arc(0.32, 0.24, 0.22, 0.24, 180, 0)],
        ],
        9: [
            [arc(0.3, 0.28, 0.27, 0.27, 0, 360), [(0.57, 0.28), (0.55, 1.0)]],
            [arc(0.3, 0.28, 0.27, 0.27, 10, 370)
             + [(0.56, 0.4), (0.5, 0.85), (0.36, 1.0), (0.12, 0.94)]],
        ],
    }


SKELETONS: dict[int, list[Skeleton]] = _skeletons()


@dataclass(frozen=True)
class Pose:
    """Where and how big a digit is drawn on the board (pixels), and its slant.

    ``height``: the skeleton's height in pixels; ``aspect`` stretches x; ``slant``:
    degrees to the right at the top (italic); ``centre``: the skeleton box's centre.
    """

    height: float
    centre: tuple[float, float]
    slant: float = 0.0
    pen: float = 14.0
    aspect: float = 1.0


def draw(skeleton: Skeleton, pose: Pose, board: int = BOARD) -> NDArray[np.float64]:
    """Render ``skeleton`` with white round strokes on a black ``board``×``board`` image.

    Returns
    -------
    ndarray of shape (board, board), float64 in [0, 1]
        Ink, 1 = white.
    """
    points = np.array([p for stroke in skeleton for p in stroke])
    x_mid = 0.5 * (points[:, 0].min() + points[:, 0].max())
    shear = np.tan(np.radians(pose.slant))
    image = QImage(board, board, QImage.Format.Format_Grayscale8)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(Qt.GlobalColor.white)
    pen.setWidthF(pose.pen)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    for stroke in skeleton:
        path = QPainterPath()
        for i, (sx, sy) in enumerate(stroke):
            u = (sx - x_mid) * pose.aspect
            v = sy - 0.5
            x = pose.centre[0] + pose.height * (u - shear * v)
            y = pose.centre[1] + pose.height * v
            if i == 0:
                path.moveTo(QPointF(x, y))
            else:
                path.lineTo(QPointF(x, y))
        painter.drawPath(path)
    painter.end()
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * board)
    return raw.reshape(board, stride)[:, :board].astype(np.float64) / 255.0


def random_pose(rng: np.random.Generator, board: int = BOARD,
                scale: tuple[float, float] = (0.40, 0.95),
                slant: tuple[float, float] = (-15.0, 15.0),
                pen: tuple[float, float] = (6.0, 28.0)) -> Pose:
    """A size (``scale`` × board), slant, pen width and a position where it fits."""
    height = rng.uniform(*scale) * board
    aspect = rng.uniform(0.85, 1.2)
    width = 0.65 * aspect * height + height * np.tan(np.radians(15.0))
    pen_width = rng.uniform(*pen)
    margin_x = min(0.5 * board, 0.5 * width + 0.5 * pen_width)
    margin_y = min(0.5 * board, 0.5 * height + 0.5 * pen_width)
    centre = (rng.uniform(margin_x, board - margin_x), rng.uniform(margin_y, board - margin_y))
    return Pose(height=height, centre=centre, slant=rng.uniform(*slant), pen=pen_width,
                aspect=aspect)


def jitter(skeleton: Skeleton, rng: np.random.Generator, amount: float = 0.03) -> Skeleton:
    """The skeleton bent a little (a hand is not a plotter): a smooth random displacement
    field (two sine waves in each direction, ``amount`` of the height at most) plus a small
    tremor on every point."""
    phase = rng.uniform(0, 2 * np.pi, size=4)
    freq = rng.uniform(0.5, 1.5, size=4)
    amp = rng.uniform(0, amount, size=4)

    def moved(x: float, y: float) -> tuple[float, float]:
        dx = amp[0] * np.sin(2 * np.pi * freq[0] * y + phase[0]) \
            + amp[1] * np.sin(2 * np.pi * freq[1] * x + phase[1])
        dy = amp[2] * np.sin(2 * np.pi * freq[2] * x + phase[2]) \
            + amp[3] * np.sin(2 * np.pi * freq[3] * y + phase[3])
        return (float(x + dx + rng.normal(0, 0.003)), float(y + dy + rng.normal(0, 0.003)))

    return [[moved(x, y) for x, y in stroke] for stroke in skeleton]


def random_drawings(n_per_digit: int, seed: int = 0, board: int = BOARD,
                    digits: Sequence[int] = tuple(range(10))
                    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """``n_per_digit`` drawings of each digit, cycling through its styles.

    Returns
    -------
    images : ndarray of shape (n, board, board), float64 in [0, 1]
    labels : ndarray of shape (n,), int64
    """
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for digit in digits:
        styles = SKELETONS[digit]
        for i in range(n_per_digit):
            skeleton = jitter(styles[i % len(styles)], rng)
            images.append(draw(skeleton, random_pose(rng, board), board))
            labels.append(digit)
    return np.stack(images), np.asarray(labels, dtype=np.int64)
