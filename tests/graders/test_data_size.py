"""The data_size reference trains as the contract says, and the grader's hidden inputs keep
every known mistake clear of the right answer."""

import importlib
import math
import warnings

import pytest
import torch

import d2lkit
from autograder.reference import data_size as ref


@pytest.fixture(scope="module")
def grader():
    """The hidden grader module, for its input drawing; its `cell` mark is registered only in
    the grading runner's own pytest configuration, so the warning about it is expected here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pytest.PytestUnknownMarkWarning)
        return importlib.import_module("autograder.graders.data_size")


def test_rows_follow_the_sizes_and_errors_are_distances():
    rows = ref.estimation_errors([7, 40], max_epochs=2, seed=3)
    assert [r["n"] for r in rows] == [7, 40]
    assert all(r["w_err"] > 0 and r["b_err"] > 0 for r in rows)


def test_errors_are_those_of_the_contract_s_training_run():
    data = d2lkit.SyntheticRegressionData(
        w=[2, -3.4], b=4.2, num_train=50, num_val=100, batch_size=32, seed=1, shuffle_seed=1
    )
    torch.manual_seed(1)
    model = d2lkit.LinearRegression(lr=0.03)
    model.board.display = False
    d2lkit.Trainer(max_epochs=3).fit(model, data)
    w, b = model.get_w_b()
    (row,) = ref.estimation_errors([50], max_epochs=3, seed=1)
    assert math.isclose(
        row["w_err"], float(torch.linalg.norm(w.reshape(-1) - data.w)), rel_tol=1e-6
    )
    assert math.isclose(row["b_err"], abs(b.item() - 4.2), rel_tol=1e-6)


def test_long_training_on_more_data_gets_closer():
    small, large = ref.estimation_errors([20, 2000], max_epochs=40)
    assert large["w_err"] < 0.01 and small["w_err"] > large["w_err"]


@pytest.mark.parametrize("seed", range(10))
def test_hidden_inputs_keep_mistakes_away_from_the_right_columns(grader, seed):
    """Each mistake differs from the right column by more than 3 x rtol (1e-4) in some entry,
    except that seeding once may leave the bias errors (the bias starts at zero) alike."""
    ns, kwargs = grader.draw(torch.Generator().manual_seed(seed))
    right = ref.estimation_errors(ns, **kwargs)
    for key, found in ref.mistakes(ns, kwargs["max_epochs"], kwargs["seed"]).items():
        column = torch.tensor([r[key] for r in right], dtype=torch.float64)
        for mistake in found:
            if (mistake.name, key) == (ref.SEED_ONCE, "b_err"):
                continue
            rel = ((mistake.value - column).abs() / column.abs()).max().item()
            assert rel > 3e-4, (mistake.name, key, rel)
