"""The image steps of :func:`core.digits.preprocess`: crop, resample by area, shear upright,
fit to the UCI box, match the stroke density, centre, average 4×4 blocks. Each works on an
ink image (2-D float array, white ink = 1 on black = 0) and is one small function; the
constants are the UCI digits' measured normalisation (``docs/digits.md``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

FRAME = 32
"""Side of the UCI bitmaps in pixels; the digit's height fills it."""

BLOCK = 4
"""Side of the blocks whose ink is averaged into one feature (32 / 4 = 8)."""

GRID = FRAME // BLOCK
"""Side of the feature image: 8."""

MAX_WIDTH = 18
"""Widest a digit may be, in pixels at height 32, before its strokes are thickened; wider
ones are narrowed. 18 makes drawn digits as wide as the UCI ones once thickened (4.1 of 8
columns for the test drawings against UCI's 4.2; 4.4 without the limit)."""

MAX_SQUEEZE = 2.0
"""Most a digit is narrowed; a shape wider than that (a dash) is shrunk in height instead."""

TARGET_INK = 19.5 / 64
"""Fraction of the 32×32 frame the ink covers in the UCI digits: the features of an image
add up to 19.5 on average (median 19.6, std 2.2, the same for every digit 0–9)."""

UCI_SLANT = (-0.04, 0.06)
"""The UCI digits' mean slant (x per y, from second moments; std 0.12) and how far from
it a drawing's slant may be before :func:`upright` shears it back (half a std)."""

INK_LEVEL = 0.05
"""Ink at or below this (in [0, 1]) is no ink: it does not count for the bounding box, and
an image with nothing brighter is empty."""

RANGE_SLACK = 1e-6
"""Values this far outside [0, 1] (rounding) are clipped; further out they are refused."""

MAX_THICKEN = 12
"""Most thickening steps (1 pixel a side each, at height 32) tried for a thin pen."""

MAX_THIN = 4
"""Most thinning steps tried for a thick marker."""

BINARY_THRESHOLD = 0.5
"""A feature >= this is 1 in the lecture's 0/1 feature vector."""


# --------------------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------------------


def ink_box(image: FloatArray, level: float = INK_LEVEL) -> tuple[int, int, int, int] | None:
    """The bounding box of the ink: (top, bottom, left, right), bottom and right exclusive.

    Why: where and how big the digit was drawn must not matter; everything outside the box
    is empty board.

    Parameters
    ----------
    image : ndarray of shape (H, W), values in [0, 1]
    level : float
        Pixels with ink above this count (faint antialiasing fringes do not).

    Returns
    -------
    tuple of 4 int, or None if no pixel is above ``level``.
    """
    ink = image > level
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def crop_to_ink(image: FloatArray, box: tuple[int, int, int, int]) -> FloatArray:
    """The ``box`` of ``image`` with the brightest ink scaled to 1.

    Why: a grey pen and a white one should give the same digit.

    Returns
    -------
    ndarray of shape (bottom − top, right − left), values in [0, 1]
    """
    top, bottom, left, right = box
    crop = image[top:bottom, left:right]
    return crop / float(crop.max())


def _resample_rows(image: FloatArray, n_out: int) -> FloatArray:
    """Area-average the rows of ``image`` (n_in, m) into ``n_out`` rows.

    Output row i is the mean of the input over [i·s, (i + 1)·s), s = n_in / n_out, taken
    as a difference of the running sum C(x) = ∫₀ˣ (piecewise constant rows), which is
    exact for any s, down or up, and needs no matrix product.
    """
    n_in = image.shape[0]
    running = np.zeros((n_in + 1, image.shape[1]))
    np.cumsum(image, axis=0, out=running[1:])
    edges = np.arange(n_out + 1, dtype=np.float64) * (n_in / n_out)
    whole = np.minimum(np.floor(edges).astype(np.intp), n_in - 1)
    part = (edges - whole)[:, None]
    at_edges = running[whole] + part * image[whole]  # C(edge)
    result: FloatArray = np.diff(at_edges, axis=0) * (n_out / n_in)
    return result


