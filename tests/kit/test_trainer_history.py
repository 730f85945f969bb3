"""The trainer's History: one mean per epoch per series, checked against recomputations."""

import math

import pytest
import torch

import d2lkit as d2l


class RecordingRegression(d2l.LinearRegression):
    """Keeps every training batch loss, as the oracle for the history's per-epoch means."""

    def __init__(self, lr):
        super().__init__(lr)
        self.batch_losses = []

    def training_step(self, batch):
        loss = super().training_step(batch)
        self.batch_losses.append(loss.item())
        return loss


def test_history_has_one_finite_value_per_epoch(minibatch_data):
    trainer = d2l.Trainer(max_epochs=4)
    trainer.fit(d2l.LinearRegression(lr=0.01), minibatch_data)
    history = trainer.history
    assert isinstance(history, d2l.History)
    assert set(history) == {"train_loss", "val_loss"}
    assert len(history.train_loss) == len(history.val_loss) == 4
    assert all(math.isfinite(v) for v in history.train_loss + history.val_loss)
    assert history.to_dict() == {"train_loss": history.train_loss, "val_loss": history.val_loss}


def test_train_loss_is_the_mean_of_the_batch_losses(minibatch_data):
    torch.manual_seed(0)
    model = RecordingRegression(lr=0.03)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, minibatch_data)
    per_epoch = trainer.num_train_batches
    assert len(model.batch_losses) == 3 * per_epoch
    expected = [
        sum(model.batch_losses[i : i + per_epoch]) / per_epoch
        for i in range(0, len(model.batch_losses), per_epoch)
    ]
    assert trainer.history.train_loss == pytest.approx(expected, rel=1e-6)


def test_last_val_loss_is_the_end_model_over_the_val_batches(minibatch_data):
    torch.manual_seed(0)
    model = d2l.LinearRegression(lr=0.03)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, minibatch_data)
    with torch.no_grad():
        losses = [model.loss(model(X), y).item() for X, y in minibatch_data.val_dataloader()]
    assert trainer.history.val_loss[-1] == pytest.approx(sum(losses) / len(losses), rel=1e-6)


def test_reused_trainer_starts_a_fresh_history(minibatch_data):
    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(d2l.LinearRegression(lr=0.01), minibatch_data)
    first = trainer.history
    first_values = first.to_dict()
    trainer.fit(d2l.WeightDecay(wd=1.0, lr=0.01), minibatch_data)
    assert trainer.history is not first
    assert len(trainer.history.train_loss) == 2
    assert first.to_dict() == first_values


def test_without_validation_loader_val_series_stay_empty():
    class TrainOnly(d2l.SyntheticRegressionData):
        def val_dataloader(self):
            return None

    data = TrainOnly([1.0], 0.0, num_train=20, num_val=0, batch_size=5, seed=0)
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(d2l.LinearRegression(lr=0.01), data)
    assert trainer.history.val_loss == []
    assert len(trainer.history.train_loss) == 3
    assert trainer.num_val_batches == 0


def test_other_plotted_keys_get_their_own_series(minibatch_data):
    class NormPlotting(d2l.LinearRegression):
        def training_step(self, batch):
            loss = super().training_step(batch)  # the first forward creates the weight
            self.plot("w_norm", torch.linalg.norm(self.net.weight), train=True)
            return loss

    trainer = d2l.Trainer(max_epochs=2)
    trainer.fit(NormPlotting(lr=0.01), minibatch_data)
    assert len(trainer.history["train_w_norm"]) == 2
    assert "train_w_norm" in trainer.history.to_dict()


def test_a_series_that_starts_late_is_padded_to_the_epochs():
    history = d2l.History()
    history.add("train_loss", torch.tensor(1.0))
    history.end_epoch()
    history.add("train_loss", torch.tensor(3.0))
    history.add("train_loss", 5.0)
    history.add("val_extra", torch.tensor(2.0))
    history.end_epoch()
    assert history.train_loss == [1.0, 4.0]
    assert math.isnan(history["val_extra"][0]) and history["val_extra"][1] == 2.0


def test_gradient_clipping_bounds_the_update():
    X = torch.full((4, 1), 100.0)
    y = torch.zeros(4, 1)
    model = d2l.LinearRegressionScratch(1, lr=1.0, sigma=0.0)
    with torch.no_grad():
        model.w.fill_(1.0)
    trainer = d2l.Trainer(max_epochs=1, gradient_clip_val=0.5)
    loss = model.loss(model(X), y)
    loss.backward()
    trainer.clip_gradients(0.5, model)
    norm = torch.sqrt(model.w.grad.square().sum() + model.b.grad.square().sum())
    assert norm.item() == pytest.approx(0.5, rel=1e-5)
