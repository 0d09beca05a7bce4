"""core.digits: drawings become UCI-like 8×8 features that the default digits model reads.

The drawings are made like a person makes them with a mouse (tests/drawn_digits.py:
QPainter strokes on a 280×280 QImage, offscreen), and read by the default digits model,
trained once per module exactly as ``ascent-lab train --preset digits --model mlp:32``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from core import cli, datasets, digits
from core.model_io import load_model
from core.policy import Model, digits_defaults
from core.specs import ModelSpec
from tests import drawn_digits as dd

UCI_NEAREST_NEIGHBOUR = 1.03
"""Median L2 distance from a UCI digit's features to its nearest other UCI digit (measured
on 300 images): the scale of "the same picture, slightly different"."""


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Model]:
    """The default digits model, trained by the CLI's code path and saved: its JSON report
    and the model read back from the file."""
    path = tmp_path_factory.mktemp("model") / "digits.npz"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["--preset", "digits", "--model", "mlp:32", "--json",
                           "--save-model", str(path)])
    assert status == 0
    model, spec = load_model(path)
    assert spec == ModelSpec("network", n_features=64, n_classes=10, hidden_units=(32,))
    return json.loads(out.getvalue()), model


@pytest.fixture(scope="module")
def default_model(default_run: tuple[dict[str, Any], Model]) -> Model:
    return default_run[1]


def board(skeleton: dd.Skeleton, height: float = 200.0, centre: tuple[float, float] = (140, 140),
          pen: float = 14.0, slant: float = 0.0) -> np.ndarray:
    """One drawing on the 280×280 board."""
    return dd.draw(skeleton, dd.Pose(height=height, centre=centre, slant=slant, pen=pen))


# ------------------------------------------------------------------ the default model


def test_default_model_reaches_97_5_percent_on_the_test_split(
        default_run: tuple[dict[str, Any], Model]) -> None:
    report, _ = default_run
    assert report["n_test"] == 450
    assert report["test_accuracy"] >= 0.975, report["test_accuracy"]
    assert report["diverged"] is False


def test_the_cli_trains_with_the_policy_digits_defaults(
        default_run: tuple[dict[str, Any], Model]) -> None:
    report, _ = default_run
    X, y = datasets.digits()
    X_train, _, _, _ = datasets.train_test_split(X, y, 0.25, seed=0)
    spec = ModelSpec("network", n_features=64, n_classes=10, hidden_units=(32,))
    defaults = digits_defaults(spec, X_train)
    settings = defaults.settings
    assert report["learning_rate"] == settings.learning_rate
    assert report["batch_size"] == settings.batch_size == 16
    assert report["average"] is settings.average is True
    assert report["momentum"] == settings.momentum == 0.95
    assert report["steps"] == defaults.steps == settings.max_steps == 30 * 1347 // 16


def test_digits01_logistic_regression_keeps_the_lecture_defaults_and_is_perfect(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--preset", "digits01", "--model", "logistic", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["test_accuracy"] == 1.0
    assert report["batch_size"] is None and report["average"] is False
    assert report["momentum"] == 0.0 and report["steps"] == 1000


# ------------------------------------------------------------------ drawn digits


def test_mouse_drawn_digits_are_read_right_85_percent_of_the_time(
        qapp: Any, default_model: Model) -> None:
    """The product requirement: 300 drawings (30 of each digit, every style of writing it,
    40–95 % of the board, anywhere on it, slanted ±15°, pens of 6–28 px)."""
    images, labels = dd.random_drawings(30, seed=2024)
    predicted = default_model.predict(digits.preprocess_many(images))
    per_class = {d: float(np.mean(predicted[labels == d] == d)) for d in range(10)}
    accuracy = float(np.mean(predicted == labels))
    assert len(labels) >= 200
    assert accuracy >= 0.85, f"{accuracy:.3f} per class {per_class}"


@pytest.mark.parametrize(("digit", "style"), [(1, 0), (1, 1), (0, 0), (0, 1)])
def test_a_qpainter_one_and_zero_are_read_right(qapp: Any, default_model: Model, digit: int,
                                                 style: int) -> None:
    image = board(dd.SKELETONS[digit][style], height=180, centre=(150, 130), pen=16)
    assert int(default_model.predict(digits.preprocess(image)[None])[0]) == digit


def _every_style() -> list[tuple[int, int]]:
    return [(d, s) for d in range(10) for s in range(len(dd.SKELETONS[d]))]


def test_a_shifted_digit_gives_the_same_features(qapp: Any, default_model: Model) -> None:
    """Moving a drawing around the board changes nothing but antialiasing and which pixel
    the bounding box starts on: under half the typical gap between two UCI digits."""
    for digit, style in _every_style():
        skeleton = dd.SKELETONS[digit][style]
        centred = digits.preprocess(board(skeleton))
        moved = digits.preprocess(board(skeleton, centre=(97.3, 121.6)))
        assert np.linalg.norm(moved - centred) <= UCI_NEAREST_NEIGHBOUR / 2, (digit, style)
        assert np.array_equal(default_model.predict(np.stack([centred, moved])),
                              default_model.predict(np.stack([centred, centred])))


@pytest.mark.parametrize("change", ["smaller", "thin pen", "thick pen"])
def test_size_and_pen_barely_change_the_features(qapp: Any, change: str) -> None:
    """A digit drawn 40 % smaller (pen scaled with it), or with a 6 px or 24 px pen
    instead of 14 px, lands within the median distance between a UCI digit and its
    nearest neighbour (1.03), and on average within half of it."""
    distances = []
    for digit, style in _every_style():
        skeleton = dd.SKELETONS[digit][style]
        reference = digits.preprocess(board(skeleton))
        if change == "smaller":
            other = digits.preprocess(board(skeleton, height=120, pen=8.4))
        else:
            other = digits.preprocess(board(skeleton, pen=6 if change == "thin pen" else 24))
        distances.append(float(np.linalg.norm(other - reference)))
        assert distances[-1] <= UCI_NEAREST_NEIGHBOUR, (digit, style, distances[-1])
    assert np.mean(distances) <= UCI_NEAREST_NEIGHBOUR / 2


def test_features_look_like_the_uci_digits(qapp: Any) -> None:
    """Height fills the 8 rows, the ink adds up to the UCI's 19.5, the values stay in [0, 1]."""
    images, _ = dd.random_drawings(3, seed=7)
    features = digits.preprocess_many(images)
    assert features.shape == (30, 64)
    assert features.min() >= 0.0 and features.max() <= 1.0
    np.testing.assert_allclose(features.sum(axis=1), 19.5, atol=0.6)
    rows = features.reshape(-1, 8, 8).max(axis=2)
    assert np.all(rows[:, 0] > 0) and np.all(rows[:, -1] > 0)


