"""Reading grading's report under a graded cell back into checks, scores and problems."""

from nbformat.v4 import new_code_cell, new_output

from autograder.report.cells import graded_cell, parse_report

REPORT = (
    "[FAIL] huber_loss is r**2 / (2 sigma) where |r| <= sigma\n"
    "       huber_loss(y_hat, y) gave [0.5], expected [0.25]. This looks like a missing 1/2.\n"
    "[PASS] huber_loss keeps the shape of y_hat\n"
    "[FAIL] huber_loss leaves its inputs alone\n"
    "       huber_loss changed y_hat in place.\n"
    "Hidden checks passed: 1 of 3.\n"
)


def graded(text: str, score: str = "1.0"):
    cell = new_code_cell("hook()")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "values"}
    cell.outputs = [
        new_output("stream", name="stdout", text=text),
        new_output("execute_result", data={"text/plain": score}),
    ]
    return cell


def test_each_check_keeps_its_title_verdict_and_message():
    checks, problem = parse_report(REPORT)
    assert problem == ""
    assert [(c.title[:16], c.passed) for c in checks] == [
        ("huber_loss is r*", False),
        ("huber_loss keeps", True),
        ("huber_loss leave", False),
    ]
    assert checks[2].message == "huber_loss changed y_hat in place."


def test_the_named_mistake_is_the_last_hint_of_a_failed_check():
    checks, _ = parse_report(REPORT)
    assert checks[0].mistake == "a missing 1/2"
    assert checks[2].mistake == ""
    quoted = (
        "[FAIL] t\n       raised 'This looks like nothing. at all'. This looks like the L2 update."
    )
    assert parse_report(quoted)[0][0].mistake == "the L2 update"


def test_a_mistake_name_may_hold_dots_inside_words():
    text = "[FAIL] t\n       got 1. This looks like torch.manual_seed(0) called once.\n"
    assert parse_report(text)[0][0].mistake == "torch.manual_seed(0) called once"


def test_a_cell_that_was_not_graded_keeps_its_reason():
    cell = graded_cell(graded("Not graded: the submitted file could not be read.\n", "0.0"))
    assert cell.problem == "the submitted file could not be read."
    assert cell.checks == () and cell.score == 0.0


def test_time_limits_and_crashes_are_recognised_in_messages():
    text = (
        "[FAIL] a\n       f(x) was stopped: it did not finish within the 8 s time limit and was "
        "stopped.\n[FAIL] b\n       while running f(x), the kernel stopped (the code exited).\n"
        "Hidden checks passed: 0 of 2.\n"
    )
    cell = graded_cell(graded(text, "0.0"))
    assert cell.hit_time_limit and cell.crashed
    assert not graded_cell(graded(REPORT)).hit_time_limit


def test_the_score_is_read_from_the_cell_result():
    assert graded_cell(graded(REPORT, "1.6667")).score == 1.6667
    assert graded_cell(graded(REPORT, "not a number")).score is None