def resample_area(image: FloatArray, height: int, width: int) -> FloatArray:
    """Resize by area averaging: each output pixel is the mean of the input area it covers.

    Why: plain subsampling can step over a thin stroke entirely (aliasing); the area mean
    keeps every stroke's ink, as the UCI block counts do. Upsampling repeats pixels.

    Parameters
    ----------
    image : ndarray of shape (H, W)
    height, width : int
        The output size, >= 1.

    Returns
    -------
    ndarray of shape (height, width)
    """
    return _resample_rows(_resample_rows(image, height).T, width).T


def slant(image: FloatArray) -> float:
    """The ink's slant from its second moments: −cov(x, y) / var(y), y pointing down.

    0 is upright, > 0 leans right (italics): x moves that many pixels right per pixel up.
    The UCI digits: −0.04 ± 0.12. 0 for an image without ink or with a single row.

    Parameters
    ----------
    image : ndarray of shape (h, w), ink >= 0
    """
    total = float(image.sum())
    if total <= 0:
        return 0.0
    h, w = image.shape
    rows = np.arange(h, dtype=np.float64)
    cols = np.arange(w, dtype=np.float64)
    row_mass = image.sum(axis=1)
    cy = float(row_mass @ rows) / total
    cx = float(image.sum(axis=0) @ cols) / total
    var_y = float(row_mass @ (rows - cy) ** 2) / total
    if var_y <= 0:
        return 0.0
    cov = float((rows - cy) @ image @ (cols - cx)) / total
    return -cov / var_y


def shear(image: FloatArray, amount: float) -> FloatArray:
    """Shift every row sideways: row r moves right by amount·(r − middle row).

    Linear interpolation between pixels, into an image wide enough to keep all the ink
    (the total ink is unchanged). A positive amount removes a rightward slant of that
    size (:func:`slant` falls by ``amount``).

    Parameters
    ----------
    image : ndarray of shape (h, w)
    amount : float

    Returns
    -------
    ndarray of shape (h, w + extra)
    """
    h, w = image.shape
    shifts = amount * (np.arange(h, dtype=np.float64) - (h - 1) / 2)
    offsets = shifts - np.floor(shifts.min())  # >= 0
    whole = np.floor(offsets).astype(np.intp)
    frac = (offsets - whole)[:, None]
    width = w + int(whole.max()) + 1
    first = (np.arange(h)[:, None] * width + whole[:, None] + np.arange(w)[None, :]).ravel()
    weights = np.concatenate([((1.0 - frac) * image).ravel(), (frac * image).ravel()])
    out: FloatArray = np.bincount(np.concatenate([first, first + 1]), weights=weights,
                                  minlength=h * width).astype(np.float64)
    return out.reshape(h, width)


def upright(cropped: FloatArray, slant_range: tuple[float, float] = UCI_SLANT
            ) -> tuple[FloatArray, float]:
    """Shear a drawing whose slant is far from the UCI digits' back to the edge of their
    range, and crop it to its ink again.

    Why: a drawing leaning 15° (slant ±0.27) looks unlike any UCI digit of its class (a
    leaning 6 reads as a 5); in the measured data the slant is −0.04 ± 0.12. Within
    ``mean ± tolerance`` the drawing is left alone, because part of a slant belongs to the
    shape (a 7's diagonal, a 6's stem), not to the writer.

    Parameters
    ----------
    cropped : ndarray of shape (h, w)
        From :func:`crop_to_ink`.
    slant_range : (float, float)
        The UCI mean slant and the tolerance, :data:`UCI_SLANT`.

    Returns
    -------
    image : ndarray of shape (h, w')
        Sheared (or not) and cropped to its ink.
    slant : float
        The drawing's slant before shearing.
    """
    mean, tolerance = slant_range
    measured = slant(cropped)
    excess = measured - float(np.clip(measured, mean - tolerance, mean + tolerance))
    if excess == 0.0:
        return cropped, measured
    sheared = shear(cropped, excess)
    box = ink_box(sheared)
    if box is None:  # cannot happen for a crop with ink; keep the crop
        return cropped, measured
    top, bottom, left, right = box
    return sheared[top:bottom, left:right], measured


