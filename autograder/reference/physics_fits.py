"""Reference answers for physics_fits (D2L 3.4, exercises 2 and 3), and their known mistakes.

Ohm's law V = R I fitted without an intercept has the least-squares solution
R = sum(I V) / sum(I I), the fixed point of gradient descent on mean((R I - V)^2 / 2) from any
start. Planck's law is computed in float64 (float32 overflows: exp(x) beyond x = 88.7, and
lam^5 below about 1e-8 m). The temperature fit is graded against the true temperature of the
data; `fit_temperature` here is one right way (Gauss-Newton in log space) used by the tests to
show that the noise of the hidden data leaves the best fit well inside the 1 % allowed.
"""

from __future__ import annotations

import torch

from autograder.judging.checks import Mistake

H = 6.62607015e-34  # Planck constant, J s
C = 299792458.0  # speed of light, m / s
K = 1.380649e-23  # Boltzmann constant, J / K
WIEN = 2.897771955e-3  # Wien's displacement constant, m K: the peak is at WIEN / T

INTERCEPT = "a fit with an intercept (V = R I + c), where Ohm's law has none"
RATIO_MEAN = "the mean of V / I (another estimator), not the least-squares fit of V = R I"
INVERTED = "I fitted against V (I = V / R) and inverted, not V fitted against I"
ACCUMULATED = "R.grad not zeroed between steps, so the gradients accumulated"
SIGN_FLIPPED = "a step up the gradient (R + lr * grad) instead of down"

NO_MINUS_ONE = "exp(x) without the - 1 (Wien's approximation), where Planck's law has exp(x) - 1"
NO_TWO = "a missing factor 2 in 2 h c^2"
LAM4 = "lam**4 where Planck's law has lam**5"
PLUS_ONE = "exp(x) + 1 where Planck's law has exp(x) - 1"
FLOAT32 = (
    "computed in float32, which overflows or underflows here (exp(x) > 3.4e38 beyond x = 88.7); "
    "convert lam (and T) to float64 first"
)
STUCK = (
    "a fit that barely moved from T0: the radiance is ~1e13 and its gradient in T huge or tiny, "
    "so one learning rate cannot suit it; rescale, or fit log B against log T"
)


# Ohm's law ----------------------------------------------------------------------------------


def resistance(amps, volts) -> float:
    amps, volts = amps.double().reshape(-1), volts.double().reshape(-1)
    return float((amps * volts).sum() / (amps * amps).sum())


def descend_resistance(amps, volts, lr, num_steps, accumulate=False, sign=1.0) -> float:
    """Gradient descent on mean((R I - V)^2 / 2) from R = 0, as a student writes it; with
    `accumulate` the gradient is never zeroed, with `sign` -1 it climbs."""
    amps, volts = amps.double().reshape(-1), volts.double().reshape(-1)
    R, total = 0.0, 0.0
    for _ in range(num_steps):
        grad = float((amps * (R * amps - volts)).mean())
        total = total + grad if accumulate else grad
        R -= sign * lr * total
    return R


def resistance_mistakes(amps, volts, lr, num_steps) -> list[Mistake]:
    amps64, volts64 = amps.double().reshape(-1), volts.double().reshape(-1)
    amps_c, volts_c = amps64 - amps64.mean(), volts64 - volts64.mean()
    return [
        Mistake(INTERCEPT, float((amps_c * volts_c).sum() / (amps_c * amps_c).sum())),
        Mistake(RATIO_MEAN, float((volts64 / amps64).mean())),
        Mistake(INVERTED, float((volts64 * volts64).sum() / (amps64 * volts64).sum())),
        Mistake(ACCUMULATED, descend_resistance(amps, volts, lr, num_steps, accumulate=True)),
    ]


# Planck's law -------------------------------------------------------------------------------


def exponent(lam, T) -> torch.Tensor:
    """x = h c / (lam k T), in float64."""
    lam = torch.as_tensor(lam, dtype=torch.float64)
    T = torch.as_tensor(T, dtype=torch.float64)
    return H * C / (lam * K * T)


def planck(lam, T) -> torch.Tensor:
    lam = torch.as_tensor(lam, dtype=torch.float64)
    # expm1 keeps exp(x) - 1 accurate for the small x of long wavelengths.
    return 2 * H * C**2 / lam**5 / torch.expm1(exponent(lam, T))


def planck_mistakes(lam, T) -> list[Mistake]:
    lam64 = torch.as_tensor(lam, dtype=torch.float64)
    x = exponent(lam, T)
    right = planck(lam, T)
    with torch.no_grad():
        lam32 = torch.as_tensor(lam, dtype=torch.float32)
        T32 = torch.as_tensor(T, dtype=torch.float32)
        in_float32 = 2 * H * C**2 / lam32**5 / (torch.exp(H * C / (lam32 * K * T32)) - 1)
    return [
        Mistake(NO_MINUS_ONE, 2 * H * C**2 / lam64**5 / torch.exp(x)),
        Mistake(NO_TWO, right / 2),
        Mistake(LAM4, right * lam64),
        Mistake(PLUS_ONE, 2 * H * C**2 / lam64**5 / (torch.exp(x) + 1)),
        Mistake(FLOAT32, in_float32.double()),
    ]


# The temperature fit ------------------------------------------------------------------------


def radiance_data(T, num, noise, gen, low=0.3, high=5.0, dtype=torch.float64):
    """`num` wavelengths from `low` to `high` times the peak's (log-spaced), and radiance with
    multiplicative noise: B (1 + eps), eps ~ N(0, noise^2)."""
    peak = WIEN / T
    lam = peak * torch.logspace(
        torch.log10(torch.tensor(low)), torch.log10(torch.tensor(high)), num, dtype=torch.float64
    )
    eps = torch.randn(num, generator=gen, dtype=torch.float64) * noise
    return lam.to(dtype), (planck(lam, T) * (1 + eps)).to(dtype)


def fit_temperature(lam, B, T0, steps=30) -> float:
    """Gauss-Newton on u = log T for the residuals r = log planck(lam, e^u) - log B.

    d r / d u = x / (1 - e^(-x)) with x = h c / (lam k T): between 1 and x, the same scale for
    every temperature, which is why log space suits the fit.
    """
    lam, logB = lam.double(), B.double().log()
    u = torch.tensor(float(T0), dtype=torch.float64).log()
    for _ in range(steps):
        r = planck(lam, u.exp()).log() - logB
        x = exponent(lam, u.exp())
        j = x / -torch.expm1(-x)
        u = u - (j * r).sum() / (j * j).sum()
    return float(u.exp())
