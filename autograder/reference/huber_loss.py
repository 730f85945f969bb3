"""Reference answers for huber_loss.ipynb (D2L 3.5, exercise 2), and its known mistakes.

The book's robust loss, for a residual r = y_hat - y and a threshold sigma:

    l(r) = |r| - sigma / 2      where |r| > sigma
    l(r) = r**2 / (2 * sigma)   elsewhere

It is PyTorch's SmoothL1Loss(beta=sigma); HuberLoss(delta=sigma) is sigma times it. Each
mistake below is the wrong answer a student would get on the same inputs, so a grader can name
the mistake when a student's answer matches it.
"""

from functools import cache

import torch

import d2lkit

# Names of the known mistakes, as they read after "This looks like ...".
HUBER_FACTOR = (
    "HuberLoss(delta=sigma) used where the book's loss is SmoothL1Loss(beta=sigma) "
    "(HuberLoss is sigma times larger)"
)
MISSING_HALF = "the quadratic zone missing its 1/2 (r**2 / sigma instead of r**2 / (2 * sigma))"
NO_OFFSET = "the linear zone missing its - sigma / 2 offset (the loss jumps at |r| = sigma)"
SIGMA_IGNORED = "sigma ignored (the loss for sigma = 1, whatever sigma is given)"
BROADCAST = "y of shape (n,) broadcast against y_hat of shape (n, 1) into an (n, n) matrix"
COLUMN = (
    "y reshaped to a column (n, 1) whatever y_hat's shape: against a 1-D y_hat of shape (n,) "
    "it broadcasts into an (n, n) matrix (reshape y to y_hat.shape)"
)
BOUNDARY_GAP = (
    "both zones left out |r| = sigma exactly (strict < and > on either side), so the loss is 0 "
    "there instead of sigma / 2"
)
SUM_NOT_MEAN = "the sum of the per-example losses where their mean is asked"
SQUARED_LOSS = "the parent class's squared-error loss (huber_loss not used)"
SQUARED_NORM = "the squared norm of the weight error where its norm is asked"
WITH_BIAS = "the error of weight and bias together where only the weight's is asked"
SWAPPED = "err_huber and err_mse swapped"


def huber_loss(y_hat, y, sigma=1.0):
    """The book's loss, element by element, with y reshaped to y_hat's shape."""
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))


# Known mistakes of huber_loss, each on the same inputs as the reference.
def huber_loss_factor(y_hat, y, sigma=1.0):
    return sigma * huber_loss(y_hat, y, sigma)


def huber_missing_half(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / sigma)


def huber_no_offset(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(y_hat.shape)
    return torch.where(r.abs() > sigma, r.abs(), r**2 / (2 * sigma))


def huber_sigma_ignored(y_hat, y, sigma=1.0):
    return huber_loss(y_hat, y, 1.0)


def huber_broadcast(y_hat, y, sigma=1.0):
    r = y_hat - y  # (n, 1) - (n,) -> (n, n)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))


def huber_column(y_hat, y, sigma=1.0):
    r = y_hat - y.reshape(-1, 1)  # (n,) - (n, 1) -> (n, n) for a 1-D y_hat
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))


def huber_boundary_gap(y_hat, y, sigma=1.0):
    r = (y_hat - y.reshape(y_hat.shape)).abs()
    return (r**2 / (2 * sigma)) * (r < sigma) + (r - sigma / 2) * (r > sigma)


def mistakes(y_hat, y, sigma):
    """(name, value) of every known huber_loss mistake that differs from the right answer on
    these inputs."""
    found = [
        (HUBER_FACTOR, huber_loss_factor(y_hat, y, sigma)),
        (MISSING_HALF, huber_missing_half(y_hat, y, sigma)),
        (NO_OFFSET, huber_no_offset(y_hat, y, sigma)),
        (SIGMA_IGNORED, huber_sigma_ignored(y_hat, y, sigma)),
        (BROADCAST, huber_broadcast(y_hat, y, sigma)),
    ]
    if y_hat.dim() == 1:
        found.append((COLUMN, huber_column(y_hat, y, sigma)))
    if bool(((y_hat - y.reshape(y_hat.shape)).abs() == sigma).any()):
        found.append((BOUNDARY_GAP, huber_boundary_gap(y_hat, y, sigma)))
    return found


def model_loss_mistakes(y_hat, y, sigma):
    """(name, value) of the known mistakes of HuberRegression.loss on these inputs."""
    return [
        *((name, value.mean()) for name, value in mistakes(y_hat, y, sigma)),
        (SUM_NOT_MEAN, huber_loss(y_hat, y, sigma).sum()),
        (SQUARED_LOSS, d2lkit.mse_loss(y_hat, y)),
    ]


class HuberRegression(d2lkit.LinearRegression):
    """LinearRegression with the mean Huber loss. `element_loss` and `reduce` let the
    graders train the known mistakes too (a wrong element loss, a sum for the mean)."""

    def __init__(self, lr, sigma=1.0, element_loss=huber_loss, reduce=torch.mean):
        super().__init__(lr)
        self.sigma = sigma
        self.element_loss = element_loss
        self.reduce = reduce

    def loss(self, y_hat, y):
        return self.reduce(self.element_loss(y_hat, y, self.sigma))


def quiet(model):
    """Switch the live training board off: graders want numbers, not figures."""
    board = getattr(model, "board", None)
    if board is not None:
        board.display = False
    return model


