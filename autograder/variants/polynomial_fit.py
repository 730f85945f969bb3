"""Right and wrong answers to polynomial_fit.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "generalization"


def _poly(body):
    return f"def fit_interpolating_poly(x, y):\n{body}\n"


def _curve(body):
    return f"def learning_curve(data, fractions, max_epochs, seed=0):\n{body}\n"


FIRST_ROWS = (
    "class FirstRows(d2l.DataModule):\n"
    "    def __init__(self, data, n):\n"
    "        self.data, self.n = data, n\n"
    "        self.batch_size, self.shuffle_seed = data.batch_size, data.shuffle_seed\n\n"
    "    def get_dataloader(self, train):\n"
    "        if train:\n"
    "            return self.get_tensorloader((self.data.X, self.data.y), True, "
    "slice(0, self.n))\n"
    "        return self.data.val_dataloader()\n\n\n"
)


def _standard(
    n="round(f * data.num_train)",
    seed_line="        torch.manual_seed(seed)\n        model = d2l.LinearRegression(lr=0.03)\n",
    before="",
    subset="FirstRows(data, n)",
    measure="data.tensors(train=False)",
):
    """A learning_curve whose lines vary one at a time; the rest is the usual solution."""
    return FIRST_ROWS + _curve(
        f"{before}"
        "    rows = []\n"
        "    for f in fractions:\n"
        f"        n = {n}\n"
        f"{seed_line}"
        "        model.board.display = False\n"
        f"        subset = {subset}\n"
        "        d2l.Trainer(max_epochs=max_epochs).fit(model, subset)\n"
        f"        X_eval, y_eval = {measure}\n"
        "        with torch.no_grad():\n"
        "            loss = ((model(X_eval) - y_eval) ** 2).mean().item()\n"
        '        rows.append({"fraction": f, "n": n, "val_loss": loss})\n'
        "    return rows"
    )


VARIANTS = [
    # Right answers written another way.
    Variant(
        "numpy_polyfit_and_history_loss",
        cells={
            "fit_interpolating_poly_impl": "import numpy as np\n\n"
            + _poly(
                "    coeffs = np.polynomial.polynomial.polyfit(\n"
                "        x.double().numpy(), y.double().numpy(), len(x) - 1)\n"
                "    return torch.from_numpy(coeffs)"
            ),
            "learning_curve_impl": "import numpy as np\n\n"
            + FIRST_ROWS
            + _curve(
                "    out = []\n"
                "    for f in fractions:\n"
                "        n = int(round(f * data.num_train))\n"
                "        torch.manual_seed(seed)\n"
                "        model = d2l.LinearRegression(0.03)\n"
                "        trainer = d2l.Trainer(max_epochs)\n"
                "        trainer.fit(model, FirstRows(data, n))\n"
                "        last = np.float64(trainer.history.val_loss[-1])\n"
                "        out.append(dict(fraction=f, n=n, val_loss=last))\n"
                "    return out"
            ),
        },
    ),
    Variant(
        "newton_loops_and_sliced_copy",
        cells={
            # Newton's divided differences in Python floats, expanded into powers by hand.
            "fit_interpolating_poly_impl": "import copy\n\n"
            + _poly(
                "    xs, table = [float(v) for v in x], [float(v) for v in y]\n"
                "    n = len(xs)\n"
                "    newton = [table[0]]\n"
                "    for level in range(1, n):\n"
                "        table = [(table[i + 1] - table[i]) / (xs[i + level] - xs[i])\n"
                "                 for i in range(n - level)]\n"
                "        newton.append(table[0])\n"
                "    coeffs = [0.0] * n\n"
                "    for k in range(n - 1, -1, -1):\n"
                "        # coeffs <- coeffs * (t - xs[k]) + newton[k]\n"
                "        shifted = [0.0] + coeffs[:-1]\n"
                "        coeffs = [shifted[i] - xs[k] * coeffs[i] for i in range(n)]\n"
                "        coeffs[0] += newton[k]\n"
                "    return torch.tensor(coeffs, dtype=torch.float64)"
            ),
            "learning_curve_impl": "import copy\n\n"
            + _curve(
                "    results = []\n"
                "    N = data.num_train\n"
                "    for f in fractions:\n"
                "        n = round(f * N)\n"
                "        part = copy.copy(data)\n"
                "        part.X = torch.cat([data.X[:n], data.X[N:]])\n"
                "        part.y = torch.cat([data.y[:n], data.y[N:]])\n"
                "        part.num_train = n\n"
                "        torch.manual_seed(seed)\n"
                "        net = d2l.LinearRegression(lr=0.03)\n"
                "        d2l.Trainer(max_epochs=max_epochs).fit(net, part)\n"
                "        X_val, y_val = data.X[N:], data.y[N:]\n"
                "        with torch.no_grad():\n"
                "            mse = torch.nn.functional.mse_loss(net(X_val), y_val)\n"
                '        results.append({"fraction": f, "n": n, "val_loss": float(mse)})\n'
                "    return results"
            ),
        },
    ),
    Variant(
        "lstsq_and_own_dataloader",
        cells={
            "fit_interpolating_poly_impl": _poly(
                "    V = torch.vander(x.to(torch.float64), increasing=True)\n"
                "    sol = torch.linalg.lstsq(V, y.to(torch.float64).unsqueeze(1)).solution\n"
                "    return sol.squeeze(1)"
            ),
            "learning_curve_impl": "from torch.utils.data import DataLoader, TensorDataset\n\n"
            "class Part(d2l.DataModule):\n"
            "    def __init__(self, data, n):\n"
            "        self.data, self.n = data, n\n\n"
            "    def train_dataloader(self):\n"
            "        g = torch.Generator().manual_seed(self.data.shuffle_seed)\n"
            "        ds = TensorDataset(self.data.X[:self.n], self.data.y[:self.n])\n"
            "        return DataLoader(ds, self.data.batch_size, shuffle=True, generator=g)\n\n"
            "    def val_dataloader(self):\n"
            "        return self.data.val_dataloader()\n\n\n"
            + _curve(
                "    X_val, y_val = data.tensors(train=False)\n"
                "    rows = []\n"
                "    for f in fractions:\n"
                "        n = round(f * data.num_train)\n"
                "        torch.manual_seed(seed)\n"
                "        model = d2l.LinearRegression(lr=0.03)\n"
                "        d2l.Trainer(max_epochs=max_epochs).fit(model, Part(data, n))\n"
                "        loss = model.loss(model(X_val), y_val).detach().double()\n"
                '        rows.append({"fraction": f, "n": n, "val_loss": loss})\n'
                "    return rows"
            ),
        },
    ),
    # Known mistakes.
    Variant(
        "poly_in_float32",
        cells={
            "fit_interpolating_poly_impl": _poly(
                "    V = torch.vander(x, increasing=True)\n"
                "    return torch.linalg.solve(V, y).double()"
            )
        },
        failing=("fit_interpolating_poly",),
        message="fitted in float32",
    ),
    Variant(
        "poly_highest_power_first",
        cells={
            "fit_interpolating_poly_impl": _poly(
                "    return torch.linalg.solve(torch.vander(x.double()), y.double())"
            )
        },
        failing=("fit_interpolating_poly",),
        message="highest power first",
    ),
    Variant(
        "poly_column",
        cells={
            "fit_interpolating_poly_impl": _poly(
                "    V = torch.vander(x.double(), increasing=True)\n"
                "    return torch.linalg.solve(V, y.double().reshape(-1, 1))"
            )
        },
        failing=("fit_interpolating_poly",),
        message="a column of shape (n, 1)",
    ),
    Variant(
        "poly_degree_too_low",
        cells={
            "fit_interpolating_poly_impl": _poly(
                "    V = torch.vander(x.double(), N=len(x) - 1, increasing=True)\n"
                "    return torch.linalg.lstsq(V, y.double().unsqueeze(1)).solution.squeeze(1)"
            )
        },
        failing=("fit_interpolating_poly",),
        message="degree n - 2",
    ),
    Variant(
        "stub_poly_returns_none",
        cells={"fit_interpolating_poly_impl": _poly("    pass")},
        failing=("fit_interpolating_poly",),
        zero=("fit_interpolating_poly",),
        message="should return a torch.Tensor",
    ),
    Variant(
        "stub_poly_returns_y",
        cells={"fit_interpolating_poly_impl": _poly("    return y")},
        failing=("fit_interpolating_poly",),
        zero=("fit_interpolating_poly",),
        message="expected",
    ),
    Variant(
        "curve_warm_start",
        cells={
            "learning_curve_impl": _standard(
                seed_line="",
                before="    torch.manual_seed(seed)\n    model = d2l.LinearRegression(lr=0.03)\n",
            )
        },
        failing=("learning_curve",),
        message="one model reused",
    ),
    Variant(
        "curve_loss_on_training_rows",
        cells={"learning_curve_impl": _standard(measure="data.X[:n], data.y[:n]")},
        failing=("learning_curve",),
        message="measured on the training examples",
    ),
    Variant(
        "curve_num_train_changed_on_copy",
        cells={
            "learning_curve_impl": "import copy\n\n"
            + _standard(
                subset="copy.copy(data)\n        subset.num_train = n",
                measure="subset.tensors(train=False)",
            )
        },
        failing=("learning_curve",),
        message="validation split moved",
    ),
    Variant(
        "curve_sizes_rounded_down",
        cells={"learning_curve_impl": _standard(n="int(f * data.num_train)")},
        failing=("learning_curve",),
        message="int(f * num_train)",
    ),
    Variant(
        "curve_seeded_once",
        cells={
            "learning_curve_impl": _standard(
                seed_line="        model = d2l.LinearRegression(lr=0.03)\n",
                before="    torch.manual_seed(seed)\n",
            )
        },
        failing=("learning_curve",),
        message="called once before the loop",
    ),
    Variant(
        "curve_fraction_ignored",
        cells={"learning_curve_impl": _standard(subset="data")},
        failing=("learning_curve",),
        message="fraction not applied",
    ),
    Variant(
        "stub_curve_returns_empty",
        cells={"learning_curve_impl": _curve("    return []")},
        failing=("learning_curve",),
        zero=("learning_curve",),
        message="should return a list",
    ),
    Variant(
        "stub_curve_constant_losses",
        cells={
            "learning_curve_impl": _curve(
                '    return [{"fraction": f, "n": round(f * data.num_train), "val_loss": 1.0}\n'
                "            for f in fractions]"
            )
        },
        failing=("learning_curve",),
        zero=("learning_curve",),
        message="expected",
    ),
]
