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
