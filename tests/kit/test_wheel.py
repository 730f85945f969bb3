"""The kit as students get it: `make wheel` builds it, and it installs into a clean venv that
then runs the release notebooks' setup cells.

The clean venv has no access to this checkout or to the course's venv: pip installs the wheel
and its dependencies (torch 2.13.0, numpy, matplotlib) from wherever this machine's pip
configuration finds them, as a student's pip would.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.config import REPO_ROOT
from autograder.notebooks import is_solution

pytestmark = pytest.mark.slow

INSTALL_TIMEOUT_S = 900
STAMP = ".venv/.installed"


def student_env():
    """The environment without anything that would let the checkout's kit be imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dist = tmp_path_factory.mktemp("dist")
    # -o: the course's venv counts as installed; this builds the wheel and nothing else.
    done = subprocess.run(
        ["make", "--no-print-directory", "-o", STAMP, "wheel", f"DIST={dist}"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    wheels = list(dist.glob("d2lkit-*-py3-none-any.whl"))
    assert len(wheels) == 1, (wheels, done.stdout)
    return wheels[0]


@pytest.fixture(scope="module")
def student_python(wheel, tmp_path_factory):
    """A fresh venv (no system or course packages) with only the wheel installed."""
    venv = tmp_path_factory.mktemp("student") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-compile", str(wheel)],
        env=student_env(),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return python


def setup_code(path):
    """The code cells before a notebook's first answer cell, without IPython magics."""
    lines = []
    for cell in nbformat.read(path, as_version=4).cells:
        if is_solution(cell):
            break
        if cell.cell_type == "code":
            lines += [ln for ln in cell.source.splitlines() if not ln.lstrip().startswith("%")]
    return "\n".join(lines)


def test_the_wheel_holds_the_kit_and_nothing_of_the_course(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"d2lkit", wheel.name.split("-py3")[0] + ".dist-info"}, sorted(top)
    assert "d2lkit/__init__.py" in names and "d2lkit/board.py" in names


def test_a_clean_venv_with_the_wheel_runs_every_release_notebooks_setup(student_python, tmp_path):
    notebooks = sorted((REPO_ROOT / "release").glob("*/*.ipynb"))
    assert notebooks
    setups = {path.stem: setup_code(path) for path in notebooks}
    script = (
        "import json, sys\n"
        f"setups = json.loads({json.dumps(json.dumps(setups))})\n"
        "for name, code in setups.items():\n"
        "    exec(compile(code, name, 'exec'), {})\n"
        "import torch, d2lkit as d2l\n"
        "data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2, seed=0)\n"
        "model = d2l.LinearRegressionScratch(2, lr=0.03)\n"
        "trainer = d2l.Trainer(max_epochs=2)\n"
        "trainer.fit(model, data)\n"
        "print(json.dumps({'kit': d2l.__file__, 'torch': torch.__version__,\n"
        "                  'val_loss': trainer.history.val_loss[-1], 'prefix': sys.prefix}))\n"
    )
    done = subprocess.run(
        [str(student_python), "-c", script],
        cwd=tmp_path,
        env=student_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    venv = Path(result["prefix"])
    assert Path(result["kit"]).is_relative_to(venv), "the kit came from outside the clean venv"
    assert result["torch"].startswith("2.13.0")
    assert result["val_loss"] < 1.0
