"""huber_loss answers found by writing them as students do, and stubs that must earn
nothing; part of autograder.variants.huber_loss (a module of its own to keep each short)."""

from autograder.notebooks import Variant

# A HuberRegression that does not rely on the student's huber_loss, so that a wrong
# huber_loss variant loses points on huber_loss_values only.
SELF_CONTAINED_MODEL = """
class HuberRegression(d2lkit.LinearRegression):
    def __init__(self, lr, sigma=1.0):
        super().__init__(lr)
        self.sigma = sigma

    def loss(self, y_hat, y):
        return torch.nn.functional.smooth_l1_loss(
            y_hat, y.reshape(y_hat.shape), beta=self.sigma
        )
"""

# Answers written the way students write them, found while grading.
FOUND_RIGHT = [
    Variant(
        "in_place_on_a_copy_and_list_comprehension",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat.clone()
    r -= y.reshape(y_hat.shape)  # in place, but on a copy
    a = r.abs()
    return torch.where(a > sigma, a - sigma / 2, a * a / (2 * sigma))
""",
            "huber_regression_impl": """
class HuberRegression(d2lkit.LinearRegression):
    def __init__(self, lr, sigma=1.0):
        super().__init__(lr)
        self.sigma = sigma

    def loss(self, y_hat, y):
        losses = huber_loss(y_hat, y, self.sigma)
        return torch.stack([l for l in losses.reshape(-1)]).mean()
""",
            "huber_experiment_impl": """
import numpy as np

errors = []
for build in (lambda: HuberRegression(lr=0.1, sigma=1.0), lambda: d2lkit.LinearRegression(lr=0.1)):
    torch.manual_seed(0)
    model = build()
    d2lkit.Trainer(max_epochs=5).fit(model, data)
    w_hat = model.net.weight.detach().reshape(-1).numpy()
    errors.append(np.linalg.norm(w_hat - true_w.numpy()))  # numpy.float32
err_huber, err_mse = errors
""",
        },
    ),
    Variant(
        "masks_with_inclusive_boundary",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = (y_hat - y.view(y_hat.shape)).abs()
    small = (r <= sigma).float()
    return small * r**2 / (2 * sigma) + (1 - small) * (r - sigma / 2)
"""
        },
    ),
]

FOUND_WRONG = [
    Variant(
        "labels_always_a_column",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(-1, 1)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))
"""
        },
        failing=("huber_loss_values",),
        message="reshaped to a column",
    ),
    Variant(
        "masks_miss_the_boundary",
        cells={
            "huber_loss_impl": """
def huber_loss(y_hat, y, sigma=1.0):
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    return (r**2 / (2 * sigma)) * (r < sigma) + (r - sigma / 2) * (r > sigma)
"""
        },
        failing=("huber_loss_values",),
        message="|r| = sigma exactly",
    ),
    Variant(
        "detached_through_numpy",
        cells={
            "huber_loss_impl": """
import numpy as np

def huber_loss(y_hat, y, sigma=1.0):
    r = y_hat.detach().numpy() - y.reshape(y_hat.shape).numpy()
    a = np.abs(r)
    return torch.from_numpy(np.where(a > sigma, a - sigma / 2, r**2 / (2 * sigma)))
""",
            "huber_regression_impl": SELF_CONTAINED_MODEL,
        },
        failing=("huber_loss_values",),
        message="detached from y_hat",
    ),
]

# Stubs: each must earn nothing on every autograded cell.
CELLS = ("huber_loss_values", "huber_regression", "huber_experiment_result")


def _stub(name, value, loss, err_huber, err_mse):
    model = f"""
class HuberRegression(d2lkit.LinearRegression):
    def __init__(self, lr, sigma=1.0):
        super().__init__(lr)
        self.sigma = sigma

    def loss(self, y_hat, y):
        return {loss}
"""
    return Variant(
        f"stub_{name}",
        cells={
            "huber_loss_impl": f"def huber_loss(y_hat, y, sigma=1.0):\n    return {value}\n",
            "huber_regression_impl": model,
            "huber_experiment_impl": f"err_huber = {err_huber}\nerr_mse = {err_mse}\n",
        },
        zero=CELLS,
    )


STUBS = [
    _stub("none", "None", "None", "None", "None"),
    _stub("input", "y_hat", "y_hat", "float(true_w.norm())", "float(true_w.norm())"),
    _stub("constant", "torch.zeros_like(y_hat)", "torch.tensor(0.0)", "0.0", "1.0"),
]
