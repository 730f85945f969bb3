"""Hidden checks judge plain answers with course tolerances and explain every failure."""

import math

import pytest
import torch

from autograder.config import load_course
from autograder.judging.checks import CheckFailed, Expect, Mistake
from autograder.wire.plain import StudentObject, StudentTensor


@pytest.fixture
def expect():
    return Expect(load_course().tolerance)


def answer(values, dtype="torch.float32", device="cpu", type_name="torch.Tensor"):
    values = torch.as_tensor(values, dtype=torch.float64)
    return StudentTensor(values, dtype, tuple(values.shape), device, False, type_name)


def test_float32_rounding_and_float64_answers_pass(expect):
    reference = torch.tensor([0.1, 1e-3, 2.5], dtype=torch.float32)
    expect.tensor(answer(reference.double()), reference, what="f(x)")
    expect.tensor(answer(reference.double() * (1 + 1e-6), "torch.float64"), reference, what="f")


@pytest.mark.parametrize(
    ("got", "message"),
    [
        (StudentObject("numpy.ndarray", "array([1.])"), "should return a torch.Tensor"),
        (answer([1.0], type_name="ShadyTensor"), "plain torch.Tensor"),
        (
            StudentTensor(None, "torch.float32", (1,), "meta", False),
            "device 'meta'",
        ),
        (answer([1.0], dtype="torch.int64"), "dtype torch.int64"),
        (answer([[1.0]]), "shape \\(1, 1\\), expected \\(1,\\)"),
        (answer([math.nan]), "contains NaN"),
        (answer([1.5]), "gave \\[1.5\\], expected \\[1\\]"),
    ],
)
def test_each_kind_of_wrong_answer_gets_its_own_message(expect, got, message):
    with pytest.raises(CheckFailed, match=message):
        expect.tensor(got, torch.tensor([1.0]), what="f(x)")


def test_a_wrong_answer_that_matches_a_known_mistake_is_named(expect):
    x = torch.tensor([1.0, 2.0])
    with pytest.raises(CheckFailed, match="This looks like a missing 1/2"):
        expect.tensor(answer(x), x / 2, what="f(x)", mistakes=[Mistake("a missing 1/2", x)])


def test_a_shape_mistake_is_named_too(expect):
    wrong = torch.ones(3, 3)
    with pytest.raises(CheckFailed, match="looks like broadcasting"):
        expect.tensor(
            answer(wrong), torch.ones(3, 1), what="f", mistakes=[Mistake("broadcasting", wrong)]
        )


def test_numbers_accept_floats_and_one_element_tensors_but_not_bools(expect):
    assert expect.number(0.5, 0.5, what="err") == 0.5
    assert expect.number(answer([0.5]), 0.5, what="err") == 0.5
    with pytest.raises(CheckFailed, match="should be a number"):
        expect.number(True, 1.0, what="err")


def test_training_results_get_the_looser_training_tolerance(expect):
    reference = torch.tensor([1.0])
    nudged = answer([1.0005])
    expect.tensor(nudged, reference, what="w", trained=True)
    with pytest.raises(CheckFailed):
        expect.tensor(nudged, reference, what="w")
