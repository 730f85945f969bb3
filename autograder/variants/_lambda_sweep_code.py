"""Code of lambda_sweep answers, as students write it, for autograder.variants.lambda_sweep
(a module of its own so that the variant list stays short)."""


def sweep_code(
    *,
    seed_before="",
    seed_inside="torch.manual_seed(seed)",
    model_before="",
    model_inside="model = d2lkit.WeightDecay(wd=lambd, lr=lr)",
    train_loss="model.loss(model(X_train), y_train).item()",
    val_loss="model.loss(model(X_val), y_val).item()",
    w_norm="torch.linalg.vector_norm(model.get_w_b()[0]).item()",
    signature="max_epochs=10, lr=0.01, seed=0",
):
    """A sweep cell with one part swapped out; the defaults give a right answer."""
    return f"""
def sweep(data, lambdas, {signature}):
    X_train, y_train = data.tensors(train=True)
    X_val, y_val = data.tensors(train=False)
    results = []
    {seed_before}
    {model_before}
    for lambd in lambdas:
        {seed_inside}
        {model_inside}
        trainer = d2lkit.Trainer(max_epochs=max_epochs)
        trainer.fit(model, data)
        with torch.no_grad():
            row = {{"lambd": lambd, "train_loss": {train_loss}, "val_loss": {val_loss},
                   "w_norm": {w_norm}}}
        results.append(row)
    return results
"""


FLOAT64_BY_HAND = """
import math

def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0):
    def mse(model, X, y):
        return ((model(X).double() - y.double()) ** 2).mean().item()

    results = []
    i = 0
    while i < len(lambdas):
        torch.manual_seed(seed)
        model = d2lkit.WeightDecay(wd=lambdas[i], lr=lr)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
        with torch.no_grad():
            w = model.net.weight.double()
            results.append({
                "lambd": lambdas[i],
                "train_loss": mse(model, *data.tensors(train=True)),
                "val_loss": mse(model, *data.tensors(train=False)),
                "w_norm": math.sqrt(float((w * w).sum())),
            })
        i += 1
    return results
"""

TENSORS_NUMPY_AND_NOISE = """
import sys
import warnings

import numpy as np
import torch.nn.functional as F

def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0):
    warnings.warn("this sweep takes a moment")
    print("sweeping", len(lambdas), "values", file=sys.stderr)
    results = []
    for lambd in lambdas:
        torch.manual_seed(seed)
        model = d2lkit.WeightDecay(wd=lambd, lr=lr)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
        X, y = data.tensors(train=True)
        X_val, y_val = data.tensors(train=False)
        with torch.no_grad():
            results.append({
                "lambd": lambd,
                "train_loss": F.mse_loss(model(X), y).detach(),  # a 0-d tensor
                "val_loss": np.float64(F.mse_loss(model(X_val), y_val).item()),
                "w_norm": model.net.weight.norm().detach(),
                "num_epochs": max_epochs,  # an extra key does no harm
            })
    return results
"""

BEST_BY_ARGMIN = """
import numpy as np

def best_lambda(results):
    lambdas = np.array([r["lambd"] for r in results])
    return lambdas[np.argmin([r["val_loss"] for r in results])]  # a numpy.float64
"""

BEST_BY_FLOAT32_ARGMIN = """
def best_lambda(results):
    val = torch.tensor([r["val_loss"] for r in results])  # float32: about 7 digits
    return results[int(torch.argmin(val))]["lambd"]
"""

PLOT_WITH_PYPLOT = """
def plot_sweep(results):
    fig, ax = plt.subplots()
    lambdas = [r["lambd"] for r in results]
    ax.semilogy(lambdas, [r["train_loss"] for r in results], label="train")
    ax.semilogy(lambdas, [r["val_loss"] for r in results], label="validation")
    ax.set(xlabel="lambda", ylabel="loss")
    fig.legend()
    return fig
"""


def best_code(body):
    return f"def best_lambda(results):\n{body}\n"


def plot_code(body, ret="fig"):
    return f"""
def plot_sweep(results):
    fig = Figure()
    ax = fig.add_subplot()
    lambdas = [r["lambd"] for r in results]
    {body}
    return {ret}
"""


LOG_LABELLED = """ax.plot(lambdas, [r["train_loss"] for r in results], label="train")
    ax.plot(lambdas, [r["val_loss"] for r in results], label="val")
    ax.set_yscale("log")
    ax.set_xlabel("lambda")
    ax.set_ylabel("loss")
    ax.legend()"""


COMPREHENSION_WITH_NUMPY = """
import numpy as np

def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0):
    splits = (data.tensors(train=True), data.tensors(train=False))

    def run(lambd):
        torch.manual_seed(seed)
        model = d2lkit.WeightDecay(wd=lambd, lr=lr)
        d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
        with torch.no_grad():
            train, val = [np.float64(model.loss(model(X), y).item()) for X, y in splits]
        w_norm = np.linalg.norm(model.net.weight.detach().numpy())  # a numpy.float32
        return {"lambd": lambd, "train_loss": train, "val_loss": val, "w_norm": w_norm}

    return [run(lambd) for lambd in lambdas]
"""

# Stubs: None, the input, a constant, for each function of the notebook.
STUB_SWEEP_CONSTANT = """
def sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0):
    return [{"lambd": l, "train_loss": 1.0, "val_loss": 1.0, "w_norm": 1.0} for l in lambdas]
"""

STUB_PLOT_CONSTANT = """
def plot_sweep(results):
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([1, 2], [1, 2], label="train")
    ax.plot([1, 2], [2, 4], label="val")
    ax.set_yscale("log")
    ax.set_xlabel("lambda")
    ax.set_ylabel("loss")
    ax.legend()
    return fig
"""


def stub_cells(sweep, best, plot):
    """Solution cells of a stub answer: each function returns the given expression (or, for a
    multi-line stub, is defined by the given code)."""

    def define(signature, body):
        return body if "\n" in body else f"def {signature}:\n    return {body}\n"

    return {
        "sweep_impl": define("sweep(data, lambdas, max_epochs=10, lr=0.01, seed=0)", sweep),
        "best_lambda_impl": define("best_lambda(results)", best),
        "plot_sweep_impl": define("plot_sweep(results)", plot),
    }
