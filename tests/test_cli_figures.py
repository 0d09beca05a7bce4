"""``ascent-lab train --plot/--animate/--history-csv/--parameters-csv`` (core.cli_figures,
drawn offscreen by gui.export.headless), and the CSV and frame rules in core."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import cli, export_csv
from core.policy import build_model
from core.recording import frame_steps, record, view_range
from core.specs import ModelSpec
from core.training import GradientAscent

ROOT = Path(__file__).resolve().parent.parent


def gui_train(argv):
    """``ascent-lab train ARGS`` in-process, as gui.__main__ runs it (with the figure maker)."""
    from gui.__main__ import main

    return main(["train", *argv])


def frames_of(path):
    from PIL import Image, ImageSequence

    with Image.open(path) as gif:
        durations = [f.info.get("duration") for f in ImageSequence.Iterator(gif)]
        gif.seek(0)
        frames = [np.asarray(f.convert("RGB")) for f in ImageSequence.Iterator(gif)]
    return frames, durations


# ----------------------------------------------------------------------------- the CLI


def test_animate_makes_a_gif_of_200_xor_steps_whose_boundary_moves(tmp_path, capsys):
    gif = tmp_path / "xor.gif"
    code = gui_train(["--preset", "xor", "--model", "mlp:4", "--steps", "200",
                      "--animate", str(gif), "--frames", "50", "--figure-size", "480x240"])
    assert code == 0, capsys.readouterr().err
    frames, durations = frames_of(gif)
    assert len(frames) == 50
    assert frames[0].shape == (240, 480, 3)
    # the plane is the left half: the boundary moved between the first and last frames
    left = slice(60, 200), slice(40, 220)
    first, last = frames[0][left].astype(int), frames[-1][left].astype(int)
    assert np.abs(first - last).sum(axis=2).astype(bool).mean() > 0.2
    assert durations[0] == 50 and durations[-1] >= 1000  # 20 fps; the end is held


def test_animate_by_default_has_100_frames_spread_over_the_run(tmp_path):
    gif = tmp_path / "run.gif"
    assert gui_train(["--preset", "xor", "--model", "mlp:4", "--steps", "200",
                      "--animate", str(gif), "--figure-size", "320x180"]) == 0
    frames, _ = frames_of(gif)
    assert len(frames) == 100 and frames[0].shape == (180, 320, 3)


def test_plot_draws_the_final_boundary_beside_the_ll_curve(tmp_path):
    from PIL import Image

    png = tmp_path / "final.png"
    assert gui_train(["--preset", "xor", "--model", "mlp:4", "--steps", "200",
                      "--plot", str(png), "--figure-size", "800x400"]) == 0
    image = np.asarray(Image.open(png).convert("RGB")).astype(int)
    assert image.shape == (400, 800, 3)
    plane, curve = image[60:360, 40:380], image[60:360, 440:780]
    orange = (np.abs(plane - [245, 147, 34]).sum(axis=2) < 90).mean()
    blue = (np.abs(plane - [8, 119, 189]).sum(axis=2) < 90).mean()
    assert orange > 0.05 and blue > 0.05  # XOR learnt: both classes' regions are there
    dark = (curve.sum(axis=2) < 200).mean()
    assert 0.002 < dark < 0.2  # the LL curve is drawn on a light background


def test_subprocess_run_of_the_installed_entry_point(tmp_path):
    gif = tmp_path / "a.gif"
    result = subprocess.run(
        [sys.executable, "-m", "gui", "train", "--preset", "xor", "--model", "mlp:4",
         "--steps", "40", "--animate", str(gif), "--frames", "5", "--figure-size", "320x180"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in os.environ.items()
             if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")})
    assert result.returncode == 0, result.stderr
    assert len(frames_of(gif)[0]) == 5


@pytest.mark.parametrize("option,name,message", [
    ("--animate", "out.png", "must end in .gif"),
    ("--plot", "out.gif", "must end in .png"),
    ("--animate", "missing/out.gif", "existing folder"),
    ("--history-csv", "h.txt", "must end in .csv"),
])
def test_a_bad_path_is_refused_in_one_line_before_training(tmp_path, capsys, option, name,
                                                           message):
    code = gui_train(["--preset", "xor", "--steps", "5", option, str(tmp_path / name)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_refused(tmp_path, capsys, monkeypatch):
    from core import cli_figures

    real_access = os.access
    monkeypatch.setattr(cli_figures.os, "access",  # root may write anywhere: pretend not
                        lambda path, mode: False if mode == os.W_OK else real_access(path, mode))
    code = gui_train(["--preset", "xor", "--plot", str(tmp_path / "a.png")])
    err = capsys.readouterr().err
    assert code == 2 and "not writable" in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_without_the_gui_the_core_cli_says_figures_need_it(tmp_path, capsys):
    code = cli.main(["--preset", "xor", "--plot", str(tmp_path / "a.png")])
    err = capsys.readouterr().err
    assert code == 2 and "GUI package" in err and len(err.strip().splitlines()) == 1


def test_figures_need_data_of_the_plane(tmp_path, capsys):
    code = gui_train(["--preset", "digits01", "--plot", str(tmp_path / "a.png")])
    assert code == 2 and "2 features" in capsys.readouterr().err


def test_help_lists_the_export_options(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for option in ("--plot", "--animate", "--frames", "--fps", "--figure-size",
                   "--history-csv", "--parameters-csv"):
        assert option in out


def test_csv_options_write_the_whole_history_and_every_parameter(tmp_path, capsys):
    history, parameters = tmp_path / "h.csv", tmp_path / "p.csv"
    assert cli.main(["--preset", "xor", "--model", "mlp:4", "--steps", "30", "--json",
                     "--history-csv", str(history), "--parameters-csv", str(parameters)]) == 0
    report = json.loads(capsys.readouterr().out)
    h = export_csv.read_history_csv(history.read_text(encoding="utf-8"))
    np.testing.assert_array_equal(h["steps"], np.arange(31))
    assert h["log_likelihood"][-1] == report["log_likelihood"]
    assert np.isnan(h["test_accuracy"]).all()
    trained = [np.asarray(p) for p in report["parameters"]]
    read = export_csv.read_parameters_csv(parameters.read_text(encoding="utf-8"),
                                          [p.shape for p in trained])
    for a, b in zip(read, trained, strict=True):
        np.testing.assert_array_equal(a, b)


def test_resume_can_animate_too(tmp_path):
    session, gif = tmp_path / "run.ascent", tmp_path / "more.gif"
    assert cli.main(["--preset", "xor", "--model", "mlp:4", "--steps", "20",
                     "--save-session", str(session)]) == 0
    assert gui_train(["--resume", str(session), "--steps", "20", "--animate", str(gif),
                      "--frames", "8", "--figure-size", "320x180"]) == 0
    assert len(frames_of(gif)[0]) == 8


def test_minibatch_runs_record_enough_for_the_frames(tmp_path):
    gif = tmp_path / "mb.gif"
    assert gui_train(["--preset", "xor", "--model", "mlp:4", "--steps", "100", "--batch-size",
                      "16", "--animate", str(gif), "--frames", "11",
                      "--figure-size", "320x180"]) == 0
    assert len(frames_of(gif)[0]) == 11


# ----------------------------------------------------------------------------- core rules


def test_frame_steps_are_spread_evenly_and_keep_both_ends():
    assert frame_steps(range(201), 5) == [0, 50, 100, 150, 200]
    assert len(frame_steps(range(201), 200)) == 200
    assert frame_steps(range(10), 50) == list(range(10))
    assert frame_steps([], 5) == [] and frame_steps(range(7), 1) == [6]
    # a thinned store (every 8th step early, every step late): evenly in steps
    recorded = [*range(0, 800, 8), *range(800, 1001)]
    chosen = frame_steps(recorded, 11)
    assert chosen[0] == 0 and chosen[-1] == 1000
    assert np.all(np.abs(np.diff(chosen) - 100) <= 8)


def test_view_range_is_a_square_around_the_points():
    (x0, x1), (y0, y1) = view_range(np.array([[0.0, 0.0], [4.0, 1.0]]))
    assert x1 - x0 == pytest.approx(y1 - y0) and x0 < 0 < 4 < x1 and y0 < 0 and y1 > 1


def test_history_csv_round_trips_exactly_with_nan():
    rng = np.random.default_rng(3)
    history = {"steps": np.arange(7), "log_likelihood": rng.normal(size=7) * 1e3,
               "accuracy": rng.random(7), "test_log_likelihood": np.full(7, np.nan),
               "test_accuracy": np.full(7, np.nan), "objective": rng.normal(size=7) / 3}
    back = export_csv.read_history_csv(export_csv.history_csv(history))
    for name, values in history.items():
        np.testing.assert_array_equal(back[name], values)
    assert export_csv.history_csv(history).splitlines()[0] == ",".join(
        export_csv.HISTORY_HEADER)


def test_parameters_csv_round_trips_a_network_and_names_weights_as_the_diagram():
    spec = ModelSpec("network", n_features=2, n_classes=3, hidden_units=(4, 3), seed=5)
    model = build_model(spec)
    for p in model.parameters:
        p[...] = np.random.default_rng(1).normal(size=p.shape) / 7
    text = export_csv.parameters_csv(model.parameters, True)
    back = export_csv.read_parameters_csv(text, [p.shape for p in model.parameters])
    for a, b in zip(back, model.parameters, strict=True):
        np.testing.assert_array_equal(a, b)
    rows = export_csv.parameter_rows(model.parameters, True)
    assert rows[0].name == "θ⁽¹⁾₁,₁" and rows[1].name == "θ⁽¹⁾₁,₂"
    w2 = next(r for r in rows if r.layer == 2)
    assert w2.name == "θ⁽²⁾₁,₁" and (w2.row, w2.column) == (0, 0)
    assert any(r.name == "b⁽³⁾₃" for r in rows)


def test_parameters_csv_of_logistic_regression_is_theta():
    theta = np.array([0.1, -2.5e-17, 1 / 3])
    rows = export_csv.parameter_rows([theta], False)
    assert [r.name for r in rows] == ["θ₀", "θ₁", "θ₂"]
    back = export_csv.read_parameters_csv(export_csv.parameters_csv([theta], False), [(3,)])
    np.testing.assert_array_equal(back[0], theta)


def test_reading_a_wrong_csv_says_what_is_wrong():
    with pytest.raises(ValueError, match="first line"):
        export_csv.read_history_csv("a,b\n1,2\n")
    with pytest.raises(ValueError, match="parameters"):
        export_csv.read_parameters_csv(export_csv.parameters_csv([np.zeros(3)], False),
                                       [(4,)])


def test_a_recording_copies_the_snapshots_of_the_frames():
    from core import datasets

    X, y = datasets.make("xor", n_samples=80, seed=0)
    spec = ModelSpec("network", n_features=2, n_classes=2, hidden_units=(4,), seed=0)
    trainer = GradientAscent(build_model(spec), X, y, learning_rate=0.02)
    trainer.step(60)
    rec = record(trainer, spec, 7)
    assert rec.steps == (0, 10, 20, 30, 40, 50, 60)
    np.testing.assert_array_equal(rec.parameters[-1][0], trainer.model.parameters[0])
    assert not np.array_equal(rec.parameters[0][0], rec.parameters[-1][0])
    rec.parameters[-1][0][...] = 0  # a copy: the trainer's snapshot is untouched
    assert np.any(trainer.snapshots.restore_point(60)[1].parameters[0])
    assert len(rec.history["steps"]) == 61


def test_train_without_figures_loads_no_qt(tmp_path):
    code = ("import sys\n"
            "from gui.__main__ import main\n"
            f"assert main(['train', '--preset', 'xor', '--steps', '3', '--history-csv', "
            f"{str(tmp_path / 'h.csv')!r}]) == 0\n"
            "qt = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph')]\n"
            "assert not qt, qt\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "h.csv").exists()


def test_mp4_is_refused_in_one_line_where_its_writer_is_missing(tmp_path, capsys,
                                                                monkeypatch):
    from gui.export import headless

    monkeypatch.setattr(headless, "animation_suffixes", lambda: (".gif",))
    code = gui_train(["--preset", "xor", "--steps", "5", "--animate", str(tmp_path / "a.mp4")])
    err = capsys.readouterr().err
    assert code == 2 and "must end in .gif" in err and len(err.strip().splitlines()) == 1


def test_animate_writes_an_mp4_where_imageio_ffmpeg_is_installed(tmp_path):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    video = tmp_path / "xor.mp4"
    assert gui_train(["--preset", "xor", "--model", "mlp:4", "--steps", "60", "--animate",
                      str(video), "--frames", "12", "--figure-size", "321x181"]) == 0
    assert video.read_bytes()[4:8] == b"ftyp"
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(video))
    assert frames == 12 and seconds == pytest.approx(12 / 20, abs=0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["xor.mp4"]  # no temporary file left


def test_parameters_csv_of_a_resumed_logistic_session_saved_by_the_window(tmp_path):
    """A window's logistic session keeps ModelSpec's default hidden_units (4,), which
    logistic regression ignores: its θ is one vector, not a network's [W, b] (this used to
    end in a traceback)."""
    from core.session_file import load_session

    session, parameters = tmp_path / "run.ascent", tmp_path / "p.csv"
    assert cli.main(["--preset", "overlap", "--model", "logistic", "--steps", "5",
                     "--save-session", str(session)]) == 0
    data = load_session(session)
    data.spec = ModelSpec(kind="logistic")  # as the window saves it: hidden_units (4,)
    from core.session_file import save_session

    save_session(session, data)
    assert cli.main(["--resume", str(session), "--steps", "5",
                     "--parameters-csv", str(parameters)]) == 0
    lines = parameters.read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[3] for line in lines[1:]] == ["θ₀", "θ₁", "θ₂"]


def test_network_layout_follows_the_kind_not_the_ignored_hidden_units():
    assert not export_csv.network_layout(ModelSpec(kind="logistic"))
    assert not export_csv.network_layout(ModelSpec(kind="regression", hidden_units=()))
    assert export_csv.network_layout(ModelSpec(kind="regression", hidden_units=(3,)))
    assert export_csv.network_layout(ModelSpec(kind="network", hidden_units=()))
