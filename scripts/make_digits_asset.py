"""Regenerate ``assets/digits.npz`` from scikit-learn's bundled copy of the UCI digits.

Usage (offline; scikit-learn ships the data inside the package)::

    .venv/bin/python scripts/make_digits_asset.py

The archive stores the 1,797 8x8 images as ``uint8`` pixel counts 0..16 (key ``pixels``,
shape (1797, 64)) and the labels as ``uint8`` 0..9 (key ``labels``, shape (1797,)).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "assets" / "digits.npz"


def main() -> int:
    """Write the compressed digits archive and print its size."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        print("scikit-learn is needed: pip install -e '.[dev]'", file=sys.stderr)
        return 1
    bunch = load_digits()
    data = np.asarray(bunch.data)
    target = np.asarray(bunch.target)
    if data.min() < 0 or data.max() > 16 or not np.array_equal(data, np.round(data)):
        print("unexpected pixel values in scikit-learn's digits", file=sys.stderr)
        return 1
    pixels = data.astype(np.uint8)
    labels = target.astype(np.uint8)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, pixels=pixels, labels=labels)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {pixels.shape[0]} images)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
