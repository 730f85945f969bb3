"""Questions to a student's code come back as plain answers or as student-facing failures."""

import sys

import pytest
import torch

from autograder.judging.checks import CheckFailed
from autograder.judging.student import LocalStudent


@pytest.fixture
def student():
    def scale(w, factor=2.0):
        return w * factor

    def scale_in_place(w):
        w.mul_(2)
        return w

    def quits(w):
        sys.exit(3)

    return LocalStudent(
        {"scale": scale, "scale_in_place": scale_in_place, "quits": quits, "offset": 5.0}
    )


def test_a_call_passes_positional_and_keyword_inputs(student):
    got = student.call("scale", torch.ones(2), factor=3.0)
    assert torch.equal(got.values, torch.full((2,), 3.0, dtype=torch.float64))


def test_return_args_shows_whether_the_student_changed_an_input(student):
    _, (w_after,) = student.call("scale_in_place", torch.ones(2), return_args=True)
    assert torch.equal(w_after.values, torch.full((2,), 2.0, dtype=torch.float64))


def test_a_probe_sees_the_students_names_and_its_inputs(student):
    assert student.run("result = offset + k", what="probe", k=1.5) == 6.5


def test_a_missing_name_tells_the_student_to_define_it(student):
    with pytest.raises(CheckFailed, match="`absent` is not defined"):
        student.call("absent")


def test_sys_exit_inside_an_answer_is_reported_not_obeyed(student):
    with pytest.raises(CheckFailed, match="tried to exit"):
        student.call("quits", torch.ones(1))


def test_numpy_answers_come_back_as_numpy_with_their_exact_type():
    import numpy as np

    student = LocalStudent({"best": lambda values: np.float64(min(values))})
    got = student.call("best", [0.5, 0.25])
    assert got.type_name == "numpy.float64" and got.values.item() == 0.25


def test_arguments_come_back_with_requires_grad_and_grad_as_the_call_left_them():
    def switches_off(w):
        w.requires_grad_(False)
        return w * 2

    def fills_grad(w):
        (w * w).sum().backward()
        return w.grad.clone()

    student = LocalStudent({"switches_off": switches_off, "fills_grad": fills_grad})
    w = torch.ones(2, requires_grad=True)
    _, (after,) = student.call("switches_off", w, return_args=True)
    assert not after.requires_grad and after.grad is None and not after.shares_result
    _, (after,) = student.call("fills_grad", w, return_args=True)
    assert after.requires_grad and after.grad is not None
