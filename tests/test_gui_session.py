"""The playground's non-GUI logic: core.playground and the Session without any widget."""

from __future__ import annotations

import numpy as np
import pytest

from core import DivergenceError, GradientAscent, LogisticRegression, NeuralNetwork, datasets
from core import playground as pgm
from core.grid import evaluate_grid

# --------------------------------------------------------------------------- core.playground


@pytest.mark.parametrize("preset", datasets.PRESETS)
@pytest.mark.parametrize("model", ["logistic", "sigmoid", "tanh", "relu", "tanh×6"])
def test_default_learning_rate_converges_on_every_preset(preset, model):
    """The default η (lecture's sum gradient, 20 % test split) never diverges."""
    X, y = datasets.make(preset, 200)
    train = ~pgm.split_mask(y, 0.2, 0)
    X, y = X[train], y[train]
    if model == "logistic":
        net = LogisticRegression(2)
        eta = pgm.default_learning_rate("logistic", len(y), X=X)
    else:
        activation, _, depth = model.partition("×")
        hidden = (8,) * int(depth) if depth else (4,)
        net = NeuralNetwork(2, hidden, activation, seed=0)
        eta = pgm.default_learning_rate("network", len(y), activation=activation,
                                        depth=len(hidden))
    trainer = GradientAscent(net, X, y, eta)
    start = trainer.log_likelihood
    try:
        trainer.step(300)
    except DivergenceError as exc:  # pragma: no cover - the failure we guard against
        pytest.fail(f"{preset}/{model}: default η = {eta:g} diverged: {exc}")
    assert trainer.log_likelihood > start
    assert all(np.all(np.isfinite(p)) for p in net.parameters)
    if model == "logistic":  # η = 1/L: LL climbs at every single step
        assert np.all(np.diff(trainer.history.log_likelihood) >= -1e-9)


def test_default_learning_rate_shrinks_with_n_for_the_sum_but_not_the_mean():
    X, _ = datasets.make("overlap", 200)
    X4 = np.vstack([X] * 4)
    eta, eta4 = (pgm.default_learning_rate("logistic", len(a), X=a) for a in (X, X4))
    assert eta4 == pytest.approx(eta / 4)
    assert pgm.default_learning_rate("logistic", 800, average=True, X=X4) == \
        pytest.approx(800 * eta4)
    assert pgm.default_learning_rate("network", 200) == pytest.approx(2 / 200)
    assert pgm.default_learning_rate("network", 200, depth=4) == pytest.approx(0.5 / 200)
    assert pgm.default_learning_rate("network", 100, activation="relu") < \
        pgm.default_learning_rate("network", 100, activation="tanh")


def test_ll_change_below():
    assert not pgm.ll_change_below([-10.0], 1.0)
    assert pgm.ll_change_below([-10.0, -9.9999], 1e-3)
    assert not pgm.ll_change_below([-10.0, -9.0], 1e-3)
    assert not pgm.ll_change_below([-10.0, float("nan")], 1e-3)


def test_point_readout_is_the_models_forward_pass():
    net = NeuralNetwork(2, (3, 2), "tanh", seed=1)
    r = pgm.point_readout(net, (0.5, -1.0))
    acts = net.forward(np.array([[0.5, -1.0]]))
    assert r.probability == pytest.approx(acts[-1][0, 0])
    assert len(r.hidden) == 2
    np.testing.assert_allclose(r.hidden[0], acts[1][0])
    logistic = LogisticRegression(2)
    logistic.theta = [0.5, 1.0, -2.0]
    assert pgm.point_readout(logistic, (1.0, 1.0)).probability == pytest.approx(
        float(logistic.predict_proba([[1.0, 1.0]])[0]))


def test_unit_images_cover_every_layer_with_levels():
    net = NeuralNetwork(2, (5, 3), "relu", seed=0)
    images = pgm.unit_images(net, (-6, 6), (-4, 4), 16)
    assert [im.shape for im in images.images] == [(2, 16, 16), (5, 16, 16), (3, 16, 16),
                                                   (1, 16, 16)]
    assert all(im.dtype == np.float32 for im in images.images)
    assert images.images[0][0, 0, 0] == pytest.approx(-6) and images.images[0][0, -1, 0] == 6
    assert images.images[0][1, 0, 0] == pytest.approx(-4) and images.images[0][1, 0, -1] == 4
    assert images.levels[-1] == (0.0, 1.0) and images.levels[1][0] == 0.0
    grid = evaluate_grid(net, (-6, 6), (-4, 4), 16)
    np.testing.assert_allclose(images.images[-1][0], grid.probability)
    logistic = pgm.unit_images(LogisticRegression(2), (-1, 1), (-1, 1), 8)
    assert len(logistic.images) == 2 and logistic.levels[1] == (0.0, 1.0)


