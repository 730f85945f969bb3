"""The polynomial_fit reference interpolates and trains as the contract says, and the grader's
hidden inputs keep every known mistake away from the right answer."""

import copy
import importlib
import warnings

import numpy as np
import pytest
import torch

import d2lkit
from autograder.reference import polynomial_fit as ref

TRAIN_RTOL = 2e-3  # course.toml [tolerance] train_rtol


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.polynomial_fit")


def test_interpolant_of_a_cubic_is_the_cubic():
    x = torch.tensor([-1.0, 0.0, 1.0, 2.0])
    y = 1 - 2 * x + 0.5 * x**3
    c = ref.fit_interpolating_poly(x, y)
    assert c.dtype == torch.float64 and c.shape == (4,)
    torch.testing.assert_close(c, torch.tensor([1.0, -2.0, 0.0, 0.5], dtype=torch.float64))


def test_interpolant_agrees_with_numpy_and_passes_through_the_points(grader):
    x, y = grader._points(torch.Generator().manual_seed(0), 10)
    c = ref.fit_interpolating_poly(x, y)
    expected = np.polynomial.polynomial.polyfit(x.numpy(), y.numpy(), 9)
    torch.testing.assert_close(c, torch.from_numpy(expected), rtol=1e-8, atol=1e-10)
    assert (ref.poly_eval(c, x) - y).abs().max() < 1e-10


@pytest.mark.parametrize("seed", range(20))
def test_float32_points_keep_a_float32_solve_out_of_tolerance(grader, seed):
    gen = torch.Generator().manual_seed(seed)
    n = int(torch.randint(8, 11, (), generator=gen))
    x, y = grader._points(gen, n, torch.float32, 0.5, 3.0)
    right = ref.fit_interpolating_poly(x, y)
    in_float32 = ref.poly_mistakes(x, y)[0]
    assert in_float32.name == ref.FLOAT32
    # 3 x the course's tolerance (rtol 1e-4, atol 1e-6): clear of the band for every seed.
    assert not torch.allclose(in_float32.value, right, rtol=3e-4, atol=3e-6)


def _tiny():
    return d2lkit.SyntheticRegressionData(
        w=[2.0], b=1.0, noise=0.1, num_train=20, num_val=10, batch_size=5, seed=0, shuffle_seed=0
    )


def test_fraction_one_is_an_ordinary_fit():
    data = _tiny()
    rows = ref.learning_curve(data, [1.0], max_epochs=2, seed=3)
    torch.manual_seed(3)
    model = d2lkit.LinearRegression(lr=0.03)
    model.board.display = False
    d2lkit.Trainer(max_epochs=2).fit(model, data)
    X, y = data.tensors(train=False)
    with torch.no_grad():
        expected = float(((model(X) - y) ** 2).mean())
    assert rows == [{"fraction": 1.0, "n": 20, "val_loss": pytest.approx(expected, rel=1e-6)}]


def test_sizes_are_rounded_and_the_data_left_alone():
    data = _tiny()
    X, y = data.X.clone(), data.y.clone()
    rows = ref.learning_curve(data, [0.26, 0.5, 0.74], max_epochs=1)
    assert [row["n"] for row in rows] == [5, 10, 15]
    assert torch.equal(data.X, X) and torch.equal(data.y, y) and data.num_train == 20


def _sliced_copy_curve(data, fractions, max_epochs, seed):
    """A right answer written another way: a copy whose first rows are cut, float64 losses."""
    rows, N = [], data.num_train
    for f in fractions:
        n = round(f * N)
        part = copy.copy(data)
        part.X, part.y = torch.cat([data.X[:n], data.X[N:]]), torch.cat([data.y[:n], data.y[N:]])
        part.num_train = n
        torch.manual_seed(seed)
        model = d2lkit.LinearRegression(lr=0.03)
        model.board.display = False
        trainer = d2lkit.Trainer(max_epochs=max_epochs)
        trainer.fit(model, part)
        rows.append(trainer.history.val_loss[-1])
    return torch.tensor(rows, dtype=torch.float64)


@pytest.mark.parametrize("seed", range(4))
def test_hidden_curves_separate_right_answers_from_mistakes(grader, seed):
    """Right answers written other ways agree to 1e-6; every mistake but seeding once (see
    the next test) is 2 x train_rtol away."""
    data, fractions, kwargs = grader._curve_problem(torch.Generator().manual_seed(seed))
    made = ref.make_data(data)
    right = ref.losses(ref.learning_curve(made, fractions, **kwargs))
    other = _sliced_copy_curve(made, fractions, **kwargs)
    torch.testing.assert_close(other, right, rtol=1e-6, atol=0)
    for mistake in ref.curve_mistakes(made, fractions, **kwargs):
        if mistake.name != ref.SEEDED_ONCE:
            far = not torch.allclose(mistake.value, right, rtol=2 * TRAIN_RTOL, atol=0)
            assert far, mistake.name


@pytest.mark.parametrize("seed", range(4))
def test_near_zero_weights_expose_models_seeded_once(grader, seed):
    gen = torch.Generator().manual_seed(seed)
    data, fractions, kwargs = grader._curve_problem(gen)
    size = 0.01 + 0.02 * torch.rand(len(data["w"]), generator=gen)
    data.update(w=size.tolist(), b=0.0, noise=0.01)
    made = ref.make_data(data)
    right = ref.losses(ref.learning_curve(made, fractions, **kwargs))
    once = next(
        m for m in ref.curve_mistakes(made, fractions, **kwargs) if m.name == ref.SEEDED_ONCE
    )
    # 3 x the course's band (train_rtol 2e-3, train_atol 1e-5).
    assert not torch.allclose(once.value, right, rtol=3 * TRAIN_RTOL, atol=3e-5)
