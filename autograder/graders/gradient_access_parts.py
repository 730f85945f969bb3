"""Probes and hidden inputs for the gradient_access graders (kept apart so that the grader
file reads as its list of checks). Not a grader: the runner collects only
`gradient_access.py`."""

import torch

# The model's state, read back after the student's function ran.
STATE = """
result = {
    "answer": answer,
    "weight": model.net.weight.detach().clone(),
    "bias": model.net.bias.detach().clone(),
    "weight_grad": model.net.weight.grad,
    "bias_grad": model.net.bias.grad,
    "weight_requires_grad": model.net.weight.requires_grad,
    "bias_requires_grad": model.net.bias.requires_grad,
}
"""

PROBE_TRAINED = (
    """
import torch, d2lkit
data = d2lkit.SyntheticRegressionData(w, b, noise=0.1, num_train=num_train, num_val=8,
                                      batch_size=batch_size, seed=data_seed)
torch.manual_seed(model_seed)
model = d2lkit.LinearRegression(lr=lr)
model.board.display = False  # no live figure while grading
d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
answer = get_grads(model)
"""
    + STATE
)

# A model with given parameters, and .grad set to old_grads (or left None).
MODEL_WITH = """
import torch, d2lkit
model = d2lkit.LinearRegression(lr=0.1)
model.board.display = False
with torch.no_grad():
    model(X)  # materialise the lazy layer, then set its parameters
    model.net.weight.copy_(W)
    model.net.bias.copy_(b)
if old_grads is not None:
    model.net.weight.grad, model.net.bias.grad = (g.clone() for g in old_grads)
"""

PROBE_BACKWARD = (
    MODEL_WITH
    + """
model.loss(model(X), y).backward()
answer = get_grads(model)
"""
    + STATE
)

PROBE_FULL_BATCH = (
    MODEL_WITH
    + """
answer = full_batch_grads(model, X, y)
"""
    + STATE
)


def draw_model(gen, n=None, d=None):
    """A small problem: parameters W (1, d), b (1,), inputs X (n, d), labels y (n, 1)."""
    d = d or int(torch.randint(2, 5, (), generator=gen))
    n = n or int(torch.randint(5, 9, (), generator=gen))
    W = torch.randn(1, d, generator=gen)
    b = torch.randn(1, generator=gen)
    X = torch.randn(n, d, generator=gen)
    y = torch.randn(n, 1, generator=gen) * 2
    old_grads = (torch.randn(1, d, generator=gen), torch.randn(1, generator=gen))
    return W, b, X, y, old_grads


def trained_setup(gen, seed):
    d = int(torch.randint(2, 5, (), generator=gen))
    return {
        "w": torch.randn(d, generator=gen) * 2,
        "b": round(float(torch.randn((), generator=gen)) * 2, 3),
        "num_train": 40,
        "batch_size": 8,
        "data_seed": seed % 10_000,
        "model_seed": seed % 9_973,
        "lr": 0.05,
        "max_epochs": 2,
    }
