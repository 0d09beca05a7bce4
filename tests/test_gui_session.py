"""The playground's Session (point document on the training engine) without any widget."""

from __future__ import annotations

import numpy as np
import pytest

from core import DivergenceError, GradientAscent, LogisticRegression, NeuralNetwork, datasets
from core.policy import default_learning_rate
from core.specs import ModelSpec

# --------------------------------------------------------------------------- Session


@pytest.fixture
def session(qapp):
    from gui.playground.session import Session

    s = Session(start_worker=False)
    s.load_preset("overlap", 100, None, 0)
    yield s
    s.shutdown()


def test_session_step_is_the_core_update(session):
    X, y = session.data.train
    eta = session.learning_rate
    assert eta == pytest.approx(default_learning_rate(ModelSpec("logistic"), X))
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
    assert not session.modified
    session.add_point(1.0, 2.0, 0)
    session.add_point(-1.0, 0.5)
    assert len(session.data) == n + 2 and session.data.y[-1] == session.active_class
    assert session.modified
    session.undo_stack.undo()
    assert len(session.data) == n + 1
    session.undo_stack.redo()
    assert len(session.data) == n + 2
    np.testing.assert_array_equal(session.data.X[-2], [1.0, 2.0])
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert not session.modified  # back to the points as loaded


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
    from core.specs import ModelSpec

    session.set_model_spec(ModelSpec(kind="network", hidden_units=(3, 2), activation="tanh"))
    frame = session.take_frame_now()
    assert frame.layer_sizes == (2, 3, 2, 1)
    assert [w.shape for w in frame.weights] == [(2, 3), (3, 2), (2, 1)]
    assert [im.shape[0] for im in frame.probe.unit_images] == [2, 3, 2, 1]
    assert frame.probe.unit_levels[1] == (-1.0, 1.0)
    assert frame.probe.boundary is not None and frame.probe.boundary.image.shape == (200, 200)
    assert frame.probe.boundary.image.dtype == np.float32
    session.set_display_unit((1, 2))
    frame = session.take_frame_now()
    assert frame.probe.boundary.unit == (1, 2)
    assert frame.probe.boundary.levels == (-1.0, 1.0)
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

    from gui.playground.session import Session

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
    """Steps done in the child process (gui.engine.train_process) leave the local trainer exactly
    as trainer.step would: parameters, history, snapshots, mini-batch order, momentum,
    and a divergence restores the last good parameters."""
    from gui.engine.train_process import TrainingProcess

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

    from gui.playground.session import Session

    s = Session(train_process=True)
    try:
        s.load_preset("xor", 120, None, 0)
        s.set_model_spec(s.model_spec.replace(kind="network", hidden_units=(4,),
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


def test_session_classes_follow_the_labels_up_to_four(session):
    from gui.playground.session import MAX_CLASSES, classes_in

    assert classes_in(np.zeros(0, dtype=np.int64)) == 2 and classes_in(np.array([0, 0])) == 2
    assert classes_in(np.array([0, 3])) == 4 and MAX_CLASSES == 4
    session.set_active_class(7)
    assert session.active_class == 3
    session.set_active_class(-1)
    assert session.active_class == 0
    messages = []
    session.message.connect(lambda level, text: messages.append((level, text)))
    session.set_active_class(2)
    session.begin_stroke()  # a brush stroke of class 2: one undo step, the switch with it
    session.stroke_add(1.0, 1.0)
    session.stroke_add(1.5, 1.0)
    session.end_stroke()
    assert session.n_classes == 3 and session.model_spec.kind == "network"
    assert session.data.class_counts()[2] == 2
    assert messages[-1][0] == "info" and "logistic regression is binary" in messages[-1][1]
    session.step(5)
    session.process_pending()
    assert session.trainer.step_count == 5  # the softmax network trains
    session.undo_stack.undo()
    assert session.n_classes == 2 and session.model_spec.kind == "logistic"
    assert "logistic regression again" in messages[-1][1]
    session.undo_stack.redo()
    assert session.n_classes == 3 and session.model_spec.kind == "network"
