"""Right and wrong answers to physics_fits.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "from_scratch"


def _resistance(body):
    return f"def fit_resistance(I, V, lr, num_steps):\n{body}\n"


def _planck(body):
    return f"def planck(lam, T):\n{body}\n"


# A temperature fit with its own radiance function, for variants whose planck is wrong: only
# the cell they get wrong should lose points.
OWN_FIT = """
def _radiance(lam, T):
    x = H * C / (lam.double() * K * T)
    return 2 * H * C**2 / lam.double() ** 5 / torch.expm1(x)


def fit_temperature(lam, B, T0):
    log_T = torch.tensor(math.log(T0), dtype=torch.float64, requires_grad=True)
    log_B = B.double().log()
    for _ in range(300):
        loss = ((_radiance(lam, log_T.exp()).log() - log_B) ** 2).mean() / 2
        (grad,) = torch.autograd.grad(loss, log_T)
        with torch.no_grad():
            log_T -= 0.01 * grad
    return log_T.exp().item()
"""

NAIVE_FIT = """
def fit_temperature(lam, B, T0):
    T = torch.tensor(float(T0), dtype=torch.float64, requires_grad=True)
    for _ in range(300):
        loss = ((planck(lam, T) - B.double()) ** 2).mean() / 2
        loss.backward()
        with torch.no_grad():
            T -= 1e-21 * T.grad
            T.grad.zero_()
    return T.item()
"""

VARIANTS = [
    # Right answers written another way.
    Variant(
        "optimizer_expm1_adam",
        cells={
            "fit_resistance_impl": _resistance(
                "    R = torch.nn.Parameter(torch.zeros(1))\n"
                "    opt = torch.optim.SGD([R], lr=lr)\n"
                "    for _ in range(num_steps):\n"
                "        opt.zero_grad()\n"
                "        loss = 0.5 * torch.mean((R * I - V) ** 2)\n"
                "        loss.backward()\n"
                "        opt.step()\n"
                "    return R.detach()"
            ),
            "planck_impl": _planck(
                "    lam = lam.double()\n"
                "    if isinstance(T, torch.Tensor):\n"
                "        T = T.double()\n"
                "    return 2 * H * C**2 / (lam**5 * torch.expm1(H * C / (lam * K * T)))"
            ),
            "fit_temperature_impl": """
def fit_temperature(lam, B, T0, steps=400):
    s = torch.zeros((), dtype=torch.float64, requires_grad=True)  # T = T0 * exp(s)
    opt = torch.optim.Adam([s], lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((planck(lam, T0 * s.exp()) / B.double()).log() ** 2).mean()
        loss.backward()
        opt.step()
    return T0 * s.exp().item()
""",
        },
    ),
    Variant(
        "float64_backward_numpy_scalars",
        cells={
            "fit_resistance_impl": "import numpy as np\n\n"
            + _resistance(
                "    I, V = I.double(), V.double()\n"
                "    R = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)\n"
                "    for step in range(num_steps):\n"
                "        loss = ((R * I - V) ** 2).mean() / 2\n"
                "        loss.backward()\n"
                "        with torch.no_grad():\n"
                "            R -= lr * R.grad\n"
                "        R.grad.zero_()\n"
                "    return np.float64(R.item())"
            ),
            "fit_temperature_impl": "import numpy as np\n"
            + OWN_FIT.replace("return log_T.exp().item()", "return np.float64(log_T.exp().item())"),
        },
    ),
    Variant(
        "planck_with_warning_float64_constants",
        cells={
            "planck_impl": "import warnings\n\n"
            + _planck(
                '    warnings.warn("computing in float64")\n'
                "    lam = torch.as_tensor(lam).to(torch.float64)\n"
                "    T = torch.as_tensor(T, dtype=torch.float64)\n"
                "    first = torch.tensor(2 * H * C**2, dtype=torch.float64)\n"
                "    return first * lam.pow(-5) / torch.special.expm1(H * C / K / (lam * T))"
            ),
        },
    ),
    # Known mistakes.
    Variant(
        "resistance_with_intercept",
        cells={
            "fit_resistance_impl": _resistance(
                "    R = torch.zeros(1, requires_grad=True)\n"
                "    c = torch.zeros(1, requires_grad=True)\n"
                "    for _ in range(num_steps):\n"
                "        loss = ((R * I + c - V) ** 2 / 2).mean()\n"
                "        gR, gc = torch.autograd.grad(loss, [R, c])\n"
                "        with torch.no_grad():\n"
                "            R -= lr * gR\n"
                "            c -= lr * gc\n"
                "    return R.item()"
            ),
        },
        failing=("fit_resistance",),
        message="intercept",
    ),
    Variant(
        "resistance_grad_not_zeroed",
        cells={
            "fit_resistance_impl": _resistance(
                "    R = torch.zeros((), requires_grad=True)\n"
                "    for _ in range(num_steps):\n"
                "        ((R * I - V) ** 2 / 2).mean().backward()\n"
                "        with torch.no_grad():\n"
                "            R -= lr * R.grad\n"
                "    return R.item()"
            ),
        },
        failing=("fit_resistance",),
        message="not zeroed",
    ),
    Variant(
        "resistance_mean_ratio",
        cells={"fit_resistance_impl": _resistance("    return (V / I).mean().item()")},
        failing=("fit_resistance",),
        message="mean of V / I",
    ),
    Variant(
        "planck_in_float32",
        cells={
            "planck_impl": _planck(
                "    return 2 * H * C**2 / lam**5 / (torch.exp(H * C / (lam * K * T)) - 1)"
            ),
            "fit_temperature_impl": OWN_FIT,
        },
        failing=("planck",),
        message="float32",
    ),
    Variant(
        "planck_without_minus_one",
        cells={
            "planck_impl": _planck(
                "    lam = lam.double()\n"
                "    return 2 * H * C**2 / lam**5 * torch.exp(-H * C / (lam * K * T))"
            ),
            "fit_temperature_impl": OWN_FIT,
        },
        failing=("planck",),
        message="without the - 1",
    ),
    Variant(
        "planck_missing_two",
        cells={
            "planck_impl": _planck(
                "    lam = lam.double()\n"
                "    return H * C**2 / lam**5 / torch.expm1(H * C / (lam * K * T))"
            ),
            "fit_temperature_impl": OWN_FIT,
        },
        failing=("planck",),
        message="missing factor 2",
    ),
    Variant(
        "naive_temperature_fit",
        cells={"fit_temperature_impl": NAIVE_FIT},
        failing=("fit_temperature",),
        message="barely moved",
    ),
    Variant(
        "stubs_constant_and_inputs",
        cells={
            "fit_resistance_impl": _resistance("    return 1.0"),
            "planck_impl": _planck("    return lam"),
            "fit_temperature_impl": "def fit_temperature(lam, B, T0):\n    return T0\n",
        },
        failing=("fit_resistance", "planck", "fit_temperature"),
        zero=("fit_resistance", "planck", "fit_temperature"),
        message="expected",
    ),
]
