"""Hidden checks judge plain answers with course tolerances and explain every failure."""

import math

import pytest
import torch

from autograder.config import load_course
from autograder.judging.checks import CheckFailed, Expect, Mistake, as_number, as_truth
from autograder.wire.plain import StudentArray, StudentObject, StudentTensor


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
        (answer([1.0], dtype="torch.bool"), "dtype torch.bool"),
        (
            StudentArray(torch.ones(1, dtype=torch.float64), "float64", (1,), "numpy.ndarray"),
            "should return a torch.Tensor, but it returned a numpy array",
        ),
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


def numpy_value(value, dtype, type_name):
    values = torch.as_tensor(value, dtype=torch.float64 if "float" in dtype else torch.int64)
    return StudentArray(values, dtype, tuple(values.shape), type_name)


@pytest.mark.parametrize(
    "honest",
    [
        0.5,
        answer([0.5]),
        answer(0.5, dtype="torch.float64"),
        numpy_value(0.5, "float64", "numpy.float64"),
        numpy_value(0.5, "float32", "numpy.float32"),
        numpy_value(0.5, "float64", "numpy.ndarray"),
    ],
)
def test_every_honest_kind_of_number_passes(expect, honest):
    assert expect.number(honest, 0.5 * (1 + 1e-6), what="err") == pytest.approx(0.5)


@pytest.mark.parametrize(
    "honest",
    [3, answer(3, dtype="torch.int64"), numpy_value(3, "int64", "numpy.int64")],
)
def test_integers_pass_where_a_whole_number_is_expected(expect, honest):
    assert as_number(honest, "lambd") == 3.0
    expect.number(honest, 3.0, what="lambd")


@pytest.mark.parametrize(
    ("dishonest", "message"),
    [
        (True, "should be a number"),
        (StudentObject("LyingFloat", "1.0"), "object of type LyingFloat"),
        (StudentObject("numpy.ndarray", "array([1.])"), "should be a number"),
        (answer([0.5, 0.5]), "should be a single number"),
        (numpy_value([0.5, 0.5], "float64", "numpy.ndarray"), "should be a single number"),
        (None, "but it is None"),
    ],
)
def test_what_is_not_one_honest_number_is_refused(expect, dishonest, message):
    with pytest.raises(CheckFailed, match=message):
        expect.number(dishonest, 0.5, what="err")


def test_float64_and_integer_tensors_pass_where_values_are_compared(expect):
    expect.tensor(answer([1.0, 2.0], "torch.float64"), torch.tensor([1.0, 2.0]), what="f")
    expect.tensor(answer([1, 2], "torch.int64"), torch.tensor([1.0, 2.0]), what="f")


def test_one_closeness_rule_for_tensors_numbers_and_answers(expect):
    assert expect.close(answer([1.0 + 1e-6]), torch.tensor([1.0]))
    assert expect.close(numpy_value(2.0, "float64", "numpy.float64"), 2.0)
    assert not expect.close(answer([1.0]), torch.tensor([[1.0]]))
    assert not expect.close(1.001, 1.0)
    assert expect.close(1.001, 1.0, trained=True)


def test_an_argument_read_back_unchanged_passes(expect):
    before = torch.tensor([1.0, -2.0])
    expect.unchanged(before, answer(before), name="w", what="f(w)")


@pytest.mark.parametrize(
    ("after", "message"),
    [
        (answer([1.0, 0.0]), "changed its argument w in place"),
        (
            StudentTensor(torch.tensor([1.0, -2.0]).double(), "torch.float32", (2,), "cpu", True),
            "switched requires_grad on",
        ),
        (
            StudentTensor(
                torch.tensor([1.0, -2.0]).double(),
                "torch.float32",
                (2,),
                "cpu",
                False,
                grad=answer([1.0, 1.0]),
            ),
            "left a .grad",
        ),
        (None, "replaced its argument w"),
    ],
)
def test_each_side_effect_on_an_argument_is_named(expect, after, message):
    with pytest.raises(CheckFailed, match=message):
        expect.unchanged(torch.tensor([1.0, -2.0]), after, name="w", what="f(w)")


def test_switching_requires_grad_off_is_named(expect):
    before = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(CheckFailed, match="switched requires_grad off"):
        expect.unchanged(before, answer([1.0]), name="W", what="g(W)")


def test_training_results_get_the_looser_training_tolerance(expect):
    reference = torch.tensor([1.0])
    nudged = answer([1.0005])
    expect.tensor(nudged, reference, what="w", trained=True)
    with pytest.raises(CheckFailed):
        expect.tensor(nudged, reference, what="w")


def test_a_contract_tolerance_replaces_the_course_one_for_one_comparison(expect):
    # "Within 1 %", relatively: 0.9 % off passes, 1.1 % off does not, whatever the course's.
    assert expect.close(numpy_value(5045.0, "float64", "numpy.float64"), 5000.0, rtol=0.01, atol=0)
    assert not expect.close(5055.0, 5000.0, rtol=0.01, atol=0.0)
    # Relatively only: with no absolute floor a tiny value is not close to a tinier one...
    assert not expect.close(answer([1e-200]), torch.tensor([1e-210]), atol=0.0)
    assert expect.close(answer([1e-200]), torch.tensor([1e-210]))
    # ...while equal zeros and equal infinities still are.
    assert expect.close(answer([0.0, math.inf]), torch.tensor([0.0, math.inf]), atol=0.0)
    # The course's tolerances are left as they were for the next comparison.
    assert not expect.close(1.001, 1.0)
    assert expect.close(1.001, 1.0, trained=True)
    assert not expect.close(1.001, 1.0, trained=True, rtol=1e-4)


def test_a_contract_tolerance_still_refuses_what_is_not_a_number(expect):
    assert not expect.close(StudentObject("Sneaky", "5000.0"), 5000.0, rtol=0.01, atol=0.0)
    assert not expect.close(math.nan, math.nan, rtol=1.0, atol=1.0)


def _truth_array(flag, type_name):
    values = torch.tensor(flag)
    return StudentArray(values, "bool", tuple(values.shape), type_name)


@pytest.mark.parametrize(
    "honest",
    [
        True,
        _truth_array(True, "numpy.bool"),
        _truth_array([True], "numpy.ndarray"),
        StudentTensor(torch.tensor(True), "torch.bool", (), "cpu", False),
    ],
)
def test_every_honest_kind_of_truth_value_is_read(honest):
    assert as_truth(honest, "diverged") is True


@pytest.mark.parametrize(
    "dishonest",
    [1, 1.0, StudentObject("LyingBool", "True"), _truth_array([True, False], "numpy.ndarray")],
)
def test_numbers_objects_and_arrays_are_not_truth_values(dishonest):
    with pytest.raises(CheckFailed, match="should be True or False"):
        as_truth(dishonest, "diverged")
