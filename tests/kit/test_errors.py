"""Mistakes a student makes get a clear error naming the problem and the fix."""

import pytest
import torch
from torch import nn

import d2lkit as d2l


class TensorData(d2l.DataModule):
    """A data module written without batch_size (the mistake under test)."""

    def __init__(self):
        super().__init__()
        self.X, self.y, self.num_train = torch.randn(8, 2), torch.randn(8, 1), 6

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class NoLoss(d2l.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(2, 1)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), 0.1)


@pytest.fixture
def small_data():
    return d2l.SyntheticRegressionData(
        [1.0, 2.0], 0.0, num_train=8, num_val=4, batch_size=4, seed=0
    )


def test_data_module_without_batch_size(small_data):
    with pytest.raises(TypeError, match=r"TensorData has no batch_size.*add a batch_size"):
        TensorData().train_dataloader()
    with pytest.raises(TypeError, match="has no batch_size"):
        d2l.Trainer(max_epochs=1).fit(d2l.LinearRegression(lr=0.1), TensorData())


def test_model_without_loss(small_data):
    with pytest.raises(NotImplementedError, match=r"NoLoss does not define loss\(self, y_hat, y\)"):
        d2l.Trainer(max_epochs=1).fit(NoLoss(), small_data)


def test_model_without_optimizer(small_data):
    class NoOptim(d2l.LinearRegression):
        configure_optimizers = d2l.Module.configure_optimizers

    with pytest.raises(NotImplementedError, match="does not define configure_optimizers"):
        d2l.Trainer(max_epochs=1).fit(NoOptim(lr=0.1), small_data)


def test_forward_without_net():
    class NoNet(d2l.Module):
        pass

    with pytest.raises(TypeError, match=r"NoNet has no self\.net.*assign a network"):
        NoNet()(torch.randn(2, 2))


def test_loss_with_mismatched_element_counts_names_both_shapes():
    model = d2l.LinearRegression(lr=0.1)
    with pytest.raises(ValueError, match=r"y_hat has shape \(4, 1\).*y has shape \(5,\)"):
        model.loss(torch.zeros(4, 1), torch.zeros(5))
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(2, 3\)"):
        d2l.LinearRegressionScratch(1, lr=0.1).loss(torch.zeros(4, 1), torch.zeros(2, 3))


def test_loss_reshapes_labels_instead_of_broadcasting():
    y_hat = torch.tensor([[1.0], [2.0], [3.0]])
    y = torch.tensor([1.0, 2.0, 4.0])  # (n,) against (n, 1) would broadcast to (n, n)
    assert d2l.LinearRegression(lr=0.1).loss(y_hat, y).item() == pytest.approx(1 / 3)


@pytest.mark.parametrize("max_epochs", [0, -2])
def test_non_positive_max_epochs(max_epochs):
    with pytest.raises(ValueError, match="max_epochs must be a positive int"):
        d2l.Trainer(max_epochs=max_epochs)


@pytest.mark.parametrize(
    "build",
    [
        lambda lr: d2l.LinearRegression(lr=lr),
        lambda lr: d2l.LinearRegressionScratch(2, lr=lr),
        lambda lr: d2l.WeightDecay(wd=1.0, lr=lr),
        lambda lr: d2l.WeightDecayScratch(2, lambd=1.0, lr=lr),
        lambda lr: d2l.SGD([torch.zeros(1, requires_grad=True)], lr=lr),
    ],
)
@pytest.mark.parametrize("lr", [0, -0.1])
def test_non_positive_lr(build, lr):
    with pytest.raises(ValueError, match="lr must be positive"):
        build(lr)


def test_negative_penalty_strength():
    with pytest.raises(ValueError, match="lambd must be >= 0"):
        d2l.WeightDecayScratch(2, lambd=-1.0, lr=0.1)
    with pytest.raises(ValueError, match="wd must be >= 0"):
        d2l.WeightDecay(wd=-1.0, lr=0.1)


def test_training_step_without_return(small_data):
    class Forgetful(d2l.LinearRegression):
        def training_step(self, batch):
            super().training_step(batch)

    with pytest.raises(TypeError, match=r"must return the loss tensor.*return loss"):
        d2l.Trainer(max_epochs=1).fit(Forgetful(lr=0.1), small_data)


def test_fit_arguments_swapped(small_data):
    with pytest.raises(TypeError, match=r"model must be a d2lkit\.Module"):
        d2l.Trainer(max_epochs=1).fit(small_data, d2l.LinearRegression(lr=0.1))


def test_seed_and_generator_together():
    with pytest.raises(ValueError, match="either seed or generator"):
        d2l.Data(10, 5, 2, 5, seed=1, generator=torch.Generator())


def test_get_w_b_before_any_data():
    with pytest.raises(RuntimeError, match=r"call model\(X\) once first"):
        d2l.LinearRegression(lr=0.1).get_w_b()


def test_gpu_request():
    with pytest.raises(ValueError, match="num_gpus must be 0"):
        d2l.Trainer(max_epochs=1, num_gpus=1)