# ------------------------------------------------------------------ the steps


def test_preprocess_steps_exposes_every_stage(qapp: Any) -> None:
    image = board(dd.SKELETONS[4][0], height=150, centre=(100, 160), slant=12)
    steps = digits.preprocess_steps(image)
    assert not steps.empty
    top, bottom, left, right = steps.box
    assert steps.cropped.shape == (bottom - top, right - left)
    assert steps.cropped.max() == 1.0
    assert steps.fitted.shape[0] == digits.FRAME and steps.fitted.shape[1] <= digits.MAX_WIDTH
    assert steps.slant > 0.1  # drawn leaning right; upright() sheared it back
    assert abs(digits.slant(steps.upright)) < abs(steps.slant)
    assert steps.bitmap.shape == (32, 32)
    assert steps.features8.shape == (8, 8)
    np.testing.assert_array_equal(steps.features, steps.features8.ravel())
    np.testing.assert_array_equal(steps.features, digits.preprocess(image))


def test_binarize_gives_the_lectures_zero_one_vector(qapp: Any) -> None:
    image = board(dd.SKELETONS[0][0])
    grey = digits.preprocess(image)
    binary = digits.preprocess(image, binarize=True)
    assert set(np.unique(binary)) <= {0.0, 1.0}
    np.testing.assert_array_equal(binary, (grey >= 0.5).astype(float))


def test_resample_area_keeps_the_mean_and_averages_blocks() -> None:
    rng = np.random.default_rng(0)
    image = rng.random((280, 200))
    for shape in ((32, 23), (7, 300), (1, 1), (280, 200)):
        out = digits.resample_area(image, *shape)
        assert out.shape == shape
        assert out.mean() == pytest.approx(image.mean(), rel=1e-12)
    np.testing.assert_allclose(digits.resample_area(image[:32, :32], 8, 8),
                               image[:32, :32].reshape(8, 4, 8, 4).mean(axis=(1, 3)),
                               atol=1e-14)


def test_a_one_pixel_stroke_is_never_lost_when_downsampling() -> None:
    image = np.zeros((280, 280))
    image[:, 141] = 1.0  # thinner than the 280/32 = 8.75 px of one output pixel
    out = digits.resample_area(image, 32, 32)
    assert out.sum() == pytest.approx(image.sum() / (280 * 280 / (32 * 32)))
    assert np.count_nonzero(out.max(axis=0)) == 1


