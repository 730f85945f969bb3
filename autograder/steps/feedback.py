"""`StudentFeedback`: the feedback page a student reads, with a summary at the top.

Runs in `nbgrader generate_feedback`, after nbgrader's GetGrades has put each graded cell's
score from the gradebook into its metadata. It changes the feedback copy only (the autograded
notebook on disk keeps the plain report):
- the report under each graded cell becomes HTML that wraps, so every message is read without
  scrolling sideways, a failed check's message right under its title;
- cells grading had to stop (time limit, crash) get their reason shown the same way;
- a summary opens the page: every graded cell with its score and the name of each known
  mistake its checks found (or the titles of the checks that failed), linked to the cell, and
  any note on the submitted file.
Messages quote values and errors the student's code produced: every piece of text is escaped
here, and all HTML is built here, never taken from the notebook.
"""

from __future__ import annotations

import html

from nbformat.v4 import new_markdown_cell, new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.notebooks import is_graded_test, nbgrader_meta
from autograder.report.cells import STOPPED, GradedCell, graded_cell, intake_notes

SUMMARY_ID = "feedback-summary"
# MathJax typesets $...$ anywhere on the page; text from grading is never mathematics.
NO_MATH = "tex2jax_ignore mathjax_ignore"

CSS = """
.d2l-report, .d2l-summary { font-size: 14px; line-height: 1.45; }
.d2l-report ul.d2l-checks { list-style: none; padding-left: 0; margin: 0.2em 0; }
.d2l-report li { margin: 0.15em 0; }
.d2l-mark { display: inline-block; min-width: 3.4em; font-weight: bold; font-family: monospace; }
.d2l-pass .d2l-mark { color: #2b7a2b; }
.d2l-fail .d2l-mark, .d2l-problem strong { color: #b52a24; }
.d2l-report pre.d2l-message, .d2l-summary .d2l-wrap {
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: break-word; overflow-x: hidden;
}
.d2l-report pre.d2l-message {
  margin: 0.2em 0 0.5em 3.4em; padding: 0.35em 0.7em; font-size: 13px;
  background: #fdf3f2; border: none; border-left: 3px solid #b52a24; border-radius: 0;
}
.d2l-report .d2l-tally { margin: 0.3em 0 0 0; font-weight: bold; }
.d2l-summary { border: 1px solid #cfd8e3; background: #f6f9fc; padding: 0.8em 1em;
  margin: 0 0 1.5em 0; max-width: 100%; }
.d2l-summary h2 { font-size: 20px; margin: 0 0 0.5em 0; }
.d2l-summary table { width: 100%; table-layout: fixed; border-collapse: collapse; }
.d2l-summary th, .d2l-summary td { text-align: left; vertical-align: top; padding: 0.3em 0.5em;
  border-top: 1px solid #dde3ea; overflow-wrap: anywhere; }
.d2l-summary col.d2l-cell { width: 28%; } .d2l-summary col.d2l-score { width: 12%; }
.d2l-summary ul { margin: 0; padding-left: 1.2em; }
.d2l-summary .d2l-full { color: #2b7a2b; } .d2l-summary .d2l-lost { color: #b52a24; }
"""


def esc(text: object) -> str:
    """Text made safe as HTML element content (and inert for MathJax)."""
    return html.escape(str(text), quote=False).replace("$", "&#36;")


def attr(text: object) -> str:
    return html.escape(str(text), quote=True)


def points(value: object) -> str:
    try:
        return f"{float(value):.3g}"
    except (TypeError, ValueError):
        return "?"


def report_html(cell: GradedCell) -> str:
    """A graded cell's report as HTML that wraps."""
    parts = [f'<div class="d2l-report {NO_MATH}">']
    if cell.problem:
        parts.append(f'<p class="d2l-problem"><strong>Not graded:</strong> {esc(cell.problem)}</p>')
    if cell.checks:
        parts.append('<ul class="d2l-checks">')
        for check in cell.checks:
            kind, mark = ("d2l-pass", "PASS") if check.passed else ("d2l-fail", "FAIL")
            parts.append(
                f'<li class="{kind}"><span class="d2l-mark">{mark}</span> {esc(check.title)}'
            )
            if not check.passed and check.message:
                parts.append(f'<pre class="d2l-message">{esc(check.message)}</pre>')
            parts.append("</li>")
        parts.append("</ul>")
        parts.append(
            f'<p class="d2l-tally">Hidden checks passed: {cell.passed} of {len(cell.checks)}.</p>'
        )
    parts.append("</div>")
    return "".join(parts)