def fit_to_box(image: FloatArray, height: int = FRAME, max_width: int = MAX_WIDTH,
               max_squeeze: float = MAX_SQUEEZE) -> FloatArray:
    """Scale ``image`` to ``height`` pixels, keeping its aspect ratio unless it would be
    wider than ``max_width``: then narrow it to ``max_width`` (by at most ``max_squeeze``;
    a shape wider still is also lowered).

    Why: the UCI digits' height fills the frame in all 1,797 images, and they are narrow
    and uniformly so (a 0 spans 4.5 ± 0.2 of 8 columns): their normalisation narrowed wide
    digits. A wide drawn 8 is otherwise read as a 9. Resampling is by area averaging
    (:func:`resample_area`): a thin stroke never falls between samples.

    Parameters
    ----------
    image : ndarray of shape (h, w)
    height, max_width : int
    max_squeeze : float

    Returns
    -------
    ndarray of shape (h', w') with h' = height and w' <= max_width, except for shapes more
    than ``max_squeeze`` times too wide (then w' = max_width and h' < height)
    """
    h, w = image.shape
    natural = w * height / h  # the width at full height
    out_h = height
    if natural > max_squeeze * max_width:
        out_h = max(1, round(height * max_squeeze * max_width / natural))
    out_w = max(1, min(round(natural), max_width))
    return resample_area(image, out_h, out_w)


def _fit_longer_side(image: FloatArray, size: int = FRAME) -> FloatArray:
    """``image`` scaled (aspect kept) so its longer side is ``size`` pixels."""
    h, w = image.shape
    scale = size / max(h, w)
    return resample_area(image, max(1, round(h * scale)), max(1, round(w * scale)))


def _shifted(padded: FloatArray, dy: int, dx: int) -> FloatArray:
    """The view of ``padded`` (padded by 1) shifted by (dy, dx), the original's shape."""
    h, w = padded.shape
    return padded[1 + dy:h - 1 + dy, 1 + dx:w - 1 + dx]


_PLUS = ((-1, 0), (1, 0), (0, -1), (0, 1))
_CORNERS = ((-1, -1), (-1, 1), (1, -1), (1, 1))


def _dilate(image: FloatArray, square: bool) -> FloatArray:
    """Grey dilation (a maximum filter, 3×3 square or plus-shaped) into an image 1 pixel
    larger on each side; alternating the two shapes grows strokes round."""
    padded = np.pad(image, 2)
    out = _shifted(padded, 0, 0).copy()
    for dy, dx in _PLUS + (_CORNERS if square else ()):
        np.maximum(out, _shifted(padded, dy, dx), out=out)
    return out


def _erode(image: FloatArray, square: bool) -> FloatArray:
    """Grey erosion (a minimum filter, 3×3 square or plus-shaped), same shape; outside
    the image counts as no ink."""
    padded = np.pad(image, 1)
    out = image.copy()
    for dy, dx in _PLUS + (_CORNERS if square else ()):
        np.minimum(out, _shifted(padded, dy, dx), out=out)
    return out


def _refit(image: FloatArray) -> FloatArray | None:
    """Crop ``image`` to its ink, scale its longer side back to :data:`FRAME` and centre it
    in the 32×32 frame (None if no ink is left)."""
    box = ink_box(image)
    if box is None:
        return None
    top, bottom, left, right = box
    return centre_in_frame(_fit_longer_side(image[top:bottom, left:right]))


