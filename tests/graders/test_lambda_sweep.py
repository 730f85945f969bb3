"""The lambda_sweep reference is a controlled experiment, and its hidden data set tells each
known mistake apart from the right answer."""

import torch

from autograder.reference import lambda_sweep as ref


def test_each_lambda_is_independent_of_the_others():
    data = ref.make_data(0)
    both = ref.sweep(data, [0.0, 4.0], max_epochs=2, lr=0.03, seed=5)
    alone = ref.sweep(data, [4.0], max_epochs=2, lr=0.03, seed=5)
    assert both[1] == alone[0]


def test_w_norm_shrinks_with_lambda():
    rows = ref.sweep(ref.make_data(1), [0.0, 3.0, 9.0], max_epochs=3, lr=0.03, seed=0)
    norms = [row["w_norm"] for row in rows]
    assert norms[0] > norms[1] > norms[2]


def test_every_mistake_differs_from_the_right_answer():
    lambdas = [0.0, 2.0, 7.0]
    rows, mistakes = ref.sweep_with_mistakes(ref.make_data(2), lambdas, 3, 0.04, 11)
    for key, found in mistakes.items():
        right = ref.column(rows, key)
        for mistake in found:
            assert not torch.allclose(mistake.value, right, rtol=2e-3, atol=1e-5), (key, mistake)


def test_best_lambda_takes_the_first_of_ties():
    results = [
        {"lambd": 1.0, "val_loss": 0.2},
        {"lambd": 2.0, "val_loss": 0.1},
        {"lambd": 3.0, "val_loss": 0.1},
    ]
    assert ref.best_lambda(results) == 2.0


def test_near_tied_results_are_told_apart_only_without_rounding():
    from autograder.graders import lambda_sweep_parts as parts

    results, early, late = parts.near_tie_results(torch.Generator().manual_seed(0))
    assert ref.best_lambda(results) == results[late]["lambd"]
    rounded = min(results, key=lambda r: round(r["val_loss"], 6))["lambd"]
    as_float32 = results[int(torch.tensor([r["val_loss"] for r in results]).argmin())]["lambd"]
    assert rounded == as_float32 == results[early]["lambd"]


def test_near_ties_defeat_rounding_for_every_student():
    from autograder.graders import lambda_sweep_parts as parts

    for seed in range(200):
        results, early, _ = parts.near_tie_results(torch.Generator().manual_seed(seed))
        val = torch.tensor([r["val_loss"] for r in results])
        assert results[int(val.argmin())]["lambd"] == results[early]["lambd"], seed
        assert min(results, key=lambda r: round(r["val_loss"], 6)) is results[early], seed
