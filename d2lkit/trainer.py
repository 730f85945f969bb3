"""Trainer: runs the optimisation loop and keeps a per-epoch History (D2L 3.2, 3.4)."""

import torch

from d2lkit.board import ProgressBoard
from d2lkit.checks import check_non_negative, check_positive_int
from d2lkit.history import History
from d2lkit.hyperparameters import HyperParameters

__all__ = ["Trainer"]


class Trainer(HyperParameters):
    """Fits a Module to a DataModule; reusable for several fits.

    Every `fit` starts a fresh `self.history`. The trainer never draws: the model's board
    draws itself when it can be seen, and `plot_history(trainer.history)` draws afterwards.
    """

    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0):
        check_positive_int("max_epochs", max_epochs)
        if num_gpus != 0:
            raise ValueError(f"num_gpus must be 0: the course kit trains on CPU, got {num_gpus}")
        check_non_negative("gradient_clip_val", gradient_clip_val)
        self.save_hyperparameters()
        self.history = History()
        self.model = self.optim = None
        self.train_dataloader = self.val_dataloader = None
        self.epoch = self.train_batch_idx = self.val_batch_idx = 0
        self.num_train_batches = self.num_val_batches = 0

    def prepare_data(self, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = len(self.val_dataloader) if self.val_dataloader is not None else 0

    def prepare_model(self, model):
        model.trainer = self
        board = getattr(model, "board", None)
        if board is not None:
            board.xlim = [0, self.max_epochs]
        self.model = model

    def fit(self, model, data):
        """Train `model` on `data` for `max_epochs` epochs."""
        self._check_fit_arguments(model, data)
        self.history = History()
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        if self.optim is None:
            raise TypeError(
                f"{type(model).__name__}.configure_optimizers() returned None; return the "
                "optimizer, e.g. torch.optim.SGD(self.parameters(), self.lr)"
            )
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        for epoch in range(self.max_epochs):
            self.epoch = epoch
            self.fit_epoch()
            self._end_epoch()
        # Let a visible board show the last points that its redraw throttle held back.
        board = getattr(model, "board", None)
        if isinstance(board, ProgressBoard):
            board.flush()

    def fit_epoch(self):
        """One pass over the training data, then one over the validation data."""
        model = self.model
        model.train()
        for batch in self.train_dataloader:
            loss = model.training_step(self.prepare_batch(batch))
            if not isinstance(loss, torch.Tensor):
                raise TypeError(
                    f"{type(model).__name__}.training_step must return the loss tensor, got "
                    f"{type(loss).__name__}; end it with `return loss`"
                )
            self.optim.zero_grad()
            loss.backward()
            if self.gradient_clip_val > 0:
                self.clip_gradients(self.gradient_clip_val, model)
            self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        model.eval()
        with torch.no_grad():
            for batch in self.val_dataloader:
                model.validation_step(self.prepare_batch(batch))
                self.val_batch_idx += 1

    def prepare_batch(self, batch):
        return batch

    def clip_gradients(self, grad_clip_val, model):
        """Rescale all gradients together so their joint L2 norm is at most `grad_clip_val`."""
        grads = [p.grad for p in _trainable_tensors(model) if p.grad is not None]
        if not grads:
            return
        norm = torch.sqrt(sum(torch.sum(g**2) for g in grads))
        if norm > grad_clip_val:
            for g in grads:
                g.mul_(grad_clip_val / norm)

    # Internals -------------------------------------------------------------------------------
    def _end_epoch(self):
        self.history.end_epoch()

    def _check_fit_arguments(self, model, data):
        check_positive_int("max_epochs", self.max_epochs)
        if not (hasattr(model, "training_step") and hasattr(model, "configure_optimizers")):
            raise TypeError(
                f"fit(model, data): model must be a d2lkit.Module, got {type(model).__name__}; "
                "call trainer.fit(model, data) with the model first"
            )
        if not hasattr(data, "train_dataloader"):
            raise TypeError(
                f"fit(model, data): data must be a d2lkit.DataModule, got {type(data).__name__}"
            )


def _trainable_tensors(model):
    """Registered parameters plus tensor attributes that require grad (the scratch w and b)."""
    tensors = list(model.parameters())
    seen = {id(t) for t in tensors}
    for value in vars(model).values():
        if isinstance(value, torch.Tensor) and value.requires_grad and id(value) not in seen:
            tensors.append(value)
    return tensors
