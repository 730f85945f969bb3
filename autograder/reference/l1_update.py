"""Reference answers for l1_update (D2L 3.7, exercise 3): the L1 penalty, its SGD step and a
scratch model that adds it to the loss, with what each known mistake gives instead."""

from __future__ import annotations

import torch

import d2lkit
from autograder.judging.checks import Mistake

L2_UPDATE = "the L2 update (lambd * w) where the L1 update (lambd * sign(w)) is asked"
SIGN_FLIPPED = "the penalty's sign flipped"
NO_LAMBD = "a missing lambd (the penalty's gradient not scaled by lambd)"
NO_LR = "the penalty's step not multiplied by lr"
MEAN = "the penalty as a mean over the weights instead of a sum"
SIGN_ZERO_ONE = "sign(0) taken as +1 (the subgradient at 0 must be 0)"
L2_PENALTY = "the L2 penalty sum(w**2) / 2 where the L1 penalty sum |w| is asked"
NO_PENALTY = "the penalty left out of the loss"
BIAS_PENALISED = (
    "the bias penalised too (lambd * (sum |w_i| + |b|)): weight decay, L1 or L2, penalises "
    "the weights only, never the bias"
)
ROW_LOOP = (
    "a loop over the first dimension that treats each w[i] as one number: it works for a "
    "column (d, 1) or 1-D w only, not for a row (1, d) or a matrix"
)


def l1_penalty(w: torch.Tensor) -> torch.Tensor:
    return w.abs().sum()


def penalty_mistakes(w: torch.Tensor) -> list[Mistake]:
    return [
        Mistake(MEAN, w.abs().mean()),
        Mistake(L2_PENALTY, (w**2).sum() / 2),
        Mistake("the squared values summed instead of the absolute values", (w**2).sum()),
        Mistake("the Euclidean norm ||w|| where the L1 norm sum |w| is asked", w.norm()),
        Mistake("the weights summed without their absolute value", w.sum()),
    ]


def l1_sgd_update(w, grad, lr, lambd) -> torch.Tensor:
    # torch.sign(0) = 0: the subgradient of |w| at 0 that leaves a zero weight alone.
    return w - lr * (grad + lambd * torch.sign(w))


def update_mistakes(w, grad, lr, lambd) -> list[Mistake]:
    sign = torch.sign(w)
    return [
        Mistake(L2_UPDATE, w - lr * (grad + lambd * w)),
        Mistake(SIGN_FLIPPED, w - lr * (grad - lambd * sign)),
        Mistake(NO_LAMBD, w - lr * (grad + sign)),
        Mistake(NO_LR, w - lr * grad - lambd * sign),
        Mistake(MEAN, w - lr * (grad + lambd * sign / w.numel())),
        Mistake(SIGN_ZERO_ONE, w - lr * (grad + lambd * torch.where(w >= 0, 1.0, -1.0))),
        Mistake("a gradient ascent step (+ lr instead of - lr)", w + lr * (grad + lambd * sign)),
    ]


class WeightDecayL1(d2lkit.LinearRegressionScratch):
    """Scratch linear regression whose loss adds lambd * sum |w_i|."""

    def __init__(self, num_inputs, lambd, lr, sigma=0.01, penalty=None):
        super().__init__(num_inputs, lr, sigma)
        self.lambd = lambd
        # The graders also train the known mistakes: `penalty(w, b, lambd)` replaces the right
        # one.
        self.penalty = penalty or (lambda w, b, lambd: lambd * l1_penalty(w))
        self.board.display = False  # nobody watches the reference train

    def loss(self, y_hat, y):
        return super().loss(y_hat, y) + self.penalty(self.w, self.b, self.lambd)


# Penalty terms of the model's loss as each known mistake writes them.
LOSS_MISTAKES = {
    L2_PENALTY: lambda w, b, lambd: lambd * (w**2).sum() / 2,
    SIGN_FLIPPED: lambda w, b, lambd: -lambd * w.abs().sum(),
    NO_LAMBD: lambda w, b, lambd: w.abs().sum(),
    MEAN: lambda w, b, lambd: lambd * w.abs().mean(),
    NO_PENALTY: lambda w, b, lambd: torch.zeros(()),
    BIAS_PENALISED: lambda w, b, lambd: lambd * (w.abs().sum() + b.abs().sum()),
}


def model_loss(w, b, X, y, lambd, penalty=None) -> torch.Tensor:
    """The loss of a WeightDecayL1 whose parameters are set to w and b."""
    model = WeightDecayL1(w.shape[0], lambd, lr=0.1, penalty=penalty)
    with torch.no_grad():
        model.w.copy_(w)
        model.b.copy_(b)
        return model.loss(model(X), y)


def loss_mistakes(w, b, X, y, lambd) -> list[Mistake]:
    return [Mistake(name, model_loss(w, b, X, y, lambd, p)) for name, p in LOSS_MISTAKES.items()]


def initial_weights(num_inputs, lr, sigma, seed):
    """The base class's initial w after torch.manual_seed(seed)."""
    torch.manual_seed(seed)
    return d2lkit.LinearRegressionScratch(num_inputs, lr, sigma).w.detach()


def train(setting, penalty=None):
    """(w, b) after the seeded run `setting` describes (see the grader's TRAIN_PROBE)."""
    data = d2lkit.SyntheticRegressionData(**setting["data"])
    torch.manual_seed(setting["seed"])
    model = WeightDecayL1(setting["num_inputs"], setting["lambd"], setting["lr"], penalty=penalty)
    d2lkit.Trainer(max_epochs=setting["max_epochs"]).fit(model, data)
    return model.w.detach(), model.b.detach()


def train_mistakes(setting) -> list[Mistake]:
    return [Mistake(name, train(setting, p)[0]) for name, p in LOSS_MISTAKES.items()]
