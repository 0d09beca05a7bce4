"""core.policy and core.specs: one default η for the window and the CLI, specs as values."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import DivergenceError, GradientAscent, LogisticRegression, NeuralNetwork, cli, datasets
from core.policy import (
    build_model,
    default_learning_rate,
    ll_change_below,
    logistic_step_bound,
)
from core.specs import ModelSpec, TrainingSettings


@pytest.mark.parametrize("preset", datasets.PRESETS)
@pytest.mark.parametrize("model", ["logistic", "sigmoid", "tanh", "relu", "tanh×6"])
def test_default_learning_rate_converges_on_every_preset(preset, model):
    """The default η (lecture's sum gradient, 20 % test split) never diverges."""
    X, y = datasets.make(preset, 200)
    train = ~datasets.split_mask(y, 0.2, 0)
    X, y = X[train], y[train]
    if model == "logistic":
        spec = ModelSpec("logistic")
    else:
        activation, _, depth = model.partition("×")
        hidden = (8,) * int(depth) if depth else (4,)
        spec = ModelSpec("network", hidden_units=hidden, activation=activation)
    net = build_model(spec)
    eta = default_learning_rate(spec, X)
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
    logistic = ModelSpec("logistic")
    eta, eta4 = (default_learning_rate(logistic, a) for a in (X, X4))
    assert eta4 == pytest.approx(eta / 4)
    assert default_learning_rate(logistic, X4, average=True) == pytest.approx(800 * eta4)
    assert default_learning_rate(logistic, X4, batch_size=20) == pytest.approx(800 * eta4 / 20)
    net = ModelSpec("network", hidden_units=(8,))
    assert default_learning_rate(net, X) == pytest.approx(2 / 200)
    assert default_learning_rate(net.replace(hidden_units=(8,) * 4), X) == pytest.approx(0.5 / 200)
    assert default_learning_rate(net.replace(activation="relu"), X) < \
        default_learning_rate(net.replace(activation="tanh"), X)


def test_the_step_shrinks_with_the_scale_of_the_inputs():
    X = np.random.default_rng(0).normal(size=(500, 3))
    assert logistic_step_bound(X * 100) < logistic_step_bound(X) <= 4.0
    net = ModelSpec("network", n_features=3)
    assert default_learning_rate(net, X * 100) < default_learning_rate(net, X)


def test_huge_finite_inputs_are_refused_with_a_message_and_no_warning(recwarn):
    X = np.array([[1e300, 2e300], [-1e300, 5e299], [3.0, -1.0]])
    with pytest.raises(ValueError, match="too large.*rescale"):
        default_learning_rate(ModelSpec(), X)
    assert not recwarn.list
    eta = default_learning_rate(ModelSpec(), X / 1e210)  # 1e90: trains, η tiny but > 0
    assert 0 < eta < 1e-150


@pytest.mark.parametrize(("argv", "spec"), [
    (["--preset", "overlap"], ModelSpec("logistic")),
    (["--preset", "spiral", "--model", "mlp:8,8", "--activation", "tanh"],
     ModelSpec("network", hidden_units=(8, 8), activation="tanh")),
    (["--preset", "moons", "--model", "mlp:6", "--batch-size", "16"],
     ModelSpec("network", hidden_units=(6,))),
])
def test_the_cli_and_the_window_suggest_the_same_eta(capsys, qapp, argv, spec):
    """``ascent-lab train`` reports the η the window's session suggests for the same data
    (no test split) and model."""
    from gui.playground.session import Session

    assert cli.main([*argv, "--steps", "0", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    session = Session(start_worker=False)
    try:
        session.set_test_fraction(0.0)
        session.load_preset(argv[1], 200, None, 0)
        session.set_model_spec(spec)
        if "--batch-size" in argv:
            session.set_batch_size(int(argv[argv.index("--batch-size") + 1]))
        assert session.learning_rate == pytest.approx(report["learning_rate"], rel=1e-12)
    finally:
        session.shutdown()


def test_build_model_follows_the_spec():
    assert isinstance(build_model(ModelSpec("logistic", n_features=5)), LogisticRegression)
    net = build_model(ModelSpec("network", n_features=64, n_classes=10, hidden_units=(32,)))
    assert isinstance(net, NeuralNetwork)
    assert net.layer_sizes == (64, 32, 10)
    assert np.all(build_model(ModelSpec("logistic")).theta == 0)  # θ starts at 0


def test_specs_are_values_that_round_trip_through_json():
    spec = ModelSpec("network", n_features=64, n_classes=10, hidden_units=(32, 16),
                     activation="tanh", init="zeros", seed=3)
    settings = TrainingSettings(learning_rate=0.02, learning_rate_auto=False, batch_size=32,
                                average=True, momentum=0.9, speed=None, max_steps=500,
                                tolerance=1e-6)
    for value in (spec, settings):
        text = json.dumps(value.to_dict())
        assert type(value).from_dict(json.loads(text)) == value
    assert spec == ModelSpec("network", n_features=64, n_classes=10, hidden_units=[32, 16],
                             activation="tanh", init="zeros", seed=3)
    assert hash(spec) == hash(spec.replace())
    assert spec.replace(seed=4) != spec


@pytest.mark.parametrize(("make", "words"), [
    (lambda: ModelSpec("svm"), "kind"),
    (lambda: ModelSpec("logistic", n_classes=10), "binary"),
    (lambda: ModelSpec("network", hidden_units=(0,)), "hidden layer"),
    (lambda: ModelSpec("network", activation="gelu"), "activation"),
    (lambda: TrainingSettings(learning_rate=0.0), "learning_rate"),
    (lambda: TrainingSettings(learning_rate=float("nan")), "learning_rate"),
    (lambda: TrainingSettings(momentum=1.0), "momentum"),
    (lambda: TrainingSettings(batch_size=0), "batch_size"),
    (lambda: ModelSpec.from_dict({"kind": "logistic", "colour": "red"}), "unknown"),
    (lambda: TrainingSettings.from_dict([1, 2]), "JSON object"),
])
def test_bad_specs_say_what_is_wrong(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_ll_change_below():
    assert not ll_change_below([-10.0], 1.0)
    assert ll_change_below([-10.0, -9.9999], 1e-3)
    assert not ll_change_below([-10.0, -9.0], 1e-3)
    assert not ll_change_below([-10.0, float("nan")], 1e-3)


def test_momentum_scales_the_default_learning_rate_by_one_minus_mu():
    X, _ = datasets.make("overlap", 200)
    for spec in (ModelSpec("logistic"), ModelSpec("network", hidden_units=(8,))):
        plain = default_learning_rate(spec, X, average=True)
        assert default_learning_rate(spec, X, average=True, momentum=0.9) == \
            pytest.approx(0.1 * plain)


def test_digits_defaults_are_the_lecture_for_logistic_regression():
    from core.policy import DEFAULT_STEPS, digits_defaults

    X, _ = datasets.digits_binary(0, 1)
    spec = ModelSpec("logistic", n_features=64)
    defaults = digits_defaults(spec, X)
    s = defaults.settings
    assert (s.batch_size, s.average, s.momentum) == (None, False, 0.0)
    assert s.learning_rate == default_learning_rate(spec, X)
    assert defaults.steps == s.max_steps == DEFAULT_STEPS


@pytest.mark.parametrize(("activation", "depth"), [("sigmoid", 1), ("tanh", 1), ("relu", 1),
                                                   ("sigmoid", 2), ("relu", 3)])
def test_digits_defaults_for_networks_are_explicit_settings_that_converge(activation, depth):
    """Mini-batches of 16, η on the mean, momentum 0.95, 30 epochs: every value a field of
    TrainingSettings; 300 steps of it climb the LL on the digits without diverging."""
    from core.policy import DIGITS_EFFECTIVE_STEP, digits_defaults

    X, y = datasets.digits()
    X, y = X[:400], y[:400]
    spec = ModelSpec("network", n_features=64, n_classes=10, hidden_units=(16,) * depth,
                     activation=activation)
    defaults = digits_defaults(spec, X)
    s = defaults.settings
    assert (s.batch_size, s.average, s.momentum, s.learning_rate_auto) == (16, True, 0.95, False)
    assert s.learning_rate == pytest.approx(DIGITS_EFFECTIVE_STEP[activation] / depth * 0.05)
    assert defaults.steps == s.max_steps == 30 * 400 // 16
    assert TrainingSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    trainer = GradientAscent(build_model(spec), X, y, s.learning_rate, batch_size=s.batch_size,
                             average=s.average, momentum=s.momentum, record_every=100)
    start = trainer.log_likelihood
    trainer.step(300)
    assert trainer.log_likelihood > start
    assert trainer.accuracy > 0.5