def test_layer_views_of_logistic_regression():
    m = LogisticRegression(2)
    m.theta = [1.0, 3.0, -4.0]
    assert pgm.layer_sizes(m) == (2, 1)
    np.testing.assert_array_equal(pgm.layer_weights(m)[0], [[3.0], [-4.0]])
    assert pgm.weight_norms(m) == [pytest.approx(5.0)]
    assert pgm.parameter_count(m) == (2, 1)
    net = NeuralNetwork(2, (4,), seed=0)
    assert pgm.parameter_count(net) == (12, 5)


def test_points_within_and_split_mask():
    X = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 3.0]])
    np.testing.assert_array_equal(pgm.points_within(X, (0.1, 0.0), 1.0), [True, True, False])
    y = np.array([0] * 50 + [1] * 50)
    mask = pgm.split_mask(y, 0.2, 0)
    assert mask.sum() == 20 and mask[y == 0].sum() == 10
    assert not pgm.split_mask(y, 0.0, 0).any()


def test_contour_segments_follow_the_logistic_boundary_line():
    m = LogisticRegression(2)
    m.theta = [0.5, 1.0, -2.0]  # boundary: 0.5 + x1 - 2 x2 = 0
    grid = evaluate_grid(m, (-5, 5), (-5, 5), 101)
    xs, ys = pgm.contour_segments(grid.probability, 0.5, (-5, 5), (-5, 5))
    assert len(xs) > 50 and len(xs) % 2 == 0
    np.testing.assert_allclose(0.5 + xs - 2 * ys, 0.0, atol=0.02)
    flat = np.full((10, 10), 0.5, dtype=np.float32)
    assert pgm.contour_segments(flat, 0.5, (0, 1), (0, 1))[0].size == 0


def test_contour_segments_of_a_circle_close_up():
    xs = np.linspace(-2, 2, 81)
    values = xs[:, None] ** 2 + xs[None, :] ** 2
    cx, cy = pgm.contour_segments(values, 1.0, (-2, 2), (-2, 2))
    np.testing.assert_allclose(np.hypot(cx, cy), 1.0, atol=0.01)


# --------------------------------------------------------------------------- Session


@pytest.fixture
def session(qapp):
    from gui.session import Session

    s = Session(start_worker=False)
    s.load_preset("overlap", 100, None, 0)
    yield s
    s.shutdown()


def test_session_step_is_the_core_update(session):
    X, y = session.data.train
    eta = session.learning_rate
    assert eta == pytest.approx(pgm.default_learning_rate("logistic", len(y), X=X))
    session.step(3)
    session.process_pending()
    reference = LogisticRegression(2)
    GradientAscent(reference, X, y, eta).step(3)
    np.testing.assert_array_equal(session.parameters_copy()[0], reference.theta)
    frame = session.take_frame_now()
    assert frame.step == 3 and frame.history_length == 4
    np.testing.assert_array_equal(frame.parameters[0], reference.theta)
    assert not frame.parameters[0].flags.writeable  # frames are immutable


def test_session_undo_redo_and_clean_state(session):
    n = len(session.data)
    assert session.undo_stack.isClean()
    session.add_point(1.0, 2.0, 0)
    session.add_point(-1.0, 0.5)
    assert len(session.data) == n + 2 and session.data.y[-1] == session.active_class
    assert not session.undo_stack.isClean()
    session.undo_stack.undo()
    assert len(session.data) == n + 1
    session.undo_stack.redo()
    assert len(session.data) == n + 2
    np.testing.assert_array_equal(session.data.X[-2], [1.0, 2.0])


def test_session_stroke_is_one_undo_step(session):
    n, commands = len(session.data), session.undo_stack.count()
    session.begin_stroke()
    for x in np.linspace(-3, 3, 7):
        session.stroke_add(float(x), 5.0, 1)
    session.end_stroke()
    assert len(session.data) == n + 7
    assert session.undo_stack.count() == commands + 1
    session.undo_stack.undo()
    assert len(session.data) == n


