"""Finished graders compare through `Expect` only: one closeness rule, one reading of a number,
tolerances from course.toml, and a tolerance an exercise states itself only as a named constant
whose comment cites it, passed to `Expect.close`."""

import re
from pathlib import Path

import pytest

GRADERS = Path(__file__).resolve().parents[2] / "autograder" / "graders"
# Every notebook's grader: one module per notebook, plus its `_parts` module where it has one.
ENFORCED = tuple(
    sorted(p.stem for p in GRADERS.glob("*.py") if p.stem not in ("__init__", "common"))
)
ENFORCED = tuple(name for name in ENFORCED if not name.endswith("_parts"))
# A closeness test of its own, arithmetic on the course's tolerances, a reading of a number of
# its own, or a tolerance given as a literal (or computed) rather than a named constant.
OWN_RULES = re.compile(
    r"isclose|allclose|\.tolerance\b|def _?(number|as_float)\b|numbers\.Real"
    r"|\b[ra]tol\s*=\s*(?![A-Z][A-Z0-9_]*\b)"
)
CONTRACT_TOLERANCE = re.compile(r"\b[ra]tol\s*=\s*([A-Z][A-Z0-9_]*)\b")


def _grader_files(notebook):
    return [GRADERS / f"{notebook}.py", *GRADERS.glob(f"{notebook}_parts.py")]


@pytest.mark.parametrize("notebook", ENFORCED)
def test_graders_have_no_closeness_or_number_rules_of_their_own(notebook):
    for path in _grader_files(notebook):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not OWN_RULES.search(line), f"{path.name}:{number}: {line.strip()}"


@pytest.mark.parametrize("notebook", ENFORCED)
def test_a_contract_tolerance_is_a_named_constant_that_cites_its_contract(notebook):
    for path in _grader_files(notebook):
        lines = path.read_text().splitlines()
        for name in {m.group(1) for line in lines for m in CONTRACT_TOLERANCE.finditer(line)}:
            where = [i for i, line in enumerate(lines) if re.match(rf"{name}\s*=\s*[\d.]", line)]
            assert len(where) == 1, f"{path.name}: {name} is not one module-level number"
            above = lines[where[0] - 1] if where[0] else ""
            assert above.startswith("#"), f"{path.name}: no comment says where {name} comes from"


def test_the_rule_catches_what_it_is_meant_to():
    caught = (
        "torch.allclose(a, b, rtol=1e-4)",
        "bool(torch.isclose(a, b).all())",
        "tol = expect.tolerance.rtol * abs(m)",
        "def number(got, what):",
        "isinstance(answer, numbers.Real)",
        "expect.close(a, b, rtol=0.01)",
        "expect.close(a, b, atol=tol * scale)",
    )
    allowed = (
        "expect.close(value, T, rtol=WITHIN_ONE_PERCENT, atol=RELATIVE_ONLY)",
        "expect.close(residual, 0.0, atol=FIT_SHARE * scale)",
        "far inside the course's train_rtol of 2e-3",
    )
    assert all(OWN_RULES.search(line) for line in caught)
    assert not any(OWN_RULES.search(line) for line in allowed)
