"""Animation files: an animated GIF (Pillow) or an MP4 video (imageio-ffmpeg, optional).

Why these: Pillow is the Python imaging library everyone keeps up to date, a pure wheel
for every platform, and writes animated GIFs itself (per-frame palettes, frame durations,
looping) with no program outside Python. MP4 needs an H.264 encoder: imageio-ffmpeg ships
a static ffmpeg in its wheel and works offline, but adds ~70 MB, so it is the optional
extra ``video`` (``pip install 'ascent-lab[video]'``) and MP4 is offered only when it is
importable. A writer fills a temporary file beside the target and renames it at the end:
a cancelled or failed export leaves no partial file.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from core.export_csv import readable_by_all

HOLD_LAST_MS = 1500  # the last frame stays this long before the GIF loops
GIF_SUFFIX, MP4_SUFFIX = ".gif", ".mp4"


def can_write_gif() -> bool:
    return importlib.util.find_spec("PIL") is not None


def can_write_mp4() -> bool:
    return importlib.util.find_spec("imageio_ffmpeg") is not None


def animation_suffixes() -> tuple[str, ...]:
    """What an animation can be written as here: ".gif" (Pillow), ".mp4" (imageio-ffmpeg)."""
    return tuple(s for s, ok in ((GIF_SUFFIX, can_write_gif()),
                                 (MP4_SUFFIX, can_write_mp4())) if ok)


class AnimationWriter:
    """Collects frames (``add``), then ``finish`` writes the file or ``abort`` drops it."""

    def __init__(self, path: str | os.PathLike[str], fps: float) -> None:
        self.path = Path(path)
        self.fps = float(fps)
        self.frames_written = 0
        handle, name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=self.path.suffix,
                                        dir=self.path.absolute().parent)
        os.close(handle)
        self._temporary = Path(name)

    def add(self, rgb: NDArray[np.uint8]) -> None:
        """One frame, (height, width, 3) uint8; every frame of the size of the first."""
        raise NotImplementedError

    def _write(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Write the file (renamed over ``path`` once complete)."""
        try:
            self._write()
            os.replace(self._temporary, self.path)
            readable_by_all(self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Forget the frames; no file is left behind."""
        self._close()
        try:
            self._temporary.unlink()
        except OSError:
            pass

    def _close(self) -> None:
        pass


class GifWriter(AnimationWriter):
    """An animated GIF that loops: each frame quantised to its own 256 colours (no
    dithering, so the heatmap stays smooth and small), the last held for a moment."""

    def __init__(self, path: str | os.PathLike[str], fps: float) -> None:
        super().__init__(path, fps)
        self._frames: list[Any] = []

    def add(self, rgb: NDArray[np.uint8]) -> None:
        from PIL import Image

        image = Image.fromarray(np.ascontiguousarray(rgb), "RGB")
        self._frames.append(image.quantize(256, method=Image.Quantize.FASTOCTREE,
                                           dither=Image.Dither.NONE))
        self.frames_written += 1

    def _write(self) -> None:
        if not self._frames:
            raise ValueError("an animation needs at least one frame")
        frame_ms = max(20, int(round(1000.0 / self.fps / 10.0)) * 10)  # GIF: centiseconds
        durations = [frame_ms] * len(self._frames)
        durations[-1] = max(frame_ms, HOLD_LAST_MS)
        first, rest = self._frames[0], self._frames[1:]
        first.save(self._temporary, format="GIF", save_all=True, append_images=rest,
                   duration=durations, loop=0, disposal=1, optimize=False)
        self._frames = []

    def _close(self) -> None:
        self._frames = []


class Mp4Writer(AnimationWriter):
    """An H.264 MP4 (yuv420p, which every player shows) through imageio-ffmpeg's ffmpeg."""

    def __init__(self, path: str | os.PathLike[str], fps: float) -> None:
        super().__init__(path, fps)
        self._encoder: Any = None
        self._size: tuple[int, int] | None = None

    def add(self, rgb: NDArray[np.uint8]) -> None:
        # by name: an optional extra the desktop bundle leaves out (packaging/bundle_rules)
        imageio_ffmpeg = importlib.import_module("imageio_ffmpeg")
        height, width = rgb.shape[0] // 2 * 2, rgb.shape[1] // 2 * 2  # yuv420p: even sides
        if self._encoder is None:
            self._size = (width, height)
            self._encoder = imageio_ffmpeg.write_frames(
                str(self._temporary), self._size, fps=self.fps, codec="libx264",
                pix_fmt_in="rgb24", pix_fmt_out="yuv420p", macro_block_size=1, quality=7,
                ffmpeg_log_level="error", output_params=["-f", "mp4"])
            self._encoder.send(None)
        self._encoder.send(np.ascontiguousarray(rgb[:height, :width]).tobytes())
        self.frames_written += 1

    def _write(self) -> None:
        if self._encoder is None:
            raise ValueError("an animation needs at least one frame")
        self._encoder.close()
        self._encoder = None

    def _close(self) -> None:
        if self._encoder is not None:
            try:
                self._encoder.close()
            except Exception:  # noqa: BLE001 - dropping the file anyway
                pass
            self._encoder = None


def open_writer(path: str | os.PathLike[str], fps: float) -> AnimationWriter:
    """The writer for ``path``'s suffix (.gif or .mp4); ValueError for another."""
    suffix = Path(path).suffix.lower()
    if suffix == GIF_SUFFIX and can_write_gif():
        return GifWriter(path, fps)
    if suffix == MP4_SUFFIX and can_write_mp4():
        return Mp4Writer(path, fps)
    choices = " or ".join(animation_suffixes()) or "nothing (install Pillow)"
    raise ValueError(f"an animation is written as {choices}, not {suffix or 'no suffix'}")


__all__ = ["AnimationWriter", "GifWriter", "Mp4Writer", "animation_suffixes", "can_write_gif",
           "can_write_mp4", "open_writer"]
