"""Data modules: shapes, true parameters, outliers, splits, seeded generation and shuffling."""

import pytest
import torch

import d2lkit as d2l


def test_synthetic_data_follows_its_formula():
    w, b = torch.tensor([2.0, -3.4]), 4.2
    data = d2l.SyntheticRegressionData(w, b, noise=0.0, num_train=30, num_val=20, seed=0)
    assert data.X.shape == (50, 2) and data.y.shape == (50, 1)
    torch.testing.assert_close(data.y, data.X @ w.reshape(-1, 1) + b)


def test_global_rng_generation_matches_the_books_draws():
    w = torch.tensor([2.0, -3.4])
    torch.manual_seed(11)
    data = d2l.SyntheticRegressionData(w, 4.2, num_train=10, num_val=5)
    torch.manual_seed(11)
    X = torch.randn(15, 2)
    y = X @ w.reshape(-1, 1) + 4.2 + torch.randn(15, 1) * 0.01
    assert torch.equal(data.X, X) and torch.equal(data.y, y)


def test_seed_and_generator_give_bit_identical_data():
    make = [
        lambda: d2l.SyntheticRegressionData([1.0, 2.0], 0.5, seed=3),
        lambda: d2l.SyntheticRegressionData(
            [1.0, 2.0], 0.5, generator=torch.Generator().manual_seed(3)
        ),
    ]
    first, second = make[0](), make[1]()
    torch.manual_seed(0)  # the global RNG must play no part
    third = make[0]()
    for other in (second, third):
        assert torch.equal(first.X, other.X) and torch.equal(first.y, other.y)
    assert not torch.equal(first.X, d2l.SyntheticRegressionData([1.0, 2.0], 0.5, seed=4).X)


def test_weight_decay_data_recovers_its_true_parameters(lstsq):
    data = d2l.Data(num_train=2000, num_val=10, num_inputs=5, batch_size=50, seed=0)
    assert d2l.WeightDecayData is d2l.Data
    w_hat, b_hat = lstsq(*data.tensors(train=True))
    torch.testing.assert_close(
        w_hat, torch.full((5, 1), 0.01, dtype=w_hat.dtype), atol=1e-3, rtol=0
    )
    assert abs(b_hat.item() - 0.05) < 1e-3


def test_tensors_returns_the_splits():
    data = d2l.Data(num_train=7, num_val=3, num_inputs=2, batch_size=2, seed=0)
    X_train, y_train = data.tensors(train=True)
    X_val, y_val = data.tensors(train=False)
    assert torch.equal(X_train, data.X[:7]) and torch.equal(y_val, data.y[7:])
    assert X_val.shape == (3, 2) and y_train.shape == (7, 1)


def test_loaders_cover_the_splits():
    data = d2l.SyntheticRegressionData([1.0], 0.0, num_train=10, num_val=6, batch_size=4, seed=0)
    assert len(data.train_dataloader()) == 3 and len(data.val_dataloader()) == 2
    val_X = torch.cat([X for X, _ in data.val_dataloader()])
    assert torch.equal(val_X, data.X[10:]), "the validation loader is not shuffled"
    train_X = torch.cat([X for X, _ in data.train_dataloader()])
    assert torch.equal(train_X.sort(0).values, data.X[:10].sort(0).values)


def _first_batch_rows(data):
    X, _ = next(iter(data.train_dataloader()))
    return X


def test_shuffle_seed_repeats_the_batch_order_on_every_loader():
    data = d2l.SyntheticRegressionData(
        [1.0], 0.0, num_train=50, batch_size=10, seed=0, shuffle_seed=5
    )
    torch.manual_seed(0)
    first = _first_batch_rows(data)
    torch.manual_seed(1)  # the global RNG does not matter with a shuffle_seed
    assert torch.equal(first, _first_batch_rows(data))
    other = d2l.SyntheticRegressionData(
        [1.0], 0.0, num_train=50, batch_size=10, seed=0, shuffle_seed=6
    )
    assert not torch.equal(first, _first_batch_rows(other))


def test_without_shuffle_seed_manual_seed_fixes_the_batches():
    data = d2l.SyntheticRegressionData([1.0], 0.0, num_train=50, batch_size=10, seed=0)
    torch.manual_seed(3)
    first = _first_batch_rows(data)
    torch.manual_seed(3)
    assert torch.equal(first, _first_batch_rows(data))


def test_outliers_hit_only_chosen_training_rows():
    kwargs = dict(w=[1.0, -1.0], b=0.5, num_train=100, num_val=50, seed=9)
    clean = d2l.SyntheticRegressionData(**kwargs)
    dirty = d2l.OutlierRegressionData(**kwargs, num_outliers=6, outlier_scale=20.0)
    assert torch.equal(clean.X, dirty.X)
    assert torch.equal(clean.y[100:], dirty.y[100:]), "the validation split stays clean"
    changed = (clean.y[:100] != dirty.y[:100]).reshape(-1).nonzero().reshape(-1)
    assert torch.equal(changed, dirty.outlier_indices)
    assert len(changed) == 6
    torch.testing.assert_close((dirty.y - clean.y)[changed].abs(), torch.full((6, 1), 20.0))
    again = d2l.OutlierRegressionData(**kwargs, num_outliers=6)
    assert torch.equal(again.y, dirty.y)


@pytest.mark.parametrize("cls", [d2l.SyntheticRegressionData, d2l.OutlierRegressionData])
def test_list_weights_are_accepted(cls):
    data = cls([2, -3], 1, num_train=20, num_val=0, seed=0)
    assert isinstance(data.w, torch.Tensor) and data.w.dtype == torch.float32


@pytest.mark.parametrize("num_outliers", [-1, 101])
def test_outlier_count_out_of_range_is_refused(num_outliers):
    with pytest.raises(ValueError, match="num_outliers must be between 0 and num_train=100"):
        d2l.OutlierRegressionData([1.0], 0.0, num_train=100, num_outliers=num_outliers)
