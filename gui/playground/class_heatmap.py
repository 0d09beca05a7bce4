"""The boundary heatmap of more than two classes: the most likely class's colour, shaded by
its probability, as ARGB32 pixels in one numpy pass (as ``argb_images`` does for two)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from gui import style

SHADES = 256  # shades per class, white (a tie of all classes) to the class colour


class ClassShading:
    """Colours a (top probability, most likely class) pair of images."""

    def __init__(self, shades: int = SHADES) -> None:
        rgb = style.class_shade_lut(shades).reshape(-1, 3).astype(np.uint32)
        self.shades = int(shades)
        #: class k's shades at k·shades … (k + 1)·shades − 1
        self.argb_lut = (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]
                         ).astype(np.uint32)

    def pixels(self, top: NDArray[np.float32], classes: NDArray[np.int8],
               levels: tuple[float, float]) -> NDArray[np.uint32]:
        """ARGB32 pixels (H, W) of col-major images (W, H): ``top`` the most likely class's
        probability (``levels[0]`` = 1/K is white, ``levels[1]`` = 1 the full colour) and
        ``classes`` which class that is. NaN must have been ruled out by the caller."""
        low, high = levels
        n = self.shades
        scaled = np.subtract(top.T, np.float32(low), order="C")
        scaled *= np.float32(n / ((high - low) or 1.0))
        np.clip(scaled, 0, n - 1, out=scaled)
        index = scaled.astype(np.intp)
        index += classes.T.astype(np.intp) * n
        return np.take(self.argb_lut, index, mode="clip")
