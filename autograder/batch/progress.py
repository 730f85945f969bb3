"""What the instructor sees while a class is graded, and the table at the end."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from tqdm import tqdm


@dataclass
class Outcome:
    """One student's line in the summary."""

    student: str
    status: str  # "graded", "zero" (grading raised), "unchanged", "lost" (no grade recorded)
    score: float = 0.0
    max_score: float = 0.0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    # The grading's own log (nbgrader's steps, the time each cell and each kernel start took),
    # for `--logs`; empty when nothing was graded.
    log: str = ""

    @property
    def has_grade(self) -> bool:
        return self.status != "lost"


BAR = "{desc}: {n_fmt}/{total_fmt} |{bar}| {postfix} [{elapsed} elapsed, {remaining} left]"


class Progress:
    """A bar with done/total, failures, elapsed time and time left; a line per problem."""

    def __init__(self, total: int, assignment: str, out: TextIO = sys.stderr):
        self.out = out
        self.failures = 0
        self.started = time.monotonic()
        self.bar = tqdm(
            total=total,
            desc=f"grading {assignment}",
            unit="student",
            file=out,
            dynamic_ncols=True,
            mininterval=0.5,
            bar_format=BAR,
        )
        self.bar.set_postfix_str("failures 0")

    def note(self, text: str) -> None:
        self.bar.write(text, file=self.out)

    def done(self, outcome: Outcome) -> None:
        if outcome.status in ("zero", "lost"):
            self.failures += 1
            self.bar.set_postfix_str(f"failures {self.failures}", refresh=False)
            reason = outcome.problems[0] if outcome.problems else "no reason given"
            self.note(f"{outcome.student}: {outcome.status}: {reason}")
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _points(value: float) -> str:
    return f"{value:.4g}"


def summary(outcomes: list[Outcome], wall: float, out: TextIO = sys.stdout) -> None:
    """Student, score, time and problems, one line each, then the totals."""
    if not outcomes:
        print("No submissions to grade.", file=out)
        return
    width = max(7, *(len(o.student) for o in outcomes)) + 2
    print(f"\n{'student':<{width}}{'score':>12}{'time':>9}  problems", file=out)
    for o in sorted(outcomes, key=lambda o: o.student):
        score = "-" if o.status == "lost" else f"{_points(o.score)}/{_points(o.max_score)}"
        time_text = f"{o.seconds:.1f}s" if o.status in ("graded", "zero") else o.status
        problems = "; ".join(o.problems) if o.problems else "-"
        if o.status in ("zero", "lost"):
            problems = f"{o.status.upper()}: {problems}"
        if len(problems) > 100:
            problems = problems[:97] + "..."
        print(f"{o.student:<{width}}{score:>12}{time_text:>9}  {problems}", file=out)
    counts = {
        s: sum(o.status == s for o in outcomes) for s in ("graded", "zero", "unchanged", "lost")
    }
    graded = counts["graded"] + counts["zero"]
    rate = f", {60 * graded / wall:.1f} students/minute" if graded and wall > 0 else ""
    print(
        f"\n{graded} graded ({counts['zero']} of them zero because grading failed), "
        f"{counts['unchanged']} unchanged and skipped, {counts['lost']} without a grade; "
        f"{wall:.0f} s{rate}.",
        file=out,
    )