def match_stroke_density(fitted: FloatArray, target: float = TARGET_INK
                         ) -> tuple[FloatArray, float]:
    """Thicken or thin the strokes until the ink covers ``target`` of the 32×32 frame.

    Why: in the UCI bitmaps the ink of every digit covers about the same part of the frame
    (19.5 of 64 cells, a 1 as much as an 8): the strokes are thick. A drawing made with a
    thin pen would otherwise give faint, thin features that a model trained on UCI
    misreads, and a thick marker would fill the loops of an 8.

    Each step dilates (grey maximum filter, alternately 3×3 and plus-shaped, so strokes
    grow round) or erodes by one pixel a side, then scales the longer side back to 32
    pixels (the thicker digit is larger) and centres it (:func:`centre_in_frame`); the two
    steps around the target are blended so the ink matches it closely.

    Parameters
    ----------
    fitted : ndarray of shape (h, w), from :func:`fit_to_box`
    target : float
        Fraction of the 32×32 frame to cover, :data:`TARGET_INK`.

    Returns
    -------
    bitmap : ndarray of shape (32, 32)
        The normalised strokes, centred in the frame (zeros if ``fitted`` has no ink).
    thickening : float
        Pixels added to each side of the strokes (negative: removed), fractional when two
        steps were blended.
    """
    want = target * FRAME * FRAME
    previous = _refit(fitted)
    if previous is None:
        return np.zeros((FRAME, FRAME)), 0.0
    previous_ink = float(previous.sum())
    thin = previous_ink > want  # a thick marker: erode; a thin pen: dilate
    limit, sign = (MAX_THIN, -1) if thin else (MAX_THICKEN, 1)
    work = fitted
    for step in range(1, limit + 1):
        square = step % 2 == 0
        work = _erode(work, square) if thin else _dilate(work, square)
        candidate = _refit(work)
        if candidate is None:  # eroded away: keep the last step that had ink
            return previous, float(sign * (step - 1))
        ink = float(candidate.sum())
        if (ink <= want) if thin else (ink >= want):
            return _blend(previous, candidate, previous_ink, ink, want, sign * (step - 1),
                          sign)
        previous, previous_ink = candidate, ink
    return previous, float(sign * limit)


def _blend(a: FloatArray, b: FloatArray, ink_a: float, ink_b: float, want: float,
           steps_a: int, sign: int) -> tuple[FloatArray, float]:
    """The weighted mean of two consecutive steps (32×32 frames) whose ink is ``want``."""
    span = ink_b - ink_a
    fraction = 0.0 if span == 0 else float(np.clip((want - ink_a) / span, 0.0, 1.0))
    return (1.0 - fraction) * a + fraction * b, steps_a + sign * fraction


def centre_in_frame(strokes: FloatArray, size: int = FRAME, by: str = "box") -> FloatArray:
    """Place ``strokes`` in a ``size``×``size`` frame, centred.

    Why: the UCI bitmaps centre the ink's bounding box. Measured on all 1,797 images, the
    middle of the ink's extent is at the frame's centre for every digit (column 3.95–4.26
    by digit, edges at 0 and 8, std 0.26), while the centre of mass moves with the shape
    (column 3.28 for a 5 to 3.82 for a 9, std 0.30): a 7's mass is in its top bar, and
    centring it by mass would push the whole 7 sideways. ``by="mass"`` centres the mass
    instead (MNIST's choice), as far as the frame allows without cutting ink.

    Parameters
    ----------
    strokes : ndarray of shape (h, w), h, w <= size
    size : int
    by : {"box", "mass"}

    Returns
    -------
    ndarray of shape (size, size)
    """
    if by not in ("box", "mass"):
        raise ValueError(f"by must be 'box' or 'mass', got {by!r}")
    h, w = strokes.shape
    frame = np.zeros((size, size))
    total = float(strokes.sum())
    if total <= 0:
        return frame
    if by == "mass":
        cy = float(strokes.sum(axis=1) @ np.arange(h)) / total
        cx = float(strokes.sum(axis=0) @ np.arange(w)) / total
    else:
        cy, cx = (h - 1) / 2, (w - 1) / 2
    centre = (size - 1) / 2
    top = int(np.clip(round(centre - cy), 0, size - h))
    left = int(np.clip(round(centre - cx), 0, size - w))
    frame[top:top + h, left:left + w] = strokes
    return frame


def block_average(bitmap: FloatArray, block: int = BLOCK) -> FloatArray:
    """The mean of every ``block``×``block`` block: UCI's on-pixel count divided by 16.

    Parameters
    ----------
    bitmap : ndarray of shape (32, 32)

    Returns
    -------
    ndarray of shape (8, 8), values in [0, 1]
    """
    rows, cols = bitmap.shape[0] // block, bitmap.shape[1] // block
    blocks = bitmap[:rows * block, :cols * block].reshape(rows, block, cols, block)
    result: FloatArray = np.clip(blocks.mean(axis=(1, 3)), 0.0, 1.0)
    return result


def binarize(features: FloatArray, threshold: float = BINARY_THRESHOLD) -> FloatArray:
    """The lecture's 0/1 feature vector: 1.0 where a feature is >= ``threshold``, else 0.0."""
    return (features >= threshold).astype(np.float64)