def fit(model, data, max_epochs, seed):
    """Build-then-fit with torch.manual_seed(seed) before the model: `model` is a factory,
    so the seed fixes both the initial weights and the batch order."""
    torch.manual_seed(seed)
    net = quiet(model())
    d2lkit.Trainer(max_epochs=max_epochs).fit(net, data)
    return net


# The data of the graders' short training run (the probe builds the same from these).
FIT_DATA = {
    "noise": 0.1,
    "num_train": 48,
    "num_val": 8,
    "batch_size": 12,
    "num_outliers": 4,
    "outlier_scale": 10.0,
}


def fit_setup(gen, seed):
    """The inputs of one short training run, drawn from the check's generator and seed."""
    d = int(torch.randint(1, 4, (), generator=gen))
    return {
        "w": torch.randn(d, generator=gen) * 2,
        "b": round(float(torch.randn((), generator=gen)) * 2, 3),
        "data_seed": seed % 10_000,
        "data_kwargs": FIT_DATA,
        "model_seed": seed % 9_973,
        "lr": 0.1,
        "sigma": round(0.5 + 0.4 * float(torch.rand((), generator=gen)), 3),
        "max_epochs": 2,
    }


def _fit_weights(factory, w, b, data_seed, data_kwargs, model_seed, max_epochs):
    data = d2lkit.OutlierRegressionData(w, b, seed=data_seed, **data_kwargs)
    return weights(fit(factory, data, max_epochs, model_seed))


def fit_run(lr, sigma, **setup):
    """(weight, bias) after the graders' short seeded training run of HuberRegression."""
    return _fit_weights(lambda: HuberRegression(lr=lr, sigma=sigma), **setup)


def fit_run_mistakes(lr, sigma, **setup):
    """name -> (weight, bias) after the same run, done with each known mistake."""
    runs = {
        HUBER_FACTOR: {"element_loss": huber_loss_factor},
        MISSING_HALF: {"element_loss": huber_missing_half},
        SUM_NOT_MEAN: {"reduce": torch.sum},
    }
    out = {
        name: _fit_weights(lambda kw=kw: HuberRegression(lr=lr, sigma=sigma, **kw), **setup)
        for name, kw in runs.items()
    }
    out[SQUARED_LOSS] = _fit_weights(lambda: d2lkit.LinearRegression(lr=lr), **setup)
    return out


def weights(net):
    return net.net.weight.detach().clone(), net.net.bias.detach().clone()


# The notebook's experiment, exactly as the notebook states it.
EXPERIMENT = {
    "w": [2.0],
    "b": 4.2,
    "noise": 0.1,
    "num_train": 200,
    "num_val": 200,
    "batch_size": 10,
    "num_outliers": 20,
    "outlier_scale": 20.0,
    "data_seed": 0,
    "model_seed": 0,
    "lr": 0.1,
    "sigma": 1.0,
    "max_epochs": 5,
}


def experiment_data():
    e = EXPERIMENT
    return d2lkit.OutlierRegressionData(
        torch.tensor(e["w"]),
        e["b"],
        noise=e["noise"],
        num_train=e["num_train"],
        num_val=e["num_val"],
        batch_size=e["batch_size"],
        num_outliers=e["num_outliers"],
        outlier_scale=e["outlier_scale"],
        seed=e["data_seed"],
    )


def _run(factory):
    e = EXPERIMENT
    net = fit(factory, experiment_data(), e["max_epochs"], e["model_seed"])
    w_hat, b_hat = weights(net)
    return torch.tensor(e["w"]), e["b"], w_hat, b_hat


def _weight_error(run):
    w, _, w_hat, _ = run
    return float(torch.linalg.norm(w_hat.reshape(w.shape) - w))


@cache
def _reference_runs():
    e = EXPERIMENT
    huber = _run(lambda: HuberRegression(lr=e["lr"], sigma=e["sigma"]))
    mse = _run(lambda: d2lkit.LinearRegression(lr=e["lr"]))
    return huber, mse


def experiment():
    """(err_huber, err_mse) of the notebook's experiment."""
    huber, mse = _reference_runs()
    return _weight_error(huber), _weight_error(mse)


@cache
def experiment_mistakes():
    """(name, err_huber, err_mse) of the experiment done with each known mistake; None where
    the mistake leaves that number right."""
    e = EXPERIMENT
    huber, mse = _reference_runs()
    err_huber, err_mse = experiment()

    def with_bias(run):
        w, b, w_hat, b_hat = run
        return float(torch.linalg.norm(torch.cat([w_hat.reshape(-1) - w, b_hat - b])))

    def trained_with(**kwargs):
        return _weight_error(_run(lambda: HuberRegression(lr=e["lr"], sigma=e["sigma"], **kwargs)))

    return [
        (SQUARED_NORM, err_huber**2, err_mse**2),
        (WITH_BIAS, with_bias(huber), with_bias(mse)),
        # Same seed, same data: a Huber model that kept the parent's loss is the MSE model, and
        # its error is err_mse, as when the two names are swapped.
        (f"{SQUARED_LOSS}, or {SWAPPED}", err_mse, None),
        (SWAPPED, None, err_huber),
        (MISSING_HALF, trained_with(element_loss=huber_missing_half), None),
        (SUM_NOT_MEAN, trained_with(reduce=torch.sum), None),
    ]