def stopped_html(anchor: str, reason: str) -> str:
    return (
        f'<div class="d2l-report {NO_MATH}" id="{attr(anchor)}">'
        f'<p class="d2l-problem"><strong>Stopped:</strong></p>'
        f'<pre class="d2l-message">{esc(reason)}</pre></div>'
    )


def findings_html(cell: GradedCell) -> str:
    """One line per known mistake (else per failed check) of a graded cell."""
    if cell.problem:
        return f'<span class="d2l-lost d2l-wrap">not graded: {esc(cell.problem)}</span>'
    if not cell.checks:
        return "no hidden checks ran"
    failed = [c for c in cell.checks if not c.passed]
    if not failed:
        return f'<span class="d2l-full">all {len(cell.checks)} checks passed</span>'
    lines = [f"looks like {m}" for m in cell.mistakes]
    if cell.crashed:
        lines.append("the kernel stopped while these checks ran your code (see the messages)")
    if cell.hit_time_limit:
        lines.append("your code did not finish within the time limit (see the messages)")
    lines += [f"failed: {c.title}" for c in failed if not c.mistake]
    items = "".join(f'<li class="d2l-wrap">{esc(line)}</li>' for line in lines)
    return f"{len(failed)} of {len(cell.checks)} checks failed<ul>{items}</ul>"


def summary_html(rows: list[tuple[str, str, str]], notes: list[tuple[str, str]]) -> str:
    """The summary table; `rows` are (grade_id, score text, findings HTML), `notes` are
    (text, anchor of the cell it is about, or "")."""
    parts = [f'<div class="d2l-summary {NO_MATH}" id="{SUMMARY_ID}"><h2>Summary</h2>']
    if notes:
        items = "".join(
            f'<li class="d2l-wrap">{esc(text)}'
            + (f' <a href="#{attr(anchor)}">(see the cell)</a>' if anchor else "")
            + "</li>"
            for text, anchor in notes
        )
        parts.append('<p class="d2l-lost"><strong>Notes on this submission:</strong></p>')
        parts.append(f'<ul class="d2l-notes">{items}</ul>')
    parts.append(
        '<table><colgroup><col class="d2l-cell"><col class="d2l-score"><col></colgroup>'
        "<thead><tr><th>Graded cell</th><th>Score</th><th>What grading found</th></tr></thead>"
        "<tbody>"
    )
    for grade_id, score, findings in rows:
        parts.append(
            f'<tr><td><a href="#{attr(grade_id)}">{esc(grade_id)}</a></td>'
            f"<td>{score}</td><td>{findings}</td></tr>"
        )
    parts.append("</tbody></table></div>")
    # One line: in a markdown cell a blank line would end the HTML block.
    return "".join(parts).replace("\n", " ")


def _score_text(cell) -> str:
    meta = nbgrader_meta(cell)
    score, top = meta.get("score"), meta.get("points")
    if score is None:
        return f"? / {points(top)}" if top is not None else "?"
    return f"{points(score)} / {points(top)}"


class StudentFeedback(NbGraderPreprocessor):
    """Readable reports under graded cells and a summary at the top of the feedback page."""

    def preprocess(self, nb, resources):
        rows: list[tuple[str, str, str]] = []
        found, _ = intake_notes(nb)
        notes = [(f"{n[0].upper()}{n[1:]}.", "") for n in found if n]
        stopped = 0
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if is_graded_test(cell):
                graded = graded_cell(cell)
                result = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
                report = new_output(
                    "display_data",
                    data={"text/html": report_html(graded), "text/plain": _plain(cell)},
                )
                cell.outputs = [report, *result]
                rows.append((graded.grade_id, _score_text(cell), findings_html(graded)))
            elif meta.get("grade") and cell.cell_type == "markdown":
                marked = meta.get("score") is not None
                rows.append(
                    (
                        str(meta.get("grade_id", "")),
                        _score_text(cell) if marked else f"- / {points(meta.get('points'))}",
                        "written answer, marked by hand"
                        if marked
                        else "written answer, to be marked by hand",
                    )
                )
            if cell.cell_type == "code":
                outputs = []
                for output in cell.outputs:
                    if output.get("output_type") == "error" and output.get("ename") == STOPPED:
                        stopped += 1
                        anchor = f"stopped-{stopped}"
                        reason = str(output.get("evalue", ""))
                        notes.append((reason, anchor))
                        output = new_output(
                            "display_data",
                            data={"text/html": stopped_html(anchor, reason), "text/plain": reason},
                        )
                    outputs.append(output)
                cell.outputs = outputs
        nb.cells.insert(0, new_markdown_cell(summary_html(rows, notes)))
        resources.setdefault("inlining", {}).setdefault("css", []).append(CSS)
        return nb, resources


def _plain(cell) -> str:
    return "".join(
        "".join(o.get("text", ""))
        for o in cell.outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
