"""The physics_fits reference agrees with the physics, and the grader's hidden inputs keep
every known mistake clear of the right answer."""

import importlib
import math
import warnings

import pytest
import torch

from autograder.config import load_course
from autograder.judging.checks import Expect
from autograder.reference import physics_fits as ref


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.physics_fits")


def test_gradient_descent_reaches_the_least_squares_resistance():
    amps = torch.tensor([0.5, 1.0, 1.5, 2.0])
    volts = torch.tensor([2.4, 4.9, 7.6, 9.9])
    lr = 0.5 / float((amps * amps).mean())
    assert ref.descend_resistance(amps, volts, lr, 200) == pytest.approx(
        ref.resistance(amps, volts), rel=1e-12
    )


def test_planck_matches_the_sun_and_wien_s_peak():
    assert float(ref.planck(torch.tensor([500e-9]), 5778.0)) == pytest.approx(2.6376e13, rel=1e-4)
    lam = torch.linspace(200e-9, 2e-6, 20001, dtype=torch.float64)
    peak = lam[ref.planck(lam, 5778.0).argmax()]
    assert float(peak) == pytest.approx(ref.WIEN / 5778.0, rel=1e-3)


def test_planck_stays_finite_where_float32_overflows():
    lam = torch.tensor([100e-9], dtype=torch.float32)
    x = float(ref.exponent(lam, 300.0))
    assert 400 < x < 700
    assert 0 < float(ref.planck(lam, 300.0)) < 1e-180
    float32 = next(m for m in ref.planck_mistakes(lam, 300.0) if m.name == ref.FLOAT32)
    assert float(float32.value) == 0.0


@pytest.mark.parametrize("seed", range(20))
def test_best_fit_of_hidden_spectra_is_far_inside_one_percent(grader, seed):
    lam, B, T0, T = grader._body(torch.Generator().manual_seed(seed), 200, 10000, far=True)
    assert abs(ref.fit_temperature(lam, B, T0) - T) < 0.002 * T


@pytest.mark.parametrize("seed", range(10))
def test_hidden_readings_keep_resistance_mistakes_away(grader, seed):
    for offset in (False, True):
        amps, volts, lr, steps = grader._ohm(torch.Generator().manual_seed(seed), offset=offset)
        right = ref.resistance(amps, volts)
        for mistake in ref.resistance_mistakes(amps, volts, lr, steps):
            # 5 x the course's rtol of 1e-4.
            assert not math.isclose(mistake.value, right, rel_tol=5e-4), mistake.name


def _relatively_close(grader, got, expected, rtol):
    """The grader's comparison of radiances (relative, no absolute floor), at `rtol`."""
    expect = Expect(load_course().tolerance)
    return expect.close(got, expected, rtol=rtol, atol=grader.RELATIVE_ONLY)


@pytest.mark.parametrize("seed", range(10))
def test_hidden_wavelengths_tell_planck_mistakes_apart(grader, seed):
    gen = torch.Generator().manual_seed(seed)
    # Visible light: the factors are off everywhere; the - 1 may hide where x is large.
    lam = grader._wavelengths(gen, 380e-9, 750e-9)
    right = ref.planck(lam, 5000.0)
    for mistake in ref.planck_mistakes(lam, 5000.0):
        if mistake.name in (ref.NO_TWO, ref.LAM4):
            assert not _relatively_close(grader, mistake.value, right, 1e-3), mistake.name
    # Long wavelengths (x < 5): every mistake shows, except float32, which fails elsewhere.
    lam = grader._wavelengths(gen, 1e-5, 1e-3)
    right = ref.planck(lam, 300)
    for mistake in ref.planck_mistakes(lam, 300):
        if mistake.name != ref.FLOAT32:
            assert not _relatively_close(grader, mistake.value, right, 1e-3), mistake.name
