"""Known answers to huber_loss.ipynb: right ones that must keep every point, wrong ones that
must lose points on the cells they name, with the mistake in the message."""

from autograder.notebooks import Variant
from autograder.variants._huber_loss_found import (
    FOUND_RIGHT,
    FOUND_WRONG,
    SELF_CONTAINED_MODEL,
    STUBS,
)

ASSIGNMENT = "linear_regression"

RIGHT = [
    Variant(
        "smooth_l1_builtin",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    return torch.nn.SmoothL1Loss(beta=sigma, reduction="none")(y_hat, y.reshape(y_hat.shape))
"""
        },
    ),
    Variant(
        "huber_builtin_divided_by_sigma",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    y = y.view_as(y_hat)
    return torch.nn.functional.huber_loss(y_hat, y, reduction="none", delta=sigma) / sigma
"""
        },
    ),
    Variant(
        "float64_and_boundary_inclusive",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat.double() - y.double().reshape(y_hat.shape)
    quadratic = 0.5 * r * r / sigma
    linear = r.abs() - 0.5 * sigma
    return torch.where(r.abs() >= sigma, linear, quadratic)
"""
        },
    ),
    Variant(
        "clamp_form_with_warning",
        cells={
            "huber_loss_impl": """
import warnings

def huber_loss(y_hat, y, sigma=1.0):
    warnings.warn("computing the Huber loss the long way round")
    a = (y_hat - y.reshape(-1, 1).reshape(y_hat.shape)).abs()
    inside = torch.clamp(a, max=sigma)  # quadratic part, capped at sigma
    return inside**2 / (2 * sigma) + (a - inside)
"""
        },
    ),
    Variant(
        "model_saves_hyperparameters",
        cells={
            "huber_regression_impl": """
class HuberRegression(d2lkit.LinearRegression):
    def __init__(self, lr, sigma=1.0):
        super().__init__(lr)
        self.save_hyperparameters()

    def loss(self, y_hat, y):
        per_example = huber_loss(y_hat, y, sigma=self.sigma)
        return per_example.sum() / per_example.numel()
"""
        },
    ),
    Variant(
        "experiment_in_a_loop_with_tensor_errors",
        cells={
            "huber_experiment_impl": """
models = {}
for name, build in (("huber", lambda: HuberRegression(lr=0.1, sigma=1.0)),
                    ("mse", lambda: d2lkit.LinearRegression(lr=0.1))):
    torch.manual_seed(0)
    models[name] = build()
    trainer = d2lkit.Trainer(max_epochs=5)
    trainer.fit(models[name], data)
huber_model, mse_model = models["huber"], models["mse"]
err_huber = (huber_model.net.weight.detach().reshape(-1) - true_w).norm()
err_mse = (mse_model.net.weight.detach().reshape(-1) - true_w).norm()
"""
        },
    ),
]

WRONG = [
    Variant(
        "huber_builtin_not_divided",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    return torch.nn.HuberLoss(reduction="none", delta=sigma)(y_hat, y.reshape(y_hat.shape))
"""
        },
        # sigma = 1 in the experiment, where the two losses agree.
        failing=("huber_loss_values", "huber_regression"),
        message="HuberLoss(delta=sigma) used",
    ),
    Variant(
        "missing_half",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / sigma)
"""
        },
        failing=("huber_loss_values", "huber_regression", "huber_experiment_result"),
        message="missing its 1/2",
    ),
    Variant(
        "labels_broadcast",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat - y
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))
"""
        },
        failing=("huber_loss_values", "huber_regression"),
        message="broadcast",
    ),
    Variant(
        "linear_zone_without_offset",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r.abs() > sigma, r.abs(), r**2 / (2 * sigma))
