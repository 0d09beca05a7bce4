"""Locate files shipped in the ``assets/`` folder, from source or from a PyInstaller bundle.

Every lookup of a bundled data file goes through :func:`asset_path`, so there is exactly
one place that knows where the folder lives.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["asset_dir", "asset_path"]


def asset_dir() -> Path:
    """Return the folder that holds the bundled assets.

    Returns
    -------
    pathlib.Path
        ``<sys._MEIPASS>/assets`` when running frozen by PyInstaller, otherwise
        ``<repo>/assets`` (the folder next to the ``core`` package).
    """
    if getattr(sys, "frozen", False):
        bundle = getattr(sys, "_MEIPASS", None)
        if bundle is not None:
            return Path(bundle) / "assets"
        # Frozen without _MEIPASS (e.g. another freezer): assets sit beside the executable.
        return Path(sys.executable).resolve().parent / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def asset_path(name: str) -> Path:
    """Return the path of the bundled asset ``name``.

    The file is not required to exist; callers decide what to do when it is missing.

    Parameters
    ----------
    name : str
        File name relative to the assets folder, e.g. ``"digits.npz"``.

    Returns
    -------
    pathlib.Path
        Absolute path of the asset.

    Raises
    ------
    ValueError
        If ``name`` is empty, absolute, or climbs out of the assets folder with ``..``.
    """
    relative = Path(name)
    if not name or relative.is_absolute() or ".." in relative.parts:
        raise ValueError(
            f"asset name must be a relative path inside the assets folder, got {name!r}"
        )
    return asset_dir() / relative
