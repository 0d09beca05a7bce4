"""Tests for core.datasets and core.assets."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

from core import assets, datasets
from core.datasets import (
    PRESETS,
    digits,
    digits_binary,
    load_csv,
    make,
    save_csv,
    train_test_split,
)


def linear_train_accuracy(X: np.ndarray, y: np.ndarray) -> float:
    """Training accuracy of an (almost) unregularised linear classifier."""
    model = SkLogisticRegression(C=1e6, max_iter=10_000)
    return float(model.fit(X, y).score(X, y))


# ------------------------------------------------------------------------------- presets


def test_presets_is_the_immutable_list_of_names() -> None:
    assert PRESETS == ("blobs", "overlap", "xor", "circles", "moons", "spiral")
    assert isinstance(PRESETS, tuple)


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("n_samples", [2, 3, 200, 201])
def test_make_shapes_dtypes_and_balance(name: str, n_samples: int) -> None:
    X, y = make(name, n_samples=n_samples)
    assert X.shape == (n_samples, 2)
    assert X.dtype == np.float64
    assert y.shape == (n_samples,)
    assert y.dtype == np.int64
    assert set(np.unique(y).tolist()) <= {0, 1}
    assert np.sum(y == 0) == n_samples // 2
    assert np.sum(y == 1) == n_samples - n_samples // 2
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", PRESETS)
def test_make_fits_one_plot_range(name: str) -> None:
    X, _ = make(name, n_samples=1000, seed=3)
    assert np.all(np.abs(X) <= 6.5)
    assert np.all(np.abs(X.mean(axis=0)) < 1.0)  # centred on the origin
    assert X.std() > 1.0  # and spread over the plot, not squeezed near 0


@pytest.mark.parametrize("name", PRESETS)
def test_make_is_reproducible_and_seed_dependent(name: str) -> None:
    X1, y1 = make(name, seed=7)
    X2, y2 = make(name, seed=7)
    X3, _ = make(name, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", PRESETS)
def test_noise_zero_is_allowed_and_noise_changes_spread(name: str) -> None:
    X0, _ = make(name, noise=0.0)
    X1, _ = make(name, noise=2.0)
    assert np.all(np.isfinite(X0))
    assert not np.array_equal(X0, X1)


def test_blobs_are_linearly_separable() -> None:
    for seed in range(3):
        X, y = make("blobs", seed=seed)
        assert linear_train_accuracy(X, y) == 1.0


def test_overlap_is_not_linearly_separable() -> None:
    for seed in range(3):
        X, y = make("overlap", seed=seed)
        accuracy = linear_train_accuracy(X, y)
        assert 0.75 < accuracy < 1.0  # mostly right, but a line cannot get every point


@pytest.mark.parametrize("name", ["xor", "circles"])
def test_xor_and_circles_defeat_a_line(name: str) -> None:
    X, y = make(name)
    assert linear_train_accuracy(X, y) < 0.75


def test_xor_labels_follow_the_quadrants() -> None:
    X, y = make("xor", noise=0.0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(np.int64))


def test_circles_inner_class_is_inside_the_ring() -> None:
    X, y = make("circles", noise=0.0)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius[y == 0].max() < radius[y == 1].min()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "nope"}, "blobs, overlap, xor, circles, moons, spiral"),
        ({"name": "digits"}, "choose one of"),
        ({"name": "blobs", "n_samples": 1}, "n_samples"),
        ({"name": "blobs", "n_samples": 0}, "n_samples"),
        ({"name": "blobs", "n_samples": 2.5}, "n_samples"),
        ({"name": "blobs", "noise": -0.1}, "noise"),
        ({"name": "blobs", "noise": float("nan")}, "noise"),
        ({"name": "blobs", "noise": float("inf")}, "noise"),
        ({"name": "blobs", "seed": -1}, "seed"),
    ],
)
def test_make_rejects_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make(**kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- split


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.5, 0.9])
def test_split_is_stratified_disjoint_and_complete(fraction: float) -> None:
    X, y = make("moons", n_samples=201)
    ids = np.arange(len(y), dtype=np.float64)
    X_tagged = np.column_stack([X, ids])  # third column tracks which row went where
    X_train, X_test, y_train, y_test = train_test_split(X_tagged, y, fraction, seed=1)
    train_ids = X_train[:, 2].astype(int)
    test_ids = X_test[:, 2].astype(int)
    assert set(train_ids).isdisjoint(test_ids)
    assert sorted(np.concatenate([train_ids, test_ids]).tolist()) == list(range(len(y)))
    np.testing.assert_array_equal(y_train, y[train_ids])
    np.testing.assert_array_equal(y_test, y[test_ids])
    for label in (0, 1):
        n_class = np.sum(y == label)
        assert np.sum(y_test == label) == min(round(fraction * n_class), n_class - 1)


def test_split_fraction_zero_gives_empty_test_arrays() -> None:
    X, y = make("blobs", n_samples=10)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.0)
    assert X_test.shape == (0, 2)
    assert y_test.shape == (0,)
    assert X_train.shape == (10, 2)
    assert y_train.shape == (10,)
    assert X_test.dtype == X.dtype and y_test.dtype == y.dtype


def test_split_keeps_a_training_example_of_every_class() -> None:
    X = np.arange(6, dtype=np.float64).reshape(3, 2)
    y = np.array([0, 1, 1])
    X_train, _, y_train, _ = train_test_split(X, y, 0.99)
    assert set(y_train.tolist()) == {0, 1}
    assert X_train.shape == (2, 2)


def test_split_is_reproducible() -> None:
    X, y = make("spiral")
    a = train_test_split(X, y, 0.3, seed=4)
    b = train_test_split(X, y, 0.3, seed=4)
    c = train_test_split(X, y, 0.3, seed=5)
    for left, right in zip(a, b, strict=True):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5, float("nan")])
def test_split_rejects_bad_fraction(fraction: float) -> None:
    X, y = make("blobs")
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split(X, y, fraction)


def test_split_rejects_mismatched_shapes() -> None:
    X, y = make("blobs")
    with pytest.raises(ValueError, match="same number of rows"):
        train_test_split(X, y[:-1], 0.2)
    with pytest.raises(ValueError, match="2-D"):
        train_test_split(X[:, 0], y, 0.2)


# -------------------------------------------------------------------------------- digits


def test_digits_shapes_range_and_labels() -> None:
    X, y = digits()
    assert X.shape == (1797, 64)
    assert X.dtype == np.float64
    assert y.shape == (1797,)
    assert y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y).tolist()) == set(range(10))


def test_digits_equal_scikit_learns_copy() -> None:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    X, y = digits()
    np.testing.assert_array_equal(X, bunch.data / 16.0)
    np.testing.assert_array_equal(y, bunch.target)


def test_digits_asset_is_small() -> None:
    path = assets.asset_path("digits.npz")
    assert path.is_file()
    assert path.stat().st_size < 200_000


def test_digits_binary_is_zero_versus_one() -> None:
    X, y = digits_binary()
    X_all, y_all = digits()
    assert X.shape == (int(np.sum((y_all == 0) | (y_all == 1))), 64)
    np.testing.assert_array_equal(X[y == 0], X_all[y_all == 0])
    np.testing.assert_array_equal(X[y == 1], X_all[y_all == 1])
    assert y.dtype == np.int64


def test_digits_binary_relabels_other_pairs() -> None:
    X, y = digits_binary(7, 3)
    _, y_all = digits()
    assert np.sum(y == 0) == np.sum(y_all == 7)
    assert np.sum(y == 1) == np.sum(y_all == 3)


@pytest.mark.parametrize(("a", "b"), [(1, 1), (-1, 2), (0, 10)])
def test_digits_binary_rejects_bad_pairs(a: int, b: int) -> None:
    with pytest.raises(ValueError):
        digits_binary(a, b)


def test_missing_digits_asset_says_how_to_regenerate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(datasets, "asset_path", lambda name: tmp_path / name)
    with pytest.raises(FileNotFoundError, match="make_digits_asset.py"):
        digits()


# -------------------------------------------------------------------------------- assets


def test_asset_path_from_source_is_the_repo_assets_folder() -> None:
    repo = Path(__file__).resolve().parent.parent
    assert assets.asset_path("digits.npz") == repo / "assets" / "digits.npz"


def test_asset_path_when_frozen_uses_meipass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert assets.asset_path("digits.npz") == tmp_path / "assets" / "digits.npz"


@pytest.mark.parametrize("name", ["", "../secret", "/etc/passwd"])
def test_asset_path_rejects_names_outside_the_folder(name: str) -> None:
    with pytest.raises(ValueError, match="assets folder"):
        assets.asset_path(name)


# ----------------------------------------------------------------------------------- CSV


def test_csv_round_trip_is_exact(tmp_path: Path) -> None:
    X, y = make("spiral", n_samples=57, seed=2)
    path = tmp_path / "spiral.csv"
    save_csv(path, X, y)
    assert path.read_text().splitlines()[0] == "x1,x2,label"
    X2, y2 = load_csv(path)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert X2.dtype == np.float64 and y2.dtype == np.int64


def test_csv_round_trip_many_features_and_classes(tmp_path: Path) -> None:
    X, y = digits()
    path = tmp_path / "digits.csv"
    save_csv(path, X[:50], y[:50])
    X2, y2 = load_csv(str(path))
    np.testing.assert_array_equal(X[:50], X2)
    np.testing.assert_array_equal(y[:50], y2)


def test_csv_split_column_round_trip_keeps_each_points_role(tmp_path: Path) -> None:
    X, y = make("xor", n_samples=40, seed=3)
    test = datasets.split_mask(y, 0.3, 1)
    path = tmp_path / "xor.csv"
    save_csv(path, X, y, test)
    lines = path.read_text().splitlines()
    assert lines[0] == "x1,x2,label,split"
    assert {line.rsplit(",", 1)[1] for line in lines[1:]} == {"train", "test"}
    X2, y2, test2 = datasets.load_csv_split(path)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_array_equal(test, test2)
    X3, y3 = load_csv(path)  # programs that do not know the column ignore it
    np.testing.assert_array_equal(X, X3)
    np.testing.assert_array_equal(y, y3)


def test_csv_without_split_column_has_no_roles(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("x1,x2,label\n1,2,0\n3,4,1\n")
    assert datasets.load_csv_split(path)[2] is None
    path.write_text("x1,x2,label,Split\n1,2,0, TEST\n3,4,1,train\n")
    np.testing.assert_array_equal(datasets.load_csv_split(path)[2], [True, False])


@pytest.mark.parametrize("body, message", [
    ("x1,x2,label,split\n1,2,0,validation\n", "split 'validation' is neither"),
    ("x1,x2,label,split\n1,2,0\n", "expected 4 columns"),
    ("x1,x2,label,split\n1,2,0,\n", "split '' is neither"),
])
def test_csv_bad_split_cells_are_refused_with_the_line(tmp_path: Path, body: str,
                                                       message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(ValueError, match=f"bad.csv:2: {message}"):
        datasets.load_csv_split(path)


def test_save_csv_refuses_a_split_of_the_wrong_length(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="one entry per row"):
        save_csv(tmp_path / "x.csv", np.zeros((3, 2)), np.zeros(3), [True])


def test_csv_tolerates_spaces_blank_lines_and_integral_float_labels(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text("x1, x2, label\n\n1.5, -2, 0\n 3e-1,4,1.0\n\n")
    X, y = load_csv(path)
    np.testing.assert_array_equal(X, [[1.5, -2.0], [0.3, 4.0]])
    np.testing.assert_array_equal(y, [0, 1])


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("", "empty"),
        ("\n\n  \n", "empty"),
        ("a,b,c\n1,2,0\n", r":1: bad header"),
        ("x1,x2\n1,2\n", r":1: bad header"),
        ("label\n1\n", r":1: bad header"),
        ("x2,x1,label\n1,2,0\n", r":1: bad header"),
        ("x1,x2,label\n", "no data rows"),
        ("x1,x2,label\n1,2,0\n1,2\n", r":3: expected 3 columns.*got 2"),
        ("x1,x2,label\n1,2,0,4\n", r":2: expected 3 columns.*got 4"),
        ("x1,x2,label\n1,abc,0\n", r":2: column 'x2' value 'abc' is not a number"),
        ("x1,x2,label\nnan,1,0\n", r":2: .*not finite"),
        ("x1,x2,label\n1,inf,0\n", r":2: .*not finite"),
        ("x1,x2,label\n1,2,-1\n", r":2: label '-1' is not a non-negative integer"),
        ("x1,x2,label\n1,2,0.5\n", r":2: label '0.5' is not a non-negative integer"),
        ("x1,x2,label\n1,2,yes\n", r":2: label 'yes' is not a non-negative integer"),
        ("x1,x2,label\n1,2,nan\n", r":2: label 'nan'"),
        ("x1,x2,label\n1,2,\n", r":2: label ''"),
    ],
)
def test_malformed_csv_raises_a_clear_value_error(
    tmp_path: Path, content: str, match: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=match) as info:
        load_csv(path)
    assert str(path) in str(info.value)


def test_csv_reports_the_right_line_after_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("x1,label\n\n1,0\n\n2,x\n")
    with pytest.raises(ValueError, match=r"bad\.csv:5: label 'x'"):
        load_csv(path)


def test_binary_file_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x90")
    with pytest.raises(ValueError, match="UTF-8"):
        load_csv(path)


def test_missing_csv_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_csv(tmp_path / "missing.csv")


def test_directory_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="directory"):
        load_csv(tmp_path)


@pytest.mark.parametrize(
    ("X", "y", "match"),
    [
        (np.zeros((2, 2)), np.array([0, 1, 1]), "one label per row"),
        (np.zeros(2), np.array([0, 1]), "2-D"),
        (np.array([[np.nan, 1.0]]), np.array([0]), "NaN or inf"),
        (np.zeros((1, 2)), np.array([-1]), "non-negative integers"),
        (np.zeros((1, 2)), np.array([0.5]), "non-negative integers"),
        (np.zeros((0, 2)), np.zeros(0, dtype=np.int64), "empty"),
    ],
)
def test_save_csv_rejects_bad_data(
    tmp_path: Path, X: np.ndarray, y: np.ndarray, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        save_csv(tmp_path / "out.csv", X, y)


def test_a_label_column_called_y_as_in_the_lecture_is_read(tmp_path):
    path = tmp_path / "lecture.csv"
    path.write_text("x1,x2,y\n0.5,1.5,1\n-2,0.25,0\n", encoding="utf-8")
    X, y = datasets.load_csv(path)
    np.testing.assert_array_equal(X, [[0.5, 1.5], [-2.0, 0.25]])
    np.testing.assert_array_equal(y, [1, 0])
    path.write_text("x1,x2,z\n0.5,1.5,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad header"):
        datasets.load_csv(path)
