"""Hidden checks for physics_fits.ipynb (D2L 3.4, exercises 2 and 3).

Every input is drawn from the check's `gen`.

- `fit_resistance`: gradient descent on a convex quadratic converges to the least-squares value
  sum(I V) / sum(I I); the hidden lr is 0.3 to 1 over mean(I^2), so 200 steps shrink the error by
  0.7^200 and a right answer equals that value to float32 rounding: the course's element-wise
  tolerance applies. The data carry 5 % noise (and an offset in one check), which
  puts every other estimator a known mistake computes well outside it.
- `planck`: compared relatively, with the course's relative tolerance and no absolute one,
  because the values span hundreds of orders of magnitude (an absolute tolerance would pass
  any tiny number).
- `fit_temperature`: graded against the true temperature, within the 1 % the exercise allows.
  The radiance has 1 % multiplicative noise on 40 wavelengths around the peak; the best fit on
  such data is within 0.07 % of the truth over 200 draws (tests/graders/test_physics_fits.py
  checks 20), so 1 % leaves a right method ample room and still catches a fit that did not get
  there. The naive fit of B itself (a learning rate like 1e-21) barely moves on a cold body or
  from a poor start, which three checks use; on a hot body its steps happen to suit (as for
  the Sun in the notebook), so the hot-body check alone does not catch it.
"""

import math

import pytest
import torch

from autograder.judging.checks import CheckFailed, as_number, describe, show
from autograder.reference import physics_fits as ref
from autograder.wire.plain import StudentTensor

cell = pytest.mark.cell

# The answer travels as it is (numpy scalars included): `as_number` reads it in the grader.
CALL_PROBE = """
import torch
args = [a.clone() if isinstance(a, torch.Tensor) else a for a in args_in]
answer = FUNCTION(*args)
if isinstance(answer, torch.Tensor):
    answer = answer.detach()
result = {"answer": answer, "after": [a.detach().clone() if isinstance(a, torch.Tensor) else a
                                      for a in args]}
"""


def _uniform(gen, low, high):
    return low + (high - low) * float(torch.rand((), generator=gen))


def _log_uniform(gen, low, high):
    return math.exp(_uniform(gen, math.log(low), math.log(high)))


def _call(student, name, args, what):
    got = student.run(CALL_PROBE.replace("FUNCTION", name), what=what, args_in=list(args))
    if not isinstance(got, dict):
        raise CheckFailed(f"{what} could not be inspected.")
    return got


def _unchanged(expect, got, args, names, what):
    for index, name in enumerate(names):
        before, after = args[index], got["after"][index]
        same = isinstance(after, StudentTensor) and after.values is not None
        same = same and tuple(after.shape) == tuple(before.shape)
        expect.that(
            same and torch.equal(after.values.to(before.dtype), before),
            f"{what} changed its argument {name} in place; leave the caller's data as they were.",
        )


# fit_resistance -----------------------------------------------------------------------------


def _ohm(gen, scale=1.0, offset=False, dtype=torch.float32):
    """Currents I (A), voltages V = R I (+ c) with 5 % noise, and a converging lr."""
    n = int(torch.randint(8, 21, (), generator=gen))
    amps = (0.1 + 1.9 * torch.rand(n, generator=gen, dtype=torch.float64)) * scale
    R = _log_uniform(gen, 1.0, 100.0) / scale
    volts = R * amps
    # Noise of 5 %: enough to set other estimators (mean of V / I, I fitted against V) apart
    # from least squares by several times the tolerance.
    noise = 0.05 * float(volts.mean()) * torch.randn(n, generator=gen, dtype=torch.float64)
    volts = volts + noise + (_uniform(gen, 0.2, 0.5) * float(volts.mean()) if offset else 0.0)
    lr = _uniform(gen, 0.3, 1.0) / float((amps * amps).mean())
    return amps.to(dtype), volts.to(dtype), float(f"{lr:.4g}"), 200


def _check_resistance(student, expect, readings, kind=""):
    """Grade fit_resistance on `readings` (from `_ohm`); returns the probe's answer."""
    amps, volts, lr, num_steps = readings
    what = f"fit_resistance(I, V, lr={lr}, num_steps={num_steps}) for {len(amps)} {kind}readings"
    got = _call(student, "fit_resistance", readings, what)
    expect.number(
        got["answer"],
        ref.resistance(amps, volts),
        what=what,
        mistakes=ref.resistance_mistakes(amps, volts, lr, num_steps),
    )
    return got, what


@cell("fit_resistance")
def test_resistance_is_least_squares(student, expect, gen):
    """the fitted R is the least-squares value sum(I V) / sum(I I)"""
    _check_resistance(student, expect, _ohm(gen))


@cell("fit_resistance")
def test_resistance_without_intercept(student, expect, gen):
    """on readings with an offset, R is still the fit of V = R I (no intercept)"""
    _check_resistance(student, expect, _ohm(gen, offset=True), "offset ")