def test_session_erase_and_untrainable_data(session):
    messages = []
    session.message.connect(lambda level, text: messages.append((level, text)))
    session.clear_points()
    ok, reason = session.trainable()
    assert not ok and "both classes" in reason
    assert session.trainer is None
    session.step(1)
    assert messages and "both classes" in messages[-1][1]
    session.add_point(0.0, 0.0, 0)
    assert not session.trainable()[0]
    session.add_point(1.0, 1.0, 1)
    assert session.trainable()[0]
    assert session.erase_near(0.05, 0.0, 0.2) == 1
    assert len(session.data) == 1


def test_session_divergence_keeps_finite_parameters(session):
    messages = []
    session.message.connect(lambda level, text: messages.append((level, text)))
    session.step(5)
    session.process_pending()
    session.set_learning_rate(1e6)
    session.step(10)
    session.process_pending()
    session.take_frame_now()
    assert any(level == "error" and "diverged" in text for level, text in messages)
    assert all(np.all(np.isfinite(p)) for p in session.parameters_copy())


def test_session_rewind_restores_the_snapshot(session):
    session.step(20)
    session.process_pending()
    with session.lock:
        _, saved = session.trainer.snapshots.at_or_before(7)
        saved = [p.copy() for p in saved]
    assert session.rewind(7) == 7
    np.testing.assert_array_equal(session.parameters_copy()[0], saved[0])
    frame = session.take_frame_now()
    assert frame.step == 7 and frame.history["steps"][-1] == 7


def test_session_network_frame_has_every_layer(session):
    from gui.session import ModelConfig

    session.set_model_config(ModelConfig(kind="network", hidden=(3, 2), activation="tanh"))
    frame = session.take_frame_now()
    assert frame.layer_sizes == (2, 3, 2, 1)
    assert [w.shape for w in frame.weights] == [(2, 3), (3, 2), (2, 1)]
    assert [im.shape[0] for im in frame.unit_images] == [2, 3, 2, 1]
    assert frame.unit_levels[1] == (-1.0, 1.0)
    assert frame.boundary is not None and frame.boundary.image.shape == (200, 200)
    assert frame.boundary.image.dtype == np.float32
    session.set_display_unit((1, 2))
    frame = session.take_frame_now()
    assert frame.boundary.unit == (1, 2)
    assert frame.boundary.levels == (-1.0, 1.0)
    assert len(frame.train_predictions) == len(session.data.train[1])


def test_session_learning_rate_follows_n_until_set_by_hand(session):
    session.load_preset("blobs", 400, None, 0)
    first = session.learning_rate
    session.load_preset("blobs", 800, None, 0)
    assert session.learning_rate == pytest.approx(first / 2, rel=0.1)
    session.set_learning_rate(0.5)
    session.load_preset("blobs", 100, None, 0)
    assert session.learning_rate == 0.5 and not session.learning_rate_auto
    session.use_suggested_learning_rate()
    assert session.learning_rate == pytest.approx(session.suggested_learning_rate())
    assert session.learning_rate_auto
    with pytest.raises(ValueError):
        session.set_learning_rate(float("nan"))


def test_settings_and_pause_do_not_wait_for_a_running_step(qapp):
    """A training step can take hundreds of ms (a deep network on 100,000 points): Pause,
    η, the view range and the other settings must not wait for it; an edit that replaces
    the trainer waits, and the step's result is then thrown away, not applied on top."""
    import threading

    from gui.session import Session

    s = Session(train_process=False)  # the step is held open here, in the worker thread
    try:
        s.load_preset("overlap", 100, None, 0)
        with s.lock:
            trainer = s.trainer
        inside, release = threading.Event(), threading.Event()
        real_step = trainer.step

        def held_step(n: int = 1) -> float:
            inside.set()
            assert release.wait(10), "the test never released the step"
            return real_step(n)

        trainer.step = held_step
        s.run()
        assert inside.wait(10), "the worker never started a step"
        # all of these return while the step is still held open
        s.pause()
        s.set_learning_rate(0.5)
        s.set_view_range((-3, 3), (-2, 2))
        s.set_speed(None)
        s.request_frame()
        assert not s.running and not s.is_busy()
        assert not release.is_set()
        # replacing the trainer (a data edit) waits for the step, then wins
        timer = threading.Timer(0.2, release.set)
        timer.start()
        s.add_point(0.5, 0.5, 1)
        assert release.is_set()
        with s.lock:
            assert s.trainer is not trainer
            # the held step finished first; training goes on from its θ, on the new data
            assert trainer.step_count == 1 and np.any(s.model.theta != 0)
            np.testing.assert_array_equal(s.trainer.model.theta, trainer.model.theta)
            assert s.trainer.learning_rate == 0.5
        timer.join()
    finally:
        s.shutdown()


