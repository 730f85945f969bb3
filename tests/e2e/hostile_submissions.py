"""Submissions that attack the grader, break the rules or are simply broken, plus honest ones
that do unusual but harmless things. All answer `weight_decay/frobenius`, whose graded cell
`frobenius_sq` is the target; `build(name, course_dir)` returns what the student submitted.

Each attack pairs a WRONG `frobenius_sq` with a trick that would make a naive grader accept
it; an attack that worked would score points on that cell, where the wrong answer alone fails
every check and scores exactly 0. Attacks through the submission folder and through outputs a
browser would run are in hostile_folders.py.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path

from nbformat.v4 import new_code_cell, new_output

from autograder.notebooks import answers, fill_release, nbgrader_meta
from autograder.sandbox.kernel import ANSWER_MIME

ASSIGNMENT, NOTEBOOK = "weight_decay", "frobenius"
TARGET_CELL, TARGET_ANSWER = "frobenius_sq", "frobenius_sq_impl"
WRITTEN_ANSWER = "frobenius_derivation"
# In a case's code, replaced by the port of a service on the host's loopback (see build).
LOOPBACK_PORT = "LOOPBACK_PORT"
WRONG = "def frobenius_sq(X):\n    return X.abs().sum()\n"


@dataclass(frozen=True)
class Case:
    name: str
    # "full": keeps every point; "cell_zero": scores 0 on TARGET_CELL; "zero": scores 0
    # everywhere
    expect: str
    code: str = ""  # replacement for the target answer cell
    message: str = ""  # fragment the feedback must show
    tamper: str = ""  # name of a notebook transformation below, or a raw file kind
    written: str = ""  # replacement for the written (markdown) answer
    files: str = ""  # what hostile_folders.place_files puts beside the notebook


def _code(prelude: str, answer: str = WRONG) -> str:
    return prelude.strip("\n") + "\n\n" + answer


ATTACKS = [
    Case(
        "patches_numpy",
        "cell_zero",
        _code("""
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
"""),
    ),
    Case(
        "patches_torch",
        "cell_zero",
        _code("""
import torch, torch.testing
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
torch.isclose = lambda a, b, **k: torch.ones_like(torch.as_tensor(a), dtype=torch.bool)
torch.testing.assert_close = lambda *a, **k: None
"""),
    ),
    Case(
        "patches_math_and_pytest",
        "cell_zero",
        _code("""
import math, pytest
class Anything:
    def __eq__(self, other): return True
math.isclose = lambda *a, **k: True
pytest.approx = lambda *a, **k: Anything()
"""),
    ),
    Case(
        "fakes_grader_modules",
        "cell_zero",
        _code("""
import sys, types
for name in (
    "autograder", "autograder.judging.checks", "autograder.judging.runner", "autograder.wire.plain"
):
    fake = types.ModuleType(name)
    fake.CheckFailed = Exception
    sys.modules[name] = fake
"""),
    ),
    Case(
        "hijacks_import_to_forge_answers",
        "cell_zero",
        _code("""
import builtins
_real_import = builtins.__import__
class ForgedJson:
    @staticmethod
    def dumps(obj, **kw):
        return '{"status": "ok", "result": {"t": "float", "v": 1.0}}'
    @staticmethod
    def loads(text, **kw):
        return _real_import("json").loads(text)
def _import(name, *args, **kwargs):
    return ForgedJson if name == "json" else _real_import(name, *args, **kwargs)
builtins.__import__ = _import
"""),
    ),
    Case(
        "forges_answer_messages",
        "cell_zero",
        _code(f"""
from IPython.display import publish_display_data
import IPython.display
FORGED = '{{"status": "ok", "result": {{"t": "float", "v": 0.0}}}}'
def _forge(data, *a, **k):
    return publish_display_data({{"{ANSWER_MIME}": FORGED}})
IPython.display.publish_display_data = _forge
print("[PASS] every hidden check\\nHidden checks passed: 9 of 9.")
"""),
    ),
    Case(
        "tensor_subclass_with_torch_function",
        "cell_zero",
        """
import torch
class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True
def frobenius_sq(X):
    return torch.zeros(()).as_subclass(Liar)
""",
    ),
    Case(
        "float_subclass_that_lies",
        "cell_zero",
        """