@cell("fit_resistance")
def test_resistance_in_milliamps(student, expect, gen):
    """currents of milliamps and a kilo-ohm resistor (a large lr) work too"""
    _check_resistance(student, expect, _ohm(gen, scale=1e-3), "milliamp ")


@cell("fit_resistance")
def test_resistance_float64(student, expect, gen):
    """float64 readings work"""
    _check_resistance(student, expect, _ohm(gen, dtype=torch.float64), "float64 ")


@cell("fit_resistance")
def test_resistance_leaves_data_alone(student, expect, gen):
    """a right R that leaves I and V as they were"""
    readings = _ohm(gen)
    got, what = _check_resistance(student, expect, readings)
    _unchanged(expect, got, readings[:2], ("I", "V"), what)


# planck ------------------------------------------------------------------------------------


# planck's radiance is compared relatively only (see above): no absolute floor. Equal zeros
# and equal infinities still count as equal.
RELATIVE_ONLY = 0.0


def _check_planck(expect, answer, lam, T, what):
    """The student's radiance against the reference, relatively; returns the StudentTensor."""
    expected = ref.planck(lam, T)
    if not isinstance(answer, StudentTensor):
        raise CheckFailed(
            f"{what} should return a torch.Tensor, but it returned {describe(answer)}."
        )
    if answer.values is None or not answer.dtype.startswith("torch.float"):
        raise CheckFailed(f"{what} returned {describe(answer)}; expected a float64 tensor.")
    values = answer.values
    if tuple(values.shape) != tuple(expected.shape):
        raise CheckFailed(
            f"{what} has shape {tuple(values.shape)}, expected {tuple(expected.shape)} "
            "(lam and T broadcast against each other)."
        )
    if expect.close(values, expected, atol=RELATIVE_ONLY):
        return answer
    hint = next(
        (
            f" This looks like {m.name}."
            for m in ref.planck_mistakes(lam, T)
            if expect.close(values, m.value, atol=RELATIVE_ONLY)
        ),
        "",
    )
    ratio = values / expected
    where = int(torch.nan_to_num((ratio - 1).abs(), nan=math.inf).reshape(-1).argmax())
    lam_at = torch.broadcast_to(torch.as_tensor(lam, dtype=torch.float64), expected.shape)
    worst_lam, worst_got = lam_at.reshape(-1)[where].item(), values.reshape(-1)[where].item()
    raise CheckFailed(
        f"{what} gave {show(values)}, expected {show(expected)}; the worst entry, at "
        f"lam = {worst_lam:.4g} m, is {worst_got:.6g} "
        f"instead of {expected.reshape(-1)[where].item():.6g}.{hint}"
    )


def _wavelengths(gen, low, high, dtype=torch.float64):
    m = int(torch.randint(5, 9, (), generator=gen))
    edges = sorted(_log_uniform(gen, low, high) for _ in range(2))
    return torch.logspace(math.log10(edges[0]), math.log10(edges[1]) + 0.05, m).to(dtype)


def _planck(student, expect, lam, T, what):
    got = _call(student, "planck", (lam, T), what)
    _check_planck(expect, got["answer"], lam, T, what)
    return got


@cell("planck")
def test_planck_visible_light(student, expect, gen):
    """planck gives the radiance of visible light at a few thousand kelvin"""
    lam, T = _wavelengths(gen, 380e-9, 750e-9), round(_uniform(gen, 3000, 8000), 1)
    _planck(student, expect, lam, T, f"planck(lam, {T}) for lam from 380 to 750 nm")


@cell("planck")
def test_planck_long_wavelengths(student, expect, gen):
    """at long wavelengths (small h c / (lam k T)) the - 1 matters; T may be an int"""
    lam, T = _wavelengths(gen, 1e-5, 1e-3), int(_uniform(gen, 300, 3000))
    _planck(student, expect, lam, T, f"planck(lam, {T}) for lam from 10 um to 1 mm")


@cell("planck")
def test_planck_short_wavelengths_cold(student, expect, gen):
    """float32 wavelengths where h c / (lam k T) is 100 to 690 (float32 would overflow)"""
    lam = _wavelengths(gen, 60e-9, 200e-9)
    x_min = _uniform(gen, 100, 300)
    # The largest exponent is at the shortest wavelength; keep it below 700.
    T = round(ref.H * ref.C / (float(lam.max()) * ref.K * x_min), 3)
    T = max(T, round(ref.H * ref.C / (float(lam.min()) * ref.K * 690) + 0.001, 3))
    lam = lam.float()
    what = f"planck(lam, {T}) for float32 lam from {lam.min():.3g} to {lam.max():.3g} m"
    _planck(student, expect, lam, T, what)


