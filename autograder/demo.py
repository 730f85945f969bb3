"""`make demo`: the instructor's whole pipeline on three bundled submissions.

In a fresh course directory (.demo/course, ignored by git) it generates every assignment with
nbgrader, submits the work of three students (one right, one with several of the chapter's
common mistakes, one left blank), autogrades, generates feedback and exports the grades, then
prints a per-student, per-exercise table and the feedback on each mistake, saves a plot of
the scores, and ends by writing the class report (autograder.report) and printing its path.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from autograder.config import REPO_ROOT, Course, load_course
from autograder.notebooks import (
    Variant,
    answers,
    fill_release,
    is_graded_test,
    nbgrader_meta,
    read,
)
from autograder.pipeline import cell_scores, copy_course, nbgrader, submit
from autograder.report import class_report
from autograder.sandbox import confine
from autograder.variants import load_variants

DEMO_DIR = REPO_ROOT / ".demo"
# The student with mistakes: known mistakes per notebook, by variant name (none overlap).
MISTAKES = {
    "huber_loss": ("huber_builtin_not_divided",),
    "gradient_access": ("flattened_weight_gradient", "accumulated_not_zeroed"),
    "lambda_sweep": ("warm_start", "linear_loss_axis"),
    "l1_update": ("l2_update",),
    "frobenius": ("trace_x_x",),
}
STUDENTS = ("ada_right", "ben_mistakes", "cy_blank")


def mistakes_of(notebook: str, most: int = 2) -> list[Variant]:
    """The mistakes ben makes in `notebook`: those chosen above, or else the first `most`
    wrong variants that name a known mistake and touch different answer cells."""
    variants = {v.name: v for v in load_variants(notebook)}
    if notebook in MISTAKES:
        return [variants[name] for name in MISTAKES[notebook]]
    chosen: list[Variant] = []
    for variant in variants.values():
        # Neither the answers nor the cells they fail may overlap: a wrong helper that a later
        # answer calls would hide that answer's own mistake.
        taken = {cell for v in chosen for cell in (*v.cells, *v.failing)}
        touched = {*variant.cells, *variant.failing}
        stub = "stub" in variant.name  # a blank-ish answer shows no mistake worth reading
        if variant.right or stub or not variant.message or touched & taken:
            continue
        chosen.append(variant)
        if len(chosen) == most:
            break
    return chosen


def combined(variants: list[Variant]) -> Variant:
    """One submission making all of these mistakes (each in its own answer cells)."""
    cells: dict[str, str] = {}
    for variant in variants:
        if set(cells) & set(variant.cells):
            raise ValueError(f"{variant.name} overlaps another mistake")
        cells.update(variant.cells)
    failing = tuple(sorted({cell for v in variants for cell in v.failing}))
    return Variant("+".join(v.name for v in variants), cells, failing)


def submission(student: str, assignment: str, notebook: str):
    """What each bundled student hands in for one notebook."""
    if student == "cy_blank":
        return read(REPO_ROOT / "release" / assignment / f"{notebook}.ipynb")
    variant = combined(mistakes_of(notebook)) if student == "ben_mistakes" else None
    return fill_release(assignment, notebook, answers(assignment, notebook, variant))


def autograded_points(course_dir: Path, student: str, assignment: str, notebook: str):
    """(score, max) over the autograded (code) cells; written answers wait for the formgrader."""
    scores = cell_scores(course_dir, student, assignment, notebook, cell_type="code")
    return sum(s or 0.0 for s, _ in scores.values()), sum(m for _, m in scores.values())


def failed_checks(course_dir: Path, student: str, assignment: str, notebook: str) -> list[str]:
    """The failure lines of the feedback under each graded cell."""
    path = course_dir / "autograded" / student / assignment / f"{notebook}.ipynb"
    lines = []
    for cell in read(path).cells:
        if cell.cell_type == "code" and is_graded_test(cell):
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            report = [ln.strip() for ln in text.splitlines() if ln.strip()]
            for i, line in enumerate(report):
                if line.startswith("[FAIL]"):
                    detail = report[i + 1] if i + 1 < len(report) else ""
                    lines.append(f"{nbgrader_meta(cell)['grade_id']}: {line[7:]} -- {detail}")
    return lines


def print_table(course: Course, table: dict) -> None:
    names = [nb.name for nb in course.notebooks]
    width = max(len(n) for n in names) + 2
    print("\nAutograded points per student and exercise (hand-graded answers pending):\n")
    print("student".ljust(14) + "".join(n.rjust(width) for n in names) + "total".rjust(12))
    for student in STUDENTS:
        row, got, out_of = student.ljust(14), 0.0, 0.0
        for nb in course.notebooks:
            score, max_score = table[student, nb.name]
            got, out_of = got + score, out_of + max_score
            row += f"{score:.3g}/{max_score:g}".rjust(width)
        print(row + f"{got:.3g}/{out_of:g}".rjust(12))


def plot_scores(course: Course, table: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # drawn to a file, never shown
    import matplotlib.pyplot as plt

    names = [nb.name for nb in course.notebooks]
    fig, ax = plt.subplots(figsize=(8, 3.5))
    width = 0.8 / len(STUDENTS)
    for k, student in enumerate(STUDENTS):
        shares = [100 * table[student, n][0] / table[student, n][1] for n in names]
        ax.bar([i + k * width for i in range(len(names))], shares, width, label=student)
    ax.set_xticks([i + width for i in range(len(names))], names)
    ax.set_ylabel("autograded score (%)")
    ax.set_ylim(0, 125)  # headroom for the legend above the bars
    ax.legend(loc="upper center", ncols=len(STUDENTS), fontsize="small")
    ax.set_title("Autograded scores")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    started = time.monotonic()
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    course_dir = copy_course(DEMO_DIR / "course")
    course = load_course(course_dir)
    print(f"Course {course.id} in {course_dir}; student kernels run with {confine.describe()}.")
    if confine.mode() == "limits":
        # The bundled submissions are the course's own, so the demo may grade them without
        # file-system isolation; a real class is refused in this mode unless opted in.
        print("WARNING: no bubblewrap here: grading the bundled students with limits only.")
        os.environ[confine.UNCONFINED_ENV] = "1"
    for assignment in course.assignments:
        nbgrader(course_dir, "generate_assignment", assignment, "--force")
        for student in STUDENTS:
            for nb in course.notebooks_of(assignment):
                submit(
                    course_dir,
                    student,
                    assignment,
                    nb.name,
                    submission(student, assignment, nb.name),
                )
        print(f"Autograding {assignment} for {len(STUDENTS)} students ...", flush=True)
        nbgrader(course_dir, "autograde", assignment, "--force")
        nbgrader(course_dir, "generate_feedback", assignment, "--force")
    nbgrader(course_dir, "export")

    table = {
        (student, nb.name): autograded_points(course_dir, student, nb.assignment, nb.name)
        for student in STUDENTS
        for nb in course.notebooks
    }
    print_table(course, table)
    print("\nFeedback for ben_mistakes, check by check:")
    for nb in course.notebooks:
        for line in failed_checks(course_dir, "ben_mistakes", nb.assignment, nb.name):
            print(f"  {nb.name}/{line}")
    plot_scores(course, table, DEMO_DIR / "scores.png")
    print(f"\nGrades CSV:   {course_dir / 'grades.csv'}")
    print(f"Feedback:     {course_dir / 'feedback'}")
    print(f"Score plot:   {DEMO_DIR / 'scores.png'}")
    print(f"Done in {time.monotonic() - started:.0f} s.")
    # Last, what an instructor reads after autograding a class: the class report.
    print(f"Class report: {class_report(course)}")


if __name__ == "__main__":
    main()
