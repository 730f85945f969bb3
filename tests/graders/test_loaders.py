"""The loaders reference counts batches as torch does, its data modules behave as the notebook
asks, and the grader's training check has room for every right answer."""

import pytest
import torch

import d2lkit
from autograder.graders import loaders_parts as parts
from autograder.reference import loaders as ref


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last", "sizes"),
    [(10, 4, False, [4, 4, 2]), (10, 4, True, [4, 4]), (12, 4, True, [4, 4, 4]), (3, 5, True, [])],
)
def test_batch_sizes_by_hand(n, batch_size, drop_last, sizes):
    assert ref.batch_sizes(n, batch_size, drop_last) == sizes


def test_named_miscounts_differ_from_the_right_count():
    for n in range(1, 40):
        for batch_size in range(1, 12):
            for drop_last in (False, True):
                right = ref.batch_sizes(n, batch_size, drop_last)
                for mistake in ref.batch_sizes_mistakes(n, batch_size, drop_last):
                    assert mistake.value != right, mistake.name


def _pass(loader):
    batches = list(loader)  # one pass: a fresh loader draws anew at every iteration
    return torch.cat([X for X, _ in batches]), torch.cat([y for _, y in batches])


def test_fresh_data_draws_new_examples_at_every_pass_of_one_loader():
    data = ref.FreshData(w=[1.0, 2.0], b=0.5, noise=0.0, num_train=10, num_val=4, batch_size=3)
    loader = data.train_dataloader()
    (X1, _), (X2, y2) = _pass(loader), _pass(loader)
    assert len(loader) == 4 and X1.shape == X2.shape == (10, 2)
    assert not torch.equal(X1, X2)
    torch.testing.assert_close(y2, X2 @ torch.tensor([[1.0], [2.0]]) + 0.5)
    assert torch.equal(_pass(data.val_dataloader())[0], _pass(data.val_dataloader())[0])


def test_reproducible_data_repeats_and_leaves_the_global_generator_alone():
    state = torch.get_rng_state()
    data = ref.ReproducibleData(w=[1.0], b=0.0, num_train=11, num_val=3, batch_size=4, seed=5)
    loader = data.train_dataloader()
    first, second, other = _pass(loader), _pass(loader), _pass(data.train_dataloader())
    assert torch.equal(first[0], second[0]) and torch.equal(first[0], other[0])
    assert torch.equal(torch.get_rng_state(), state)
    assert len(loader) == 3


def test_kit_shuffle_seed_reshuffles_on_a_second_pass():
    """Why SHARED_GENERATOR is a mistake worth naming: the kit's loader keeps its generator."""
    data = d2lkit.SyntheticRegressionData(w=[1.0], b=0.0, num_train=20, seed=0, shuffle_seed=0)
    loader = data.train_dataloader()
    assert not torch.equal(_pass(loader)[0], _pass(loader)[0])


@pytest.mark.parametrize("seed", range(20))
def test_training_check_leaves_room_for_right_answers(seed):
    """The reference ends within 0.02 of the truth on the training check's inputs (its
    tolerance is 0.1), whatever the global seed that drives the fresh draws."""
    gen = torch.Generator().manual_seed(seed)
    args = parts.data_args(gen, noise=0.01, batch_size=16)
    args["num_train"] = 16 * parts.int_in(gen, 20, 30)
    torch.manual_seed(seed)
    for cls in (ref.FreshData, ref.ReproducibleData):
        kwargs = {**args, "seed": seed} if cls is ref.ReproducibleData else args
        torch.manual_seed(0)
        model = d2lkit.LinearRegression(lr=0.1)
        model.board.display = False
        d2lkit.Trainer(max_epochs=2).fit(model, cls(**kwargs))
        w, b = model.get_w_b()
        err = max(
            (w.reshape(-1) - torch.tensor(args["w"])).abs().max().item(), abs(b.item() - args["b"])
        )
        assert err < 0.02, (cls.__name__, err)


def test_noise_check_band_is_wide_against_the_spread_of_right_answers():
    """Fresh data at the noise check's smallest size (300 examples) give a residual standard
    deviation within 15 % of `noise` over 50 draws; the check allows 25 %."""
    w = torch.tensor([[1.5], [-2.0]])
    for seed in range(50):
        torch.manual_seed(seed)
        data = ref.FreshData(w=[1.5, -2.0], b=1.0, noise=0.3, num_train=300, batch_size=7)
        X, y = _pass(data.train_dataloader())
        spread = (y - X @ w - 1.0).std().item()
        assert abs(spread - 0.3) < 0.15 * 0.3, (seed, spread)