"""
        },
        # The offset is a constant: the gradients, and so the experiment, are unchanged.
        failing=("huber_loss_values", "huber_regression"),
        message="offset",
    ),
    Variant(
        "sigma_hard_coded",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r.abs() > 1, r.abs() - 0.5, r**2 / 2)
"""
        },
        failing=("huber_loss_values", "huber_regression"),
        message="sigma ignored",
    ),
    Variant(
        "residual_in_place",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    y_hat -= y.reshape(y_hat.shape)  # overwrites the caller's predictions
    r = y_hat
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))
"""
        },
        failing=("huber_loss_values",),
        message="changed its argument y_hat",
    ),
    Variant(
        "returns_none",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))
""",
            "huber_regression_impl": SELF_CONTAINED_MODEL,
        },
        failing=("huber_loss_values",),
        zero=("huber_loss_values",),
        message="returned None",
    ),
    Variant(
        "sum_not_mean",
        cells={
            "huber_regression_impl": """
class HuberRegression(d2lkit.LinearRegression):
    def __init__(self, lr, sigma=1.0):
        super().__init__(lr)
        self.sigma = sigma

    def loss(self, y_hat, y):
        return huber_loss(y_hat, y, self.sigma).sum()
"""
        },
        failing=("huber_regression", "huber_experiment_result"),
        message="the sum of the per-example losses",
    ),
    Variant(
        "loss_not_overridden",
        cells={
            "huber_regression_impl": """
class HuberRegression(d2lkit.LinearRegression):
    def __init__(self, lr, sigma=1.0):
        super().__init__(lr)
        self.sigma = sigma
"""
        },
        failing=("huber_regression", "huber_experiment_result"),
        message="squared-error loss",
    ),
    Variant(
        "not_a_subclass",
        cells={
            "huber_regression_impl": """
class HuberRegression(d2lkit.Module):
    def __init__(self, lr, sigma=1.0):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.LazyLinear(1)

    def loss(self, y_hat, y):
        return huber_loss(y_hat, y, self.sigma).mean()

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        return self.net.weight.data, self.net.bias.data
"""
        },
        # PyTorch's default init instead of N(0, 0.01): the seeded runs differ too.
        failing=("huber_regression", "huber_experiment_result"),
        message="builds on d2lkit.LinearRegression",
    ),
    Variant(
        "squared_norm",
        cells={
            "huber_experiment_impl": """
torch.manual_seed(0)
huber_model = HuberRegression(lr=0.1, sigma=1.0)
d2lkit.Trainer(max_epochs=5).fit(huber_model, data)
torch.manual_seed(0)
mse_model = d2lkit.LinearRegression(lr=0.1)
d2lkit.Trainer(max_epochs=5).fit(mse_model, data)
err_huber = ((huber_model.get_w_b()[0].reshape(-1) - true_w) ** 2).sum().item()
err_mse = ((mse_model.get_w_b()[0].reshape(-1) - true_w) ** 2).sum().item()
"""
        },
        failing=("huber_experiment_result",),
        message="squared norm",
    ),
    Variant(
        "unseeded_second_model",
        cells={
            "huber_experiment_impl": """
torch.manual_seed(0)
huber_model = HuberRegression(lr=0.1, sigma=1.0)
d2lkit.Trainer(max_epochs=5).fit(huber_model, data)
mse_model = d2lkit.LinearRegression(lr=0.1)
d2lkit.Trainer(max_epochs=5).fit(mse_model, data)
err_huber = torch.linalg.norm(huber_model.get_w_b()[0].reshape(-1) - true_w).item()
err_mse = torch.linalg.norm(mse_model.get_w_b()[0].reshape(-1) - true_w).item()
"""
        },
        failing=("huber_experiment_result",),
        message="torch.manual_seed(0) right before building each model",
    ),
    Variant(
        "errors_swapped",
        cells={
            "huber_experiment_impl": """
torch.manual_seed(0)
huber_model = HuberRegression(lr=0.1, sigma=1.0)
d2lkit.Trainer(max_epochs=5).fit(huber_model, data)
torch.manual_seed(0)
mse_model = d2lkit.LinearRegression(lr=0.1)
d2lkit.Trainer(max_epochs=5).fit(mse_model, data)
err_mse = torch.linalg.norm(huber_model.get_w_b()[0].reshape(-1) - true_w).item()
err_huber = torch.linalg.norm(mse_model.get_w_b()[0].reshape(-1) - true_w).item()
"""
        },
        failing=("huber_experiment_result",),
        message="swapped",
    ),
]

VARIANTS = RIGHT + FOUND_RIGHT + WRONG + FOUND_WRONG + STUBS