@cell("planck")
def test_planck_broadcasts(student, expect, gen):
    """a column of temperatures (k, 1) against m wavelengths gives a (k, m) table"""
    lam = _wavelengths(gen, 200e-9, 20e-6)
    k = int(torch.randint(2, 5, (), generator=gen))
    T = (300 + 7000 * torch.rand(k, 1, generator=gen)).double()
    what = f"planck(lam, T) for lam of shape {tuple(lam.shape)} and T of shape {tuple(T.shape)}"
    _planck(student, expect, lam, T, what)


@cell("planck")
def test_planck_returns_float64(student, expect, gen):
    """a right radiance, as a float64 tensor, for float32 wavelengths"""
    lam, T = _wavelengths(gen, 300e-9, 3e-6, torch.float32), round(_uniform(gen, 2000, 6000), 1)
    what = f"planck(lam, {T}) for float32 lam"
    got = _planck(student, expect, lam, T, what)
    expect.that(
        got["answer"].dtype == "torch.float64",
        f"{what} returned a tensor of dtype {got['answer'].dtype}; compute and return float64 "
        "(the values range far beyond what float32 holds).",
    )


@cell("planck")
def test_planck_leaves_lam_alone(student, expect, gen):
    """a right radiance that leaves lam as it was"""
    lam, T = _wavelengths(gen, 300e-9, 3e-6), round(_uniform(gen, 2000, 6000), 1)
    what = f"planck(lam, {T})"
    _unchanged(expect, _planck(student, expect, lam, T, what), (lam,), ("lam",), what)


# fit_temperature ---------------------------------------------------------------------------


def _body(gen, low, high, far=False, dtype=torch.float64):
    """(lam, B, T0, T): 40 wavelengths around the peak, 1 % noise, T0 off by a factor."""
    T = _log_uniform(gen, low, high)
    factor = _uniform(gen, 1.8, 2.5) if far else _uniform(gen, 1.2, 1.6)
    factor = factor if bool(torch.rand((), generator=gen) < 0.5) else 1 / factor
    lam, B = ref.radiance_data(T, 40, 0.01, gen, dtype=dtype)
    return lam, B, round(T * factor, 1), T


# The exercise's contract: the fitted temperature within 1 % of the true one, relatively.
WITHIN_ONE_PERCENT = 0.01
# A fit that ends within 2 % of its start has not moved: the stuck fit of B itself.
NEAR_THE_START = 0.02


def _temperature(student, expect, lam, B, T0, T, what):
    got = _call(student, "fit_temperature", (lam, B, T0), what)
    value = as_number(got["answer"], what)
    if not expect.close(value, T, rtol=WITHIN_ONE_PERCENT, atol=RELATIVE_ONLY):
        stuck = expect.close(value, T0, rtol=NEAR_THE_START, atol=RELATIVE_ONLY)
        hint = f" This looks like {ref.STUCK}." if stuck else ""
        raise CheckFailed(
            f"{what} is {value:.6g} K; the data were made at {T:.6g} K, and a fit within 1 % "
            f"was expected.{hint}"
        )
    return got


def _fit_what(T0, lam, extra=""):
    return f"fit_temperature(lam, B, T0={T0}) for {extra}radiance at {len(lam)} wavelengths"


@cell("fit_temperature")
def test_temperature_of_a_cold_body(student, expect, gen):
    """a body at 200 to 600 K (radiance far below 1), from a start 20 to 60 % off"""
    lam, B, T0, T = _body(gen, 200, 600)
    _temperature(student, expect, lam, B, T0, T, _fit_what(T0, lam, "cold-body "))


@cell("fit_temperature")
def test_temperature_from_a_poor_start(student, expect, gen):
    """a body at 1000 to 3000 K from a start off by a factor of about 2"""
    lam, B, T0, T = _body(gen, 1000, 3000, far=True)
    _temperature(student, expect, lam, B, T0, T, _fit_what(T0, lam))


@cell("fit_temperature")
def test_temperature_of_a_hot_body(student, expect, gen):
    """a star at 4000 to 10000 K from a start off by a factor of about 2"""
    lam, B, T0, T = _body(gen, 4000, 10000, far=True)
    _temperature(student, expect, lam, B, T0, T, _fit_what(T0, lam, "hot-body "))


@cell("fit_temperature")
def test_temperature_float32_data(student, expect, gen):
    """float32 wavelengths and radiance work too"""
    lam, B, T0, T = _body(gen, 300, 5000, dtype=torch.float32)
    _temperature(student, expect, lam, B, T0, T, _fit_what(T0, lam, "float32 "))


@cell("fit_temperature")
def test_temperature_leaves_data_alone(student, expect, gen):
    """a right temperature that leaves lam and B as they were"""
    lam, B, T0, T = _body(gen, 300, 5000)
    what = _fit_what(T0, lam)
    got = _temperature(student, expect, lam, B, T0, T, what)
    _unchanged(expect, got, (lam, B), ("lam", "B"), what)
