"""Module: the base class of every model (D2L 3.2), wired to the Trainer's History."""

import torch
from torch import nn

from d2lkit.board import ProgressBoard
from d2lkit.hyperparameters import HyperParameters

__all__ = ["Module"]


class Module(nn.Module, HyperParameters):
    """Base class of the chapter's models.

    A subclass defines `loss(y_hat, y)`, `configure_optimizers()` and either `self.net` or its
    own `forward`. The Trainer calls `training_step` and `validation_step`; both `plot` the
    batch loss, which lands in `trainer.history` and on `self.board`. The board keeps the book's
    points (`plot_train_per_epoch` training and `plot_valid_per_epoch` validation points per
    epoch) and draws them only when it can be seen.
    """

    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()

    def loss(self, y_hat, y):
        raise NotImplementedError(
            f"{type(self).__name__} does not define loss(self, y_hat, y); add one to the class, "
            "e.g. return ((y_hat - y) ** 2 / 2).mean()"
        )

    def forward(self, X):
        # Looked up in _modules directly: this runs every batch, and nn.Module's __getattr__
        # fallback is slow and would raise a bare AttributeError.
        net = self._modules.get("net")
        if net is None:
            net = self.__dict__.get("net")
        if net is None:
            raise TypeError(
                f"{type(self).__name__} has no self.net, so the default forward cannot run; "
                "assign a network in __init__ (e.g. self.net = nn.LazyLinear(1)) or define forward"
            )
        return net(X)

    def plot(self, key, value, train):
        """Record `value` (a scalar) under 'train_<key>' or 'val_<key>' for this epoch."""
        trainer = self.__dict__.get("trainer")
        if trainer is None:
            # Called outside a fit (e.g. a training_step run by hand): no epoch to record into.
            return
        name = ("train_" if train else "val_") + key
        history = getattr(trainer, "history", None)
        if history is not None:
            history.add(name, value)
        board = self.__dict__.get("board")
        if board is None:
            return
        # Same x positions and averaging as the book, shown live or not: train points at
        # fractional epochs, validation points at the end of each epoch. Recording costs a list
        # append per batch; the board renders only when it is active.
        if train:
            x = trainer.train_batch_idx / trainer.num_train_batches
            n = trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = trainer.epoch + 1
            n = trainer.num_val_batches / self.plot_valid_per_epoch
        board.xlabel = "epoch"
        if isinstance(value, torch.Tensor):
            value = value.detach()
        board.draw(x, value, name, every_n=max(1, int(n)))

    def training_step(self, batch):
        loss = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", loss, train=True)
        return loss

    def validation_step(self, batch):
        loss = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", loss, train=False)

    def configure_optimizers(self):
        raise NotImplementedError(
            f"{type(self).__name__} does not define configure_optimizers(self); return an "
            "optimizer, e.g. torch.optim.SGD(self.parameters(), self.lr)"
        )

    def apply_init(self, inputs, init=None):
        """Run one forward pass (materialising lazy layers), then apply `init` to self.net."""
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)