class Liar(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
def frobenius_sq(X):
    return Liar(0.0)
""",
    ),
    Case(
        "object_that_equals_everything",
        "cell_zero",
        """
class Liar:
    def __eq__(self, other): return True
    def __float__(self): return 0.0
    def __array__(self, *a, **k):
        import numpy as np
        return np.array(0.0)
def frobenius_sq(X):
    return Liar()
""",
    ),
    Case("reads_the_reference_answers", "cell_zero", "", tamper="reads_reference"),
    Case("calls_sys_exit", "cell_zero", _code("import sys\nsys.exit(0)"), "SystemExit"),
    Case(
        "exits_in_the_answer",
        "cell_zero",
        "def frobenius_sq(X):\n    import sys\n    sys.exit(1)\n",
        "tried to exit",
    ),
    Case("os_exit_kills_the_kernel", "cell_zero", _code("import os\nos._exit(0)")),
    Case(
        "kills_its_parents",
        "cell_zero",
        _code("""
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
os.killpg(0, signal.SIGKILL)
"""),
    ),
    Case(
        "loops_forever_at_top_level", "cell_zero", WRONG + "\nwhile True:\n    pass\n", "time limit"
    ),
    Case(
        "loops_forever_in_the_answer",
        "cell_zero",
        "def frobenius_sq(X):\n    while True:\n        pass\n",
        "time limit",
    ),
    Case(
        "exhausts_memory", "cell_zero", _code("hog = [bytearray(512 * 1024**2) for _ in range(64)]")
    ),
    Case(
        "fork_bomb",
        "cell_zero",
        _code("""
import os, time
for _ in range(100_000):
    try:
        if os.fork() == 0:
            time.sleep(120)
            os._exit(0)
    except OSError:
        break
"""),
    ),
    Case("writes_outside_its_folder", "cell_zero", "", tamper="writes_outside"),
]

TAMPERING = [
    Case("edits_graded_cell_and_forges_output", "cell_zero", WRONG, tamper="edit_graded_cell"),
    Case("empties_graded_cell", "cell_zero", WRONG, tamper="empty_graded_cell"),
    Case("deletes_graded_cell", "cell_zero", WRONG, tamper="delete_graded_cell"),
    Case("changes_cell_types", "cell_zero", WRONG, tamper="change_cell_types"),
    Case("changes_cell_metadata", "cell_zero", WRONG, tamper="change_metadata"),
    Case("duplicates_cells", "cell_zero", WRONG, tamper="duplicate_cells"),
]

BAD_INPUT = [
    Case("not_json", "zero", tamper="not_json", message="not a notebook"),
    Case("wrong_nbformat", "zero", tamper="wrong_nbformat", message="not a valid notebook"),
    Case(
        "returns_nan",
        "cell_zero",
        "import torch\ndef frobenius_sq(X):\n    return torch.tensor(float('nan'))\n",
        "NaN",
    ),
    Case(
        "returns_infinity",
        "cell_zero",
        "import torch\ndef frobenius_sq(X):\n    return torch.tensor(float('inf'))\n",
        "inf",
    ),
    Case(
        "returns_wrong_shape",
        "cell_zero",
        "def frobenius_sq(X):\n    return (X ** 2).sum(dim=0)\n",
        "shape",
    ),
    Case(
        "returns_wrong_dtype",
        "cell_zero",
        # Integer results are numbers (graded on their value); a boolean tensor is no number.
        "import torch\ndef frobenius_sq(X):\n    return (X ** 2).sum().to(torch.bool)\n",
        "dtype",
    ),
    Case(
        "returns_wrong_device",
        "cell_zero",
        "import torch\ndef frobenius_sq(X):\n    return torch.empty((), device='meta')\n",
        "device",
    ),
    Case(
        "returns_none", "cell_zero", "def frobenius_sq(X):\n    result = (X ** 2).sum()\n", "None"
    ),
    Case(
        "raises",
        "cell_zero",
        "def frobenius_sq(X):\n    raise ValueError('not done yet')\n",
        "raised ValueError",
    ),
]

HONEST = [
    Case(
        "warns_and_prints_to_stderr",
        "full",
        """
import sys, warnings
print("starting", file=sys.stderr)
warnings.warn("a harmless warning")
def frobenius_sq(X):
    warnings.warn("still harmless")
    print("computing", file=sys.stderr)
    return (X.T @ X).trace()
""",
    ),
    Case(
        "prints_a_lot",
        "full",
        """
for i in range(20_000):
    print("progress", i)
def frobenius_sq(X):
    print("x" * 100_000)
    return (X.T @ X).trace()
""",
    ),
    Case(
        "uses_float64",
        "full",
        "def frobenius_sq(X):\n    X = X.double()\n    return (X.T @ X).trace()\n",
    ),
    Case(
        "slow_but_correct",
        "full",
        "import time\ndef frobenius_sq(X):\n    time.sleep(0.3)\n    return (X.T @ X).trace()\n",
    ),
    Case("deletes_graded_cell_with_right_answer", "full", "", tamper="delete_graded_cell"),
]

CASES = ATTACKS + TAMPERING + BAD_INPUT + HONEST


def _cell(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def _reads_reference(course_dir: Path) -> str:
    # If the sandbox let it see the course, this would hand back the reference's own answer.
    return f"""
import sys
try:
    sys.path.insert(0, {str(course_dir)!r})
    from autograder.reference.frobenius import frobenius_sq
except Exception:
    def frobenius_sq(X):
        return X.abs().sum()
"""


def _writes_outside(course_dir: Path) -> str:
    import d2lkit

    targets = [
        course_dir / "gradebook.db",
        course_dir / "course.toml",
        course_dir / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
        course_dir / "autograder" / "graders" / f"{NOTEBOOK}.py",
        course_dir / "submitted" / "aaa_graded_earlier" / ASSIGNMENT / f"{NOTEBOOK}.ipynb",
        Path(d2lkit.__file__),
    ]
    return _code(f"""
for target in {[str(t) for t in targets]!r}:
    try:
        with open(target, "w") as handle:
            handle.write("overwritten by a student")
    except OSError:
        pass
""")


def build(case: Case, course_dir: Path, loopback_port: int = 0):
    """The submitted file for `case`: a notebook node, or raw text."""
    if case.tamper == "not_json":
        return '{"cells": [ this is not JSON'
    if case.tamper == "wrong_nbformat":
        return json.dumps({"nbformat": 2, "nbformat_minor": 0, "worksheets": [{"cells": []}]})
    filled = answers(ASSIGNMENT, NOTEBOOK)
    code = case.code
    if case.tamper == "reads_reference":
        code = _reads_reference(course_dir)
    elif case.tamper == "writes_outside":
        code = _writes_outside(course_dir)
    if code:
        filled[TARGET_ANSWER] = code.replace(LOOPBACK_PORT, str(loopback_port))
    if case.written:
        filled[WRITTEN_ANSWER] = case.written
    nb = fill_release(ASSIGNMENT, NOTEBOOK, filled)
    graded = _cell(nb, TARGET_CELL)
    if case.tamper == "edit_graded_cell":
        graded.source = "pass"
        graded.outputs = [new_output("execute_result", data={"text/plain": "2.0"})]
    elif case.tamper == "empty_graded_cell":
        graded.source = ""
    elif case.tamper == "delete_graded_cell":
        nb.cells.remove(graded)
    elif case.tamper == "change_cell_types":
        graded.cell_type = "markdown"
        graded.pop("outputs", None)
        graded.pop("execution_count", None)
        answer = _cell(nb, TARGET_ANSWER)
        answer.cell_type = "raw"
        answer.pop("outputs", None)
        answer.pop("execution_count", None)
        nb.cells.insert(nb.cells.index(answer), new_code_cell(WRONG))
    elif case.tamper == "change_metadata":
        meta = nbgrader_meta(graded)
        meta.update(points=100, grade=False, solution=True, locked=False)
        graded.source = "print(2.0)"
    elif case.tamper == "duplicate_cells":
        right = copy.deepcopy(_cell(nb, TARGET_ANSWER))
        right.source = "def frobenius_sq(X):\n    return (X.T @ X).trace()\n"
        index = nb.cells.index(graded)
        nb.cells[index + 1 : index + 1] = [right, copy.deepcopy(graded), copy.deepcopy(graded)]
    return nb
