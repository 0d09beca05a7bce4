"""The student's own labelled drawings ("mine"): full-resolution ink and a label each.

Kept as uint8 ink (0 = black, 255 = white) of one board size, so a drawing can be shown,
edited and preprocessed again later. Saved as an ``.npz`` (no pickle) with
:func:`core.files.atomic_write`, so nothing drawn is lost to a crash mid-save.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.files import atomic_write

FORMAT = "ascent-lab drawings"
VERSION = 1
N_CLASSES = 10


class Drawings:
    """Labelled drawings of one size (H, W); labels are digits 0..9."""

    def __init__(self, shape: tuple[int, int] = (280, 280)) -> None:
        if len(shape) != 2 or min(shape) < 8:
            raise ValueError(f"drawings must be at least 8×8 pixels, got {shape}")
        self.shape = (int(shape[0]), int(shape[1]))
        self._ink: list[NDArray[np.uint8]] = []
        self._labels: list[int] = []

    def __len__(self) -> int:
        return len(self._labels)

    @staticmethod
    def _as_uint8(image: ArrayLike) -> NDArray[np.uint8]:
        ink = np.asarray(image)
        if ink.dtype == np.uint8:
            return ink.copy()
        ink = np.asarray(ink, dtype=np.float64)
        if not np.all(np.isfinite(ink)):
            raise ValueError("a drawing must hold finite ink values in [0, 1]")
        return np.round(np.clip(ink, 0.0, 1.0) * 255.0).astype(np.uint8)

    def insert(self, index: int, image: ArrayLike, label: int) -> None:
        """Put a drawing (ink in [0, 1], or uint8) with its label at ``index``."""
        ink = self._as_uint8(image)
        if ink.shape != self.shape:
            raise ValueError(f"a drawing of shape {ink.shape} does not fit drawings of "
                             f"shape {self.shape}")
        if not 0 <= int(label) < N_CLASSES:
            raise ValueError(f"a label must be a digit 0..9, got {label}")
        self._ink.insert(index, ink)
        self._labels.insert(index, int(label))

    def add(self, image: ArrayLike, label: int) -> int:
        """Append a drawing; returns its index."""
        self.insert(len(self), image, label)
        return len(self) - 1

    def remove(self, index: int) -> tuple[NDArray[np.uint8], int]:
        """Take a drawing out; returns its ink and label (to put it back on undo)."""
        return self._ink.pop(index), self._labels.pop(index)

    def ink(self, index: int) -> NDArray[np.float32]:
        """Drawing ``index`` as ink in [0, 1], shape (H, W)."""
        return self._ink[index].astype(np.float32) / 255.0

    @property
    def labels(self) -> NDArray[np.int64]:
        return np.asarray(self._labels, dtype=np.int64)

    def images(self) -> NDArray[np.float32]:
        """Every drawing as ink in [0, 1], shape (n, H, W)."""
        if not self._ink:
            return np.zeros((0, *self.shape), dtype=np.float32)
        return np.stack(self._ink).astype(np.float32) / 255.0

    def raw_ink(self) -> NDArray[np.uint8]:
        """Every drawing as stored, uint8 0..255, shape (n, H, W) (a copy)."""
        if not self._ink:
            return np.zeros((0, *self.shape), dtype=np.uint8)
        return np.stack(self._ink)

    def counts(self) -> NDArray[np.int64]:
        """Drawings per digit, shape (10,)."""
        return np.bincount(self.labels, minlength=N_CLASSES)[:N_CLASSES]

    # ------------------------------------------------------------------ files

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write every drawing to ``path`` (.npz), atomically."""
        ink = self.raw_ink()
        labels = self.labels

        def write(f: BinaryIO) -> None:
            np.savez_compressed(f, format=np.array(FORMAT), version=np.array(VERSION),
                                ink=ink, labels=labels)

        atomic_write(path, write)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Drawings:
        """Read drawings saved by :meth:`save`; ValueError says what is wrong."""
        name = Path(path).name
        try:
            with np.load(path, allow_pickle=False) as archive:
                if str(archive["format"]) != FORMAT:
                    raise ValueError(f"{name} is not a file of Ascent Lab drawings")
                version = int(archive["version"])
                if version > VERSION:
                    raise ValueError(f"{name} was written by a newer Ascent Lab (format "
                                     f"version {version}); update the app to open it")
                ink = np.asarray(archive["ink"])
                labels = np.asarray(archive["labels"])
        except (OSError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise ValueError(f"{name} cannot be read as drawings ({exc})") from None
        if ink.dtype != np.uint8 or ink.ndim != 3 or labels.shape != (ink.shape[0],):
            raise ValueError(f"{name} holds drawings of an unexpected shape or type")
        drawings = cls((int(ink.shape[1]), int(ink.shape[2])))
        for image, label in zip(ink, labels, strict=True):
            drawings.insert(len(drawings), image, int(label))
        return drawings