def test_shear_keeps_the_ink_and_removes_the_slant() -> None:
    image = np.zeros((60, 60))
    rows = np.arange(60)
    image[rows, (20 + 0.3 * (59 - rows)).astype(int)] = 1.0  # leaning right
    slant = digits.slant(image)
    assert slant == pytest.approx(0.3, abs=0.02)
    sheared = digits.shear(image, slant)
    assert sheared.sum() == pytest.approx(image.sum())
    assert digits.slant(sheared) == pytest.approx(0.0, abs=1e-9)


def test_centre_in_frame_centres_the_box_or_the_mass() -> None:
    strokes = np.zeros((32, 10))
    strokes[:, 0] = 1.0  # all the mass on the left edge
    by_box = digits.centre_in_frame(strokes)
    columns = np.flatnonzero(by_box.any(axis=0))
    assert columns[0] == 11  # the 10 columns span 11..20, centred on 15.5
    by_mass = digits.centre_in_frame(strokes, by="mass")
    assert np.flatnonzero(by_mass.any(axis=0))[0] == 16
    with pytest.raises(ValueError, match="'box' or 'mass'"):
        digits.centre_in_frame(strokes, by="middle")


# ------------------------------------------------------------------ edge cases and input checks


@pytest.mark.parametrize("shape", [(280, 280), (1, 1), (3, 500)])
def test_an_empty_board_gives_zeros_and_a_flag_without_warnings(shape: tuple[int, int]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        steps = digits.preprocess_steps(np.zeros(shape))
        features = digits.preprocess(np.zeros(shape))
    assert steps.empty and steps.box is None
    np.testing.assert_array_equal(features, np.zeros(64))
    np.testing.assert_array_equal(steps.bitmap, np.zeros((32, 32)))


def test_ink_below_the_level_is_no_ink() -> None:
    faint = np.full((50, 50), digits.INK_LEVEL)
    assert digits.preprocess_steps(faint).empty


@pytest.mark.parametrize("image", [np.ones((280, 280)), np.ones((1, 1)), np.eye(40),
                                   np.ones((2, 400)), np.ones((400, 2)),
                                   np.pad(np.ones((1, 1)), 100)])
def test_odd_drawings_give_valid_features_without_warnings(image: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        features = digits.preprocess(image)
    assert features.shape == (64,)
    assert np.all(np.isfinite(features)) and features.min() >= 0 and features.max() <= 1
    assert features.sum() > 0


def test_grey_ink_and_booleans_are_accepted() -> None:
    image = np.zeros((100, 100))
    image[20:80, 45:55] = 1.0
    np.testing.assert_allclose(digits.preprocess(0.5 * image), digits.preprocess(image))
    np.testing.assert_allclose(digits.preprocess(image.astype(bool)), digits.preprocess(image))


def test_rounding_just_outside_the_range_is_clipped() -> None:
    image = np.zeros((40, 40))
    image[10:30, 18:22] = 1.0 + 1e-9
    image[0, 0] = -1e-9
    np.testing.assert_array_equal(digits.preprocess(image),
                                  digits.preprocess(np.clip(image, 0, 1)))


@pytest.mark.parametrize(("image", "needles"), [
    (np.zeros(64), ["2-D", "reshape"]),
    (np.zeros((2, 8, 8)), ["2-D", "preprocess_many"]),
    (np.zeros((0, 5)), ["no pixels"]),
    (np.full((5, 5), np.nan), ["NaN", "nan_to_num"]),
    (np.full((5, 5), np.inf), ["NaN or infinite"]),
    (np.full((5, 5), 255.0), ["[0, 1]", "divide by 255"]),
    (np.full((5, 5), -0.5), ["[0, 1]", "1 - image"]),
    ([["a", "b"]], ["numeric"]),
])
def test_bad_images_are_refused_with_a_fix(image: Any, needles: list[str]) -> None:
    with pytest.raises(ValueError) as info:
        digits.preprocess(image)
    for needle in needles:
        assert needle in str(info.value)


def test_preprocess_many_checks_and_stacks() -> None:
    stack = np.zeros((3, 20, 30))
    stack[1, 5:15, 10:14] = 1.0
    features = digits.preprocess_many(stack, binarize=True)
    assert features.shape == (3, 64)
    assert features[0].sum() == 0 and features[1].sum() > 0
    assert digits.preprocess_many(np.zeros((0, 10, 10))).shape == (0, 64)
    with pytest.raises(ValueError, match="3-D"):
        digits.preprocess_many(np.zeros((20, 30)))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        digits.preprocess_many(stack * 2)


def test_importing_digits_keeps_core_free_of_qt() -> None:
    source = Path(digits.__file__).read_text(encoding="utf-8")
    assert "PySide6" not in source and "import gui" not in source
