"""From a drawing to the 64 features of the UCI 8×8 digits, so a model trained on them reads it.

The bundled digits (:func:`core.datasets.digits`) were made from 32×32 black-and-white
bitmaps of scanned handwriting by counting the on-pixels of every 4×4 block (0..16, here
divided by 16). What their normalisation did, measured on all 1,797 images
(``docs/digits.md``):

* the ink spans all 8 rows in every image: the height fills the 32 pixels;
* the digits are narrow and uniformly so: the ink spans 4.2 ± 0.55 of the 8 columns
  (measured from the column profile), a 0 4.5 ± 0.2 — too uniform for handwriting, so
  wide digits were narrowed;
* the ink's extent is centred: its middle is at column 3.95–4.26 by digit (edges 0 and 8),
  while the centre of mass moves with the shape (3.28 for a 5, 3.82 for a 9);
* the strokes are thick and the amount of ink is the same for every digit: the features
  add up to 19.5 of 64 (std 2.2), a 1 as much as an 8;
* the slant is −0.04 ± 0.12 (x per y, leaning left slightly).

A drawing (white ink, 1, on black, 0, any size) goes through the same steps, each one
small function:

1. :func:`check_image`: a 2-D array of finite numbers in [0, 1] (else a ValueError that
   says how to fix it).
2. :func:`ink_box`, :func:`crop_to_ink`: cut away the empty board, brightest ink = 1.
3. :func:`upright`: shear a strongly slanted drawing back into the UCI slant range.
4. :func:`fit_to_box`: height 32 pixels, width at most 18 (narrowed if wider), by area
   averaging (:func:`resample_area`, no aliasing of thin strokes).
5. :func:`match_stroke_density`: thicken (or thin) the strokes until the ink covers as
   much of the frame as in the UCI bitmaps, so a thin pen and a thick marker agree,
   each candidate centred by its bounding box in the 32×32 frame
   (:func:`centre_in_frame`).
6. :func:`block_average`: the mean of every 4×4 block (the UCI count / 16).
7. optionally :func:`binarize`: the lecture's 0/1 feature vector (threshold 0.5).

:func:`preprocess` returns the 64 features, :func:`preprocess_steps` every step (a
:class:`Preprocessed`, for a GUI to show), :func:`preprocess_many` a stack. An image with
no ink gives all zeros and ``Preprocessed.empty``; it is not an error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from core.digit_steps import (  # noqa: F401  (the steps are part of this module's API)
    BINARY_THRESHOLD,
    BLOCK,
    FRAME,
    GRID,
    INK_LEVEL,
    MAX_SQUEEZE,
    MAX_THICKEN,
    MAX_THIN,
    MAX_WIDTH,
    RANGE_SLACK,
    TARGET_INK,
    UCI_SLANT,
    binarize,
    block_average,
    centre_in_frame,
    crop_to_ink,
    fit_to_box,
    ink_box,
    match_stroke_density,
    resample_area,
    shear,
    slant,
    upright,
)

__all__ = [
    "BINARY_THRESHOLD",
    "BLOCK",
    "FRAME",
    "GRID",
    "INK_LEVEL",
    "MAX_WIDTH",
    "TARGET_INK",
    "UCI_SLANT",
    "Preprocessed",
    "binarize",
    "block_average",
    "centre_in_frame",
    "check_image",
    "check_images",
    "crop_to_ink",
    "fit_to_box",
    "ink_box",
    "match_stroke_density",
    "preprocess",
    "preprocess_many",
    "preprocess_steps",
    "resample_area",
    "shear",
    "slant",
    "upright",
]

FloatArray = NDArray[np.float64]

@dataclass(frozen=True)
class Preprocessed:
    """Every step of :func:`preprocess_steps`, for a GUI to show.

    Attributes
    ----------
    image : ndarray of shape (H, W)
        The validated input, float64 in [0, 1].
    box : tuple of int or None
        The ink's bounding box in ``image`` as (top, bottom, left, right), bottom and
        right exclusive; None when the image is empty.
    cropped : ndarray of shape (h, w)
        ``image[top:bottom, left:right]`` with its brightest ink scaled to 1.
    slant : float
        The drawing's slant (x per y; > 0 leans right), see :func:`slant`.
    upright : ndarray of shape (h, w')
        ``cropped`` sheared into the UCI slant range and cropped again.
    fitted : ndarray of shape (32, w''), w'' <= 18 (except for dash-like shapes)
        ``upright`` at height 32, narrowed to at most 18 pixels.
    thickening : float
        Pixels added to each side of the strokes at that scale (negative: thinned) to
        match the UCI ink density.
    bitmap : ndarray of shape (32, 32)
        The strokes normalised and centred: the UCI 32×32 bitmap.
    features8 : ndarray of shape (8, 8)
        Mean ink of every 4×4 block of ``bitmap`` (0/1 if binarized).
    features : ndarray of shape (64,)
        ``features8`` in row-major order, what a model reads.
    empty : bool
        True when the image has no ink (every array is then zeros, of shape (0, 0) for
        the intermediate images).
    """

    image: FloatArray
    box: tuple[int, int, int, int] | None
    cropped: FloatArray
    slant: float
    upright: FloatArray
    fitted: FloatArray
    thickening: float
    bitmap: FloatArray
    features8: FloatArray
    features: FloatArray
    empty: bool


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _check_range(arr: FloatArray, what: str) -> FloatArray:
    """Refuse NaN/inf and values outside [0, 1] (beyond rounding), saying how to fix it."""
    finite = np.isfinite(arr)
    if not finite.all():
        bad = int(np.count_nonzero(~finite))
        raise ValueError(f"{what} contains {bad} NaN or infinite value(s); replace them, "
                         "e.g. with np.nan_to_num(image, nan=0.0), before preprocessing")
    if arr.size:
        low, high = float(arr.min()), float(arr.max())
        if low < -RANGE_SLACK or high > 1.0 + RANGE_SLACK:
            hint = (" (8-bit pixels? divide by 255)" if high > 1.0 and high <= 255.0
                    else "")
            raise ValueError(
                f"{what} must hold ink in [0, 1] (white ink = 1 on black = 0), got values "
                f"from {low:g} to {high:g}; rescale it, e.g. image / image.max(){hint}; "
                "for dark ink on a light background use 1 - image")
        if low < 0.0 or high > 1.0:
            arr = np.clip(arr, 0.0, 1.0)
    return arr


def _as_float(image: ArrayLike, what: str) -> FloatArray:
    """``image`` as a float64 array, or ValueError if it is not numeric."""
    try:
        return np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be a numeric array, got {type(image).__name__}: "
                         f"{exc}") from None


def check_image(image: ArrayLike) -> FloatArray:
    """Validate one drawing: a 2-D array of ink in [0, 1].

    Parameters
    ----------
    image : array_like of shape (H, W)
        Ink, white = 1 on black = 0, any H, W >= 1 (bool and integer 0/1 arrays are fine).

    Returns
    -------
    ndarray of shape (H, W), float64
        A C-contiguous copy, values in [0, 1]. Values within 1e-6 outside [0, 1]
        (rounding) are clipped; anything further out is refused rather than guessed at,
        since 0..255 pixels or dark-on-light images need a different fix.

    Raises
    ------
    ValueError
        If the array is not 2-D, has no pixels, is not numeric, holds NaN or infinity, or
        values outside [0, 1]; the message says how to fix it.
    """
    arr = _as_float(image, "image")
    if arr.ndim != 2:
        hints = {3: "; for a stack of images use preprocess_many",
                 1: "; reshape it, e.g. image.reshape(8, 8) for 64 values"}
        raise ValueError(f"image must be 2-D with shape (height, width), got shape "
                         f"{arr.shape}{hints.get(arr.ndim, '')}")
    if arr.size == 0:
        raise ValueError(f"image has no pixels (shape {arr.shape}); give at least a 1×1 "
                         "array (all zeros for an empty board)")
    return np.ascontiguousarray(_check_range(arr, "image"))


def check_images(images: ArrayLike) -> FloatArray:
    """Validate a stack of drawings: shape (n, H, W), ink in [0, 1] (see :func:`check_image`).

    Returns
    -------
    ndarray of shape (n, H, W), float64

    Raises
    ------
    ValueError
        As :func:`check_image`, for a stack.
    """
    arr = _as_float(images, "images")
    if arr.ndim != 3:
        hint = "; for one image use preprocess" if arr.ndim == 2 else ""
        raise ValueError(f"images must be 3-D with shape (n_images, height, width), got "
                         f"shape {arr.shape}{hint}")
    if arr.shape[1] == 0 or arr.shape[2] == 0:
        raise ValueError(f"images have no pixels (shape {arr.shape}); each must be at least "
                         "1×1")
    return np.ascontiguousarray(_check_range(arr, "images"))


# --------------------------------------------------------------------------------------
# Everything at once
# --------------------------------------------------------------------------------------


def _empty(image: FloatArray) -> Preprocessed:
    """The result for a board with no ink: zeros everywhere, ``empty`` set."""
    nothing = np.zeros((0, 0))
    return Preprocessed(image=image, box=None, cropped=nothing, slant=0.0, upright=nothing,
                        fitted=nothing, thickening=0.0, bitmap=np.zeros((FRAME, FRAME)),
                        features8=np.zeros((GRID, GRID)), features=np.zeros(GRID * GRID),
                        empty=True)


def _steps(image: FloatArray, binary: bool) -> Preprocessed:
    """:func:`preprocess_steps` for an already validated image."""
    box = ink_box(image)
    if box is None:
        return _empty(image)
    cropped = crop_to_ink(image, box)
    straight, measured_slant = upright(cropped)
    fitted = fit_to_box(straight)
    bitmap, thickening = match_stroke_density(fitted)
    features8 = block_average(bitmap)
    if binary:
        features8 = binarize(features8)
    return Preprocessed(image=image, box=box, cropped=cropped, slant=measured_slant,
                        upright=straight, fitted=fitted, thickening=thickening,
                        bitmap=bitmap, features8=features8,
                        features=features8.reshape(-1).copy(), empty=False)


def preprocess_steps(image: ArrayLike, binarize: bool = False) -> Preprocessed:
    """Every step from a drawing to its 64 features (see the module docstring).

    Parameters
    ----------
    image : array_like of shape (H, W)
        Ink in [0, 1], white (1) on black (0), any size.
    binarize : bool
        Threshold the features at 0.5 into the lecture's 0/1 vector.

    Returns
    -------
    Preprocessed
        With ``empty`` True (and zeros) when the image has no ink above
        :data:`INK_LEVEL`.

    Raises
    ------
    ValueError
        If ``image`` is not a 2-D array of finite numbers in [0, 1] (see
        :func:`check_image`).
    """
    return _steps(check_image(image), binarize)


def preprocess(image: ArrayLike, binarize: bool = False) -> FloatArray:
    """The 64 features a model trained on the UCI digits reads, from a drawing.

    Parameters
    ----------
    image : array_like of shape (H, W)
        Ink in [0, 1], white (1) on black (0), any size (e.g. a 280×280 board).
    binarize : bool
        Threshold at 0.5 into the lecture's 0/1 feature vector.

    Returns
    -------
    ndarray of shape (64,), float64 in [0, 1]
        The 8×8 image in row-major order, like a row of :func:`core.datasets.digits`.
        All zeros for an image without ink (:func:`preprocess_steps` says ``empty``).

    Raises
    ------
    ValueError
        If ``image`` is not a 2-D array of finite numbers in [0, 1].
    """
    return preprocess_steps(image, binarize).features


def preprocess_many(images: ArrayLike, binarize: bool = False) -> FloatArray:
    """:func:`preprocess` for a stack of drawings.

    Parameters
    ----------
    images : array_like of shape (n, H, W)
        Ink in [0, 1], white on black.
    binarize : bool
        Threshold at 0.5 into 0/1 features.

    Returns
    -------
    ndarray of shape (n, 64), float64
        One row of features per image (zeros for an image without ink).

    Raises
    ------
    ValueError
        If ``images`` is not a 3-D array of finite numbers in [0, 1].
    """
    stack = check_images(images)
    out = np.zeros((stack.shape[0], GRID * GRID))
    for i, image in enumerate(stack):
        out[i] = _steps(image, binarize).features
    return out
