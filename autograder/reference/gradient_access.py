"""Reference answers for gradient_access.ipynb (D2L 3.5, exercise 3), and its known mistakes.

For the concise model y_hat = X W^T + b (W of shape (1, d), b of shape (1,)) and its loss, the
mean squared error L = mean((y_hat - y)**2) over n examples, the gradients are, with
r = y_hat - y of shape (n, 1):

    dL/dW = 2/n * r^T X   (shape (1, d))        dL/db = 2/n * sum(r)   (shape (1,))

The graders compare students' autograd results with these closed forms, computed in float64.
"""

import torch

import d2lkit

# Names of the known mistakes, as they read after "This looks like ...".
ACCUMULATED = (
    "gradients accumulated because they were not zeroed (the model's old .grad was added in)"
)
OLD_GRAD = "the model's old .grad, returned without a new backward pass"
PARAMETERS = "the parameters themselves where their gradients are asked"
MISSING_TWO = (
    "the gradient without the factor 2 of the squared error (the scratch loss's 1/2 came in)"
)
SUMMED = "the gradient of the summed squared error where the loss is its mean (n times too big)"
FLATTENED = "a flattened weight gradient of shape (d,) where shape (1, d) is asked"
BROADCAST = "y of shape (n,) broadcast against y_hat of shape (n, 1) into an (n, n) matrix"


def mse_grads(W, b, X, y):
    """The closed-form gradients (dL/dW, dL/db) of the mean squared error, in float64."""
    W, b, X = W.double(), b.double(), X.double()
    y = y.double().reshape(-1, 1)
    r = X @ W.T + b - y
    n = X.shape[0]
    return 2 / n * r.T @ X, 2 / n * r.sum(dim=0)


def broadcast_grads(W, b, X, y):
    """The gradients of mean((y_hat - y)**2) when y of shape (n,) broadcasts to (n, n)."""
    W = W.double().clone().requires_grad_(True)
    b = b.double().clone().requires_grad_(True)
    y_hat = X.double() @ W.T + b
    loss = ((y_hat - y.double()) ** 2).mean()
    return torch.autograd.grad(loss, [W, b])


def full_batch_mistakes(W, b, X, y, old_grads=None):
    """name -> (weight gradient, bias gradient) of each known mistake on these inputs."""
    grad_W, grad_b = mse_grads(W, b, X, y)
    n = X.shape[0]
    mistakes = {
        PARAMETERS: (W, b),
        MISSING_TWO: (grad_W / 2, grad_b / 2),
        SUMMED: (grad_W * n, grad_b * n),
        FLATTENED: (grad_W.reshape(-1), grad_b),
    }
    if old_grads is not None:
        old_W, old_b = (g.double() for g in old_grads)
        mistakes[ACCUMULATED] = (grad_W + old_W, grad_b + old_b)
        mistakes[OLD_GRAD] = (old_W, old_b)
    if y.dim() == 1:
        mistakes[BROADCAST] = broadcast_grads(W, b, X, y)
    return mistakes


def trained_model(w, b, num_train, batch_size, data_seed, model_seed, lr, max_epochs):
    """A d2lkit.LinearRegression trained as the get_grads probe trains it."""
    data = d2lkit.SyntheticRegressionData(
        w, b, noise=0.1, num_train=num_train, num_val=8, batch_size=batch_size, seed=data_seed
    )
    torch.manual_seed(model_seed)
    model = d2lkit.LinearRegression(lr=lr)
    model.board.display = False  # no live figure while grading
    d2lkit.Trainer(max_epochs=max_epochs).fit(model, data)
    return model


def get_grads(model):
    """What training left in the model's .grad: (weight gradient, bias gradient)."""
    return model.net.weight.grad, model.net.bias.grad


def trained_grads(**setup):
    """(gradients, parameters) of the model after the get_grads probe's training run."""
    model = trained_model(**setup)
    grads = tuple(g.detach().clone() for g in get_grads(model))
    params = (model.net.weight.detach().clone(), model.net.bias.detach().clone())
    return grads, params
