"""Right and wrong answers to robust_regression.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "from_scratch"


def _abs(body):
    return f"def abs_loss(y_hat, y):\n{body}\n"


def _errors(
    copy_and_plant="    dirty = copy.deepcopy(data)\n    dirty.y[outlier_index] = outlier_value\n",
    loss="model.loss = lambda y_hat, y: loss_fn(y_hat, y).mean()",
    result="float(torch.linalg.norm(model.w.detach().reshape(-1) - data.w))",
):
    """An outlier_errors whose planting, loss or returned number varies; the rest as usual."""
    return (
        "def outlier_errors(loss_fn, data, outlier_index, outlier_value, lr, max_epochs, "
        "seed=0):\n"
        f"{copy_and_plant}"
        "    torch.manual_seed(seed)\n"
        "    model = d2lkit.LinearRegressionScratch(len(data.w), lr)\n"
        f"    {loss}\n"
        "    d2lkit.Trainer(max_epochs=max_epochs).fit(model, dirty)\n"
        f"    return {result}\n"
    )


SUBCLASS = '''
class RobustScratch(d2lkit.LinearRegressionScratch):
    """The scratch model with a loss given from outside."""

    def __init__(self, num_inputs, lr, element_loss):
        super().__init__(num_inputs, lr)
        self.element_loss = element_loss

    def loss(self, y_hat, y):
        return self.element_loss(y_hat, y).mean()


def outlier_errors(loss_fn, data, outlier_index, outlier_value, lr, max_epochs, seed=0):
    dirty = copy.copy(data)
    dirty.y = data.y.clone()
    dirty.y[outlier_index, 0] = outlier_value
    torch.manual_seed(seed)
    model = RobustScratch(data.X.shape[1], lr, loss_fn)
    trainer = d2lkit.Trainer(max_epochs)
    trainer.fit(model, dirty)
    diff = model.w.detach()[:, 0] - data.w
    return (diff**2).sum().sqrt().item()
'''

IN_PLACE = "    dirty = data\n    dirty.y[outlier_index] = outlier_value\n"

VARIANTS = [
    # Right answers written another way.
    Variant(
        "where_subclass_and_item",
        cells={
            "abs_loss_impl": _abs(
                "    r = y_hat - y.reshape_as(y_hat)\n    return torch.where(r >= 0, r, -r)"
            ),
            "outlier_errors_impl": SUBCLASS,
        },
    ),
    Variant(
        "l1_builtin_numpy_norm",
        cells={
            "abs_loss_impl": _abs(
                "    return torch.nn.functional.l1_loss(y_hat, y.view(y_hat.shape), "
                "reduction='none')"
            ),
            "outlier_errors_impl": "import numpy as np\n\n"
            + _errors(result="np.linalg.norm(model.w.detach().numpy().ravel() - data.w.numpy())"),
        },
    ),
    Variant(
        "float64_loop_and_tensor_result",
        cells={
            "abs_loss_impl": "import warnings\n\n"
            + _abs(
                "    warnings.warn('absolute loss in float64')\n"
                "    r = (y_hat.double() - y.double().reshape(y_hat.shape)).reshape(-1)\n"
                "    out = torch.stack([torch.abs(v) for v in r])\n"
                "    return out.reshape(y_hat.shape)"
            ),
            "outlier_errors_impl": _errors(
                loss="model.loss = lambda p, t: torch.mean(loss_fn(p, t))",
                result="torch.linalg.vector_norm(model.w.detach().flatten() - data.w)",
            ),
        },
    ),
    # Known mistakes of abs_loss.
    Variant(
        "abs_broadcast",
        cells={"abs_loss_impl": _abs("    return (y_hat - y).abs()")},
        failing=("abs_loss",),
        message="broadcast",
    ),
    Variant(
        "abs_squared",
        cells={"abs_loss_impl": _abs("    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2")},
        failing=("abs_loss",),
        message="squared loss",
    ),
    Variant(
        "abs_mean",
        cells={"abs_loss_impl": _abs("    return (y_hat - y.reshape(y_hat.shape)).abs().mean()")},
        failing=("abs_loss",),
        message="where one loss per element is asked",
    ),
    Variant(
        "abs_batch_switch",
        cells={
            "abs_loss_impl": _abs(
                "    r = y_hat - y.reshape(y_hat.shape)\n"
                "    if r.sum().abs() > 1.0:\n"
                "        return r.abs()\n"
                "    return r**2 / 2"
            )
        },
        failing=("abs_loss",),
        message="switches the whole batch",
    ),
    Variant(
        "abs_sqrt_of_square",
        cells={
            "abs_loss_impl": _abs("    return torch.sqrt((y_hat - y.reshape(y_hat.shape)) ** 2)")
        },
        failing=("abs_loss",),
        message="sqrt(r**2)",
    ),
    Variant(
        "stub_abs_returns_input",
        cells={"abs_loss_impl": _abs("    return y_hat")},
        failing=("abs_loss",),
        zero=("abs_loss",),
    ),
    # Known mistakes of outlier_errors.
    Variant(
        "outlier_in_callers_data",
        cells={"outlier_errors_impl": _errors(copy_and_plant=IN_PLACE)},
        failing=("outlier_errors",),
        message="changed the caller's data",
    ),
    Variant(
        "loss_fn_ignored",
        cells={"outlier_errors_impl": _errors(loss="pass")},
        failing=("outlier_errors",),
        message="loss_fn ignored",
    ),
    Variant(
        "loss_summed",
        cells={
            "outlier_errors_impl": _errors(loss="model.loss = lambda p, t: loss_fn(p, t).sum()")
        },
        failing=("outlier_errors",),
        message="sum of loss_fn",
    ),
    Variant(
        "squared_norm",
        cells={
            "outlier_errors_impl": _errors(
                result="float(((model.w.detach().reshape(-1) - data.w) ** 2).sum())"
            )
        },
        failing=("outlier_errors",),
        message="squared norm",
    ),
    Variant(
        "norm_broadcast",
        cells={
            "outlier_errors_impl": _errors(result="float(torch.norm(model.w.detach() - data.w))")
        },
        failing=("outlier_errors",),
        message="broadcast into a (d, d) matrix",
    ),
    Variant(
        "error_with_bias",
        cells={
            "outlier_errors_impl": _errors(
                result="float(torch.norm(torch.cat([model.w.detach().reshape(-1) - data.w, "
                "model.b.detach() - data.b])))"
            )
        },
        failing=("outlier_errors",),
        message="weight and bias together",
    ),
    Variant(
        "outlier_added",
        cells={
            "outlier_errors_impl": _errors(
                copy_and_plant="    dirty = copy.deepcopy(data)\n"
                "    dirty.y[outlier_index] += outlier_value\n"
            )
        },
        failing=("outlier_errors",),
        message="added to the label",
    ),
    Variant(
        "outlier_never_planted",
        cells={"outlier_errors_impl": _errors(copy_and_plant="    dirty = copy.deepcopy(data)\n")},
        failing=("outlier_errors",),
        message="never planted",
    ),
    Variant(
        "stub_errors_constant",
        cells={
            "outlier_errors_impl": "def outlier_errors(loss_fn, data, outlier_index, "
            "outlier_value, lr, max_epochs, seed=0):\n    return 0.0\n"
        },
        failing=("outlier_errors",),
        zero=("outlier_errors",),
    ),
    Variant(
        "stub_abs_returns_none",
        cells={"abs_loss_impl": _abs("    return None")},
        failing=("abs_loss",),
        zero=("abs_loss",),
    ),
    Variant(
        "stub_abs_constant",
        cells={"abs_loss_impl": _abs("    return torch.zeros_like(y_hat)")},
        failing=("abs_loss",),
        zero=("abs_loss",),
    ),
    Variant(
        "stub_errors_none",
        cells={
            "outlier_errors_impl": "def outlier_errors(loss_fn, data, outlier_index, "
            "outlier_value, lr, max_epochs, seed=0):\n    pass\n"
        },
        failing=("outlier_errors",),
        zero=("outlier_errors",),
    ),
    Variant(
        "stub_errors_returns_input",
        cells={
            "outlier_errors_impl": "def outlier_errors(loss_fn, data, outlier_index, "
            "outlier_value, lr, max_epochs, seed=0):\n    return outlier_value\n"
        },
        failing=("outlier_errors",),
        zero=("outlier_errors",),
    ),
]