def test_training_process_mirrors_the_trainer_exactly():
    """Steps done in the child process (gui.train_process) leave the local trainer exactly
    as trainer.step would: parameters, history, snapshots, mini-batch order, momentum,
    and a divergence restores the last good parameters."""
    from gui.train_process import TrainingProcess

    X, y = datasets.make("spiral", 120, seed=1)
    process = TrainingProcess()
    try:
        for options in ({}, {"batch_size": 16, "momentum": 0.9}):
            remote, local = (
                GradientAscent(NeuralNetwork(2, (8, 8), "tanh", seed=3), X[20:], y[20:], 0.02,
                               X_test=X[:20], y_test=y[:20], **options) for _ in range(2))
            for k in range(12):
                remote.learning_rate = local.learning_rate = 0.02 + 0.001 * k  # η changes
                process.step(remote, 5, token=("mirror", str(options)))
                local.step(5)
            for a, b in zip(remote.model.parameters, local.model.parameters, strict=True):
                np.testing.assert_array_equal(a, b)
            for column, values in local.history.as_arrays().items():
                np.testing.assert_array_equal(remote.history.as_arrays()[column], values)
            assert remote.snapshots.steps() == local.snapshots.steps()
            np.testing.assert_array_equal(remote.snapshots.at_or_before(31)[1][0],
                                          local.snapshots.at_or_before(31)[1][0])
            # rewinding the local copy and training on: a new token sends it again
            remote.rewind(30), local.rewind(30)
            process.step(remote, 4, token=("mirror rewound", str(options)))
            local.step(4)
            np.testing.assert_array_equal(remote.model.parameters[0], local.model.parameters[0])
            assert remote.step_count == local.step_count == 34

        # a divergence after a long history (the child only holds its recent part)
        remote, local = (GradientAscent(LogisticRegression(2), X, y, learning_rate=0.01)
                         for _ in range(2))
        process.step(remote, 40, token="diverging")
        local.step(40)
        remote.learning_rate = local.learning_rate = 1e6
        with pytest.raises(DivergenceError):  # a new token: the copy is sent again
            process.step(remote, 50, token="diverging, resent")
        with pytest.raises(DivergenceError):
            local.step(50)
        assert np.all(np.isfinite(remote.model.theta))
        np.testing.assert_array_equal(remote.model.theta, local.model.theta)
        assert remote.step_count == local.step_count
        assert remote.history.steps == local.history.steps
        assert remote.snapshots.steps() == local.snapshots.steps()
    finally:
        process.close()


def test_run_trains_in_the_child_process_and_the_history_stays_whole(qapp):
    """Run uses the training process; what it brings back is a normal, gap-free history
    whose last snapshot is the live θ, and Pause stops it."""
    import time

    from gui.session import Session

    s = Session(train_process=True)
    try:
        s.load_preset("xor", 120, None, 0)
        s.set_model_config(s.model_config.__class__(kind="network", hidden=(4,),
                                                    activation="tanh"))
        s.set_speed(None)
        s.run()
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            qapp.processEvents()
            with s.lock:
                if s.trainer.step_count >= 200:
                    break
            time.sleep(0.01)
        s.pause()
        qapp.processEvents()
        assert s.trains_in_process
        with s.lock:
            trainer = s.trainer
            assert trainer.step_count >= 200
            assert trainer.history.steps == list(range(trainer.step_count + 1))
            step, saved = trainer.snapshots.at_or_before(trainer.step_count)
            assert step == trainer.step_count
            for live, snapshot in zip(s.model.parameters, saved, strict=True):
                np.testing.assert_array_equal(live, snapshot)
            assert trainer.history.log_likelihood[-1] > trainer.history.log_likelihood[0]
    finally:
        s.shutdown()
