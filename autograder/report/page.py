"""The class report page: one HTML file with its figures and CSV beside it.

Laid out for a whole class: histograms rather than a bar per student, mistakes ranked with the
names of the students behind each in a collapsed <details>, long lists collapsed. Student ids,
check titles and messages can carry text a student chose: all of it is escaped, and the page
has no script.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

from autograder.report.figures import mistakes_figure, score_figure
from autograder.report.model import ISSUE_KINDS, MISSING, ClassResults, Distribution
from autograder.report.table import write_checks_csv

PAGE = "class_report.html"
CSV = "checks.csv"
FIGURES = "figures"
TOP_MISTAKES = 15  # drawn in the figure; the table lists them all
OPEN_ROWS = 20  # rows shown before the rest of a list is collapsed

CSS = """
body { font-family: system-ui, sans-serif; margin: 0; color: #1d2530; }
main { max-width: 1100px; margin: 0 auto; padding: 1em 1.5em 3em; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #dde3ea; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 0.3em 0.5em;
  border-top: 1px solid #dde3ea; overflow-wrap: break-word; }
table.fixed { table-layout: fixed; }
th { background: #f3f6f9; } td.n { text-align: right; white-space: nowrap; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; }
figcaption { font-size: 13px; color: #4a5563; }
details { margin: 0.4em 0; } summary { cursor: pointer; }
.who { font-size: 13px; color: #34404d; overflow-wrap: anywhere; }
nav a { margin-right: 1em; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text)


def _table(
    head: list[str],
    rows: list[list[str]],
    numeric: set[int] = frozenset(),
    widths: tuple[int, ...] = (),
) -> str:
    """An HTML table of already escaped cells; rows past OPEN_ROWS collapsed. `widths` (in %
    per column) fix the layout, so that opening a list in one cell does not squeeze the rest."""
    cols = "".join(f'<col style="width: {w}%">' for w in widths)
    start = f'<table class="fixed"><colgroup>{cols}</colgroup>' if widths else "<table>"

    def render(chunk: list[list[str]]) -> str:
        cells = "".join(f"<th>{h}</th>" for h in head)
        body = "".join(
            "<tr>"
            + "".join(
                f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
                for i, c in enumerate(row)
            )
            + "</tr>"
            for row in chunk
        )
        return f"{start}<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"

    if len(rows) <= OPEN_ROWS:
        return render(rows)
    rest = rows[OPEN_ROWS:]
    return (
        render(rows[:OPEN_ROWS])
        + f"<details><summary>{len(rest)} more</summary>{render(rest)}</details>"
    )


def _who(students: tuple[str, ...] | list[str]) -> str:
    names = ", ".join(esc(s) for s in students)
    return (
        f'<details><summary>{len(students)} students</summary><p class="who">{names}</p></details>'
    )


def _overview(results: ClassResults) -> str:
    rows = []
    for nb in results.notebooks:
        mine = results.of(nb)
        total: Distribution = results.distributions(nb)[0]
        kinds = [sum(1 for r in mine if any(i.kind == k for i in r.issues)) for k in ISSUE_KINDS]
        rows.append(
            [
                f'<a href="#nb-{esc(_slug(nb.assignment + "-" + nb.name))}">'
                f"{esc(nb.assignment)}/{esc(nb.name)}</a>",
                str(len(mine) - kinds[ISSUE_KINDS.index(MISSING)]),
                f"{_num(total.mean)} / {total.max_score:g}",
                _num(total.median),
                str(total.full_marks),
                str(total.zeros),
                *[str(k) for k in kinds],
            ]
        )
    head = ["notebook", "graded", "mean", "median", "full marks", "zero"]
    head += [esc(k) for k in ISSUE_KINDS]
    return _table(head, rows, numeric=set(range(1, len(head))))


def _scores(results: ClassResults, figures: Path) -> str:
    parts = []
    for nb in results.notebooks:
        slug = _slug(f"{nb.assignment}-{nb.name}")
        dists = results.distributions(nb)
        png = score_figure(f"{nb.assignment}/{nb.name}", dists, figures / f"scores-{slug}.png")
        caption = "; ".join(
            f"{esc(d.label)}: mean {_num(d.mean)}, median {_num(d.median)} of {d.max_score:g}, "
            f"{d.full_marks} full, {d.zeros} zero" + (f", {d.pending} to mark" if d.pending else "")
            for d in dists
        )
        parts.append(
            f'<figure id="nb-{esc(slug)}"><img src="{FIGURES}/{esc(png.name)}" '
            f'alt="score histograms of {esc(nb.name)}"><figcaption>{caption}</figcaption>'
            "</figure>"
        )
    return "".join(parts)


def _mistakes(results: ClassResults, figures: Path) -> str:
    ranked = results.mistakes()
    if not ranked:
        return "<p>No check named a known mistake.</p>"
    students = len(results.students)
    png = mistakes_figure(ranked, students, figures / "mistakes.png", TOP_MISTAKES)
    rows = [
        [
            str(rank),
            esc(m.mistake),
            f"{esc(m.notebook)}/{esc(m.grade_id)}",
            str(len(m.students)),
            _who(m.students),
        ]
        for rank, m in enumerate(ranked, 1)
    ]
    head = ["#", "mistake", "cell", "students", "who"]
    table = _table(head, rows, numeric={0, 3}, widths=(5, 38, 19, 8, 30))
    return f'<img src="{FIGURES}/{png.name}" alt="most common named mistakes">{table}'


def _checks(results: ClassResults) -> str:
    """Per notebook, each hidden check with how many students failed it, most failed first."""
    parts = []
    for nb in results.notebooks:
        failed: dict[tuple[str, str], list[int]] = {}
        for r in results.of(nb):
            for cell in r.cells:
                for check in cell.checks:
                    tally = failed.setdefault((cell.grade_id, check.title), [0, 0])
                    tally[0] += not check.passed
                    tally[1] += 1
        if not failed:
            continue
        order = sorted(failed.items(), key=lambda kv: (-kv[1][0] / kv[1][1], kv[0]))
        rows = [
            [esc(cell), esc(title), f"{bad} of {n}", f"{100 * bad / n:.0f}%"]
            for (cell, title), (bad, n) in order
        ]
        table = _table(
            ["cell", "check", "failed", "share"], rows, numeric={2, 3}, widths=(20, 56, 14, 10)
        )
        parts.append(
            f"<details><summary>{esc(nb.assignment)}/{esc(nb.name)}: {len(rows)} checks"
            f"</summary>{table}</details>"
        )
    return "".join(parts) or "<p>No hidden check ran.</p>"


def _attention(results: ClassResults) -> str:
    parts = []
    for kind in ISSUE_KINDS:
        flagged = results.flagged(kind)
        rows = [
            [esc(f.student), f"{esc(f.assignment)}/{esc(f.notebook)}", esc(f.detail)]
            for f in flagged
        ]
        head = ["student", "notebook", "what grading found"]
        table = _table(head, rows, widths=(18, 24, 58)) if rows else ""
        parts.append(
            f'<details id="{_slug(kind)}"><summary>{esc(kind)}: {len(rows)} submissions'
            f"</summary>{table}</details>"
        )
    for assignment, students in results.absent.items():
        parts.append(
            f"<details><summary>no submission of {esc(assignment)}: {len(students)} students"
            f'</summary><p class="who">{", ".join(esc(s) for s in students)}</p></details>'
        )
    return "".join(parts)


def write_report(results: ClassResults, out_dir: Path) -> Path:
    """Write the page, its figures and the CSV into `out_dir`; return the page's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    figures = out_dir / FIGURES
    figures.mkdir(exist_ok=True)
    for old in figures.glob("*.png"):  # figures of notebooks no longer reported on
        old.unlink()
    write_checks_csv(results, out_dir / CSV)
    assignments = ", ".join(dict.fromkeys(nb.assignment for nb in results.notebooks))
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    body = (
        f"<h1>Class report</h1><p>Course {esc(results.course_id)}, {esc(assignments)}: "
        f"{len(results.students)} students with a submission, made {esc(when)}. "
        f'Every check\'s result per student: <a href="{CSV}">{CSV}</a>.</p>'
        '<nav><a href="#overview">Overview</a><a href="#scores">Scores</a>'
        '<a href="#mistakes">Mistakes</a><a href="#checks">Checks</a>'
        '<a href="#attention">To look at</a></nav>'
        f'<h2 id="overview">Overview</h2>{_overview(results)}'
        f'<h2 id="scores">Score distributions</h2>{_scores(results, figures)}'
        f'<h2 id="mistakes">Named mistakes, most common first</h2>{_mistakes(results, figures)}'
        f'<h2 id="checks">Hidden checks, most failed first</h2>{_checks(results)}'
        f'<h2 id="attention">Submissions to look at</h2>{_attention(results)}'
    )
    page = out_dir / PAGE
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Class report: {esc(results.course_id)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n",
        encoding="utf-8",
    )
    return page
