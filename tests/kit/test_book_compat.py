"""Chapter 3 code written against the book's `d2l` package runs unchanged on the kit.

These tests follow the structure of sections 3.2-3.7: classes assembled with add_to_class,
user subclasses of d2l.Module with their own loss, the Trainer's loop patched in by the
reader, one trainer reused for several models, and board settings such as yscale='log'.
"""

import numpy as np
import pytest
import torch
from torch import nn

import d2lkit as d2l

pytestmark = pytest.mark.usefixtures("restore_kit_classes")


def test_section_3_2_utilities():
    class Counter:
        def __init__(self):
            self.count = 3

    counter = Counter()

    @d2l.add_to_class(Counter)
    def doubled(self):
        return 2 * self.count

    assert counter.doubled() == 6

    class Config(d2l.HyperParameters):
        def __init__(self, a, b, c):
            self.save_hyperparameters(ignore=["c"])

    config = Config(a=1, b=2, c=3)
    assert (config.a, config.b, not hasattr(config, "c")) == (1, 2, True)
    assert config.hparams == {"a": 1, "b": 2}

    board = d2l.ProgressBoard("x")
    for x in np.arange(0, 10, 0.1):
        board.draw(x, np.sin(x), "sin", every_n=2)
        board.draw(x, np.cos(x), "cos", every_n=10)
    assert len(board.data["sin"]) == 50 and len(board.data["cos"]) == 10
    assert board.data["sin"][0].x == pytest.approx(0.05)
    assert board.fig is None, "outside a notebook the board records but does not draw"


def test_section_3_3_and_3_4_scratch_model_with_patched_trainer():
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    X, y = next(iter(data.train_dataloader()))
    assert X.shape == (32, 2) and y.shape == (32, 1)
    assert len(data.train_dataloader()) == 32

    class ScratchLR(d2l.Module):
        def __init__(self, num_inputs, lr, sigma=0.01):
            super().__init__()
            self.save_hyperparameters()
            self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
            self.b = torch.zeros(1, requires_grad=True)

    @d2l.add_to_class(ScratchLR)
    def forward(self, X):
        return torch.matmul(X, self.w) + self.b

    @d2l.add_to_class(ScratchLR)
    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2 / 2).mean()

    class MySGD(d2l.HyperParameters):
        def __init__(self, params, lr):
            self.save_hyperparameters()

        def step(self):
            for param in self.params:
                param -= self.lr * param.grad

        def zero_grad(self):
            for param in self.params:
                if param.grad is not None:
                    param.grad.zero_()

    @d2l.add_to_class(ScratchLR)
    def configure_optimizers(self):
        return MySGD([self.w, self.b], self.lr)

    @d2l.add_to_class(d2l.Trainer)
    def prepare_batch(self, batch):
        return batch

    @d2l.add_to_class(d2l.Trainer)
    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with torch.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    torch.manual_seed(0)
    model = ScratchLR(2, lr=0.03)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)
    with torch.no_grad():
        w_error = data.w - model.w.reshape(data.w.shape)
        b_error = data.b - model.b
    # Three epochs of small-step SGD leave errors of about 0.1-0.2 (from about 4 at the start).
    assert w_error.abs().max() < 0.5 and b_error.abs().max() < 0.5
    assert trainer.train_batch_idx == 3 * 32 and trainer.val_batch_idx == 3 * 32
    assert len(trainer.history.train_loss) == len(trainer.history.val_loss) == 3


def test_section_3_5_concise_model():
    class ConciseLR(d2l.Module):
        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.LazyLinear(1)

        def forward(self, X):
            return self.net(X)

        def loss(self, y_hat, y):
            return nn.MSELoss()(y_hat, y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), self.lr)

        def get_w_b(self):
            return (self.net.weight.data, self.net.bias.data)

    torch.manual_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    for model in (ConciseLR(lr=0.03), d2l.LinearRegression(lr=0.03)):
        d2l.Trainer(max_epochs=3).fit(model, data)
        w, b = model.get_w_b()
        assert (data.w - w.reshape(data.w.shape)).abs().max() < 0.05
        assert abs(data.b - b.item()) < 0.05


def test_section_3_7_one_trainer_for_several_models():
    torch.manual_seed(0)
    data = d2l.Data(num_train=20, num_val=100, num_inputs=200, batch_size=5)
    trainer = d2l.Trainer(max_epochs=10)

    def train_scratch(lambd):
        model = d2l.WeightDecayScratch(num_inputs=200, lambd=lambd, lr=0.01)
        model.board.yscale = "log"
        trainer.fit(model, data)
        # detach: float() on a tensor that requires grad warns in current PyTorch.
        return float(d2l.l2_penalty(model.w.detach())), trainer.history.val_loss[-1]

    norm_plain, _ = train_scratch(0)
    norm_decayed, _ = train_scratch(3)
    assert norm_decayed < norm_plain

    model = d2l.WeightDecay(wd=3, lr=0.01)
    model.board.yscale = "log"
    trainer.fit(model, data)
    assert float(d2l.l2_penalty(model.get_w_b()[0])) < norm_plain
    assert len(trainer.history.val_loss) == 10
    figure = model.board.figure()
    assert figure.axes[0].get_yscale() == "log"


def test_tensor_aliases_behave_like_the_books():
    x = d2l.arange(6, dtype=d2l.float32)
    m = d2l.reshape(x, (2, 3))
    assert d2l.size(m) == 6
    assert d2l.transpose(m).shape == (3, 2)
    assert d2l.reduce_sum(m).item() == 15 and d2l.reduce_mean(m).item() == 2.5
    assert d2l.expand_dims(x, 0).shape == (1, 6)
    assert d2l.astype(x, d2l.int64).dtype == torch.int64
    assert d2l.concat([x, x]).shape == (12,)
    assert isinstance(d2l.numpy(x.requires_grad_()), np.ndarray)
    assert d2l.batch_matmul(d2l.ones(2, 1, 3), d2l.ones(2, 3, 1)).shape == (2, 1, 1)
    for name in [
        "zeros",
        "tensor",
        "meshgrid",
        "sin",
        "sinh",
        "cos",
        "cosh",
        "tanh",
        "linspace",
        "exp",
        "log",
        "normal",
        "rand",
        "randn",
        "matmul",
        "int32",
        "stack",
        "abs",
        "eye",
        "sigmoid",
        "to",
        "argmax",
        "swapaxes",
        "repeat",
    ]:
        assert hasattr(d2l, name), name


def test_timer():
    timer = d2l.Timer()
    for _ in range(3):
        timer.start()
        timer.stop()
    assert len(timer.times) == 3
    assert timer.sum() == pytest.approx(sum(timer.times))
    assert timer.avg() == pytest.approx(timer.sum() / 3)
    assert timer.cumsum()[-1] == pytest.approx(timer.sum())
