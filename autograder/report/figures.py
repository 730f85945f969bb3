"""The class report's figures, drawn headless (Agg) into PNG files.

Histograms, never a bar per student, so that a figure reads the same for 3 students or 300.
Figures are built as `matplotlib.figure.Figure` objects, without pyplot's global figure list.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from autograder.report.model import Distribution, MistakeCount

BINS = 10
PER_ROW = 4
DPI = 100
BAR = "#4c72b0"


def plain(text: str) -> str:
    """Text drawn as it is: matplotlib reads a pair of dollar signs as mathematics."""
    return text.replace("$", r"\$")


def _histogram(ax, dist: Distribution) -> None:
    top = dist.max_score if dist.max_score > 0 else 1.0
    edges = np.linspace(0.0, top, BINS + 1)
    scores = np.clip(np.asarray(dist.scores, dtype=float), 0.0, top)
    ax.hist(scores, bins=edges, color=BAR, edgecolor="white")
    ax.set_xlim(0.0, top)
    ax.set_xlabel(f"points (of {top:g})")
    ax.set_ylabel("students")
    title = f"{plain(dist.label)}\n{len(dist.scores)} graded"
    if dist.mean is not None:
        title += f", mean {dist.mean:.2g}"
    if dist.pending:
        title += f", {dist.pending} to mark"
    ax.set_title(title, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)


def score_figure(title: str, dists: list[Distribution], path: Path) -> Path:
    """One small histogram per distribution, `PER_ROW` to a row."""
    rows = -(-len(dists) // PER_ROW)
    cols = min(len(dists), PER_ROW)
    fig = Figure(figsize=(3.0 * cols, 2.6 * rows + 0.4), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, dist in zip(axes.flat, dists, strict=False):
        _histogram(ax, dist)
    for ax in list(axes.flat)[len(dists) :]:
        ax.set_visible(False)
    fig.suptitle(plain(title), fontsize=11)
    fig.savefig(path, dpi=DPI)
    return path


def mistakes_figure(mistakes: list[MistakeCount], students: int, path: Path, top: int) -> Path:
    """The `top` most widespread named mistakes, as the share of students who made them."""
    shown = mistakes[:top]
    fig = Figure(figsize=(9.0, 0.45 * len(shown) + 1.2), layout="constrained")
    ax = fig.subplots()
    labels = [
        plain(textwrap.shorten(f"{m.notebook}/{m.grade_id}: {m.mistake}", 70, placeholder="..."))
        for m in shown
    ]
    counts = [len(m.students) for m in shown]
    positions = np.arange(len(shown))[::-1]
    ax.barh(positions, counts, color=BAR)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.set_xlabel(f"students (of {students})")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for y, count in zip(positions, counts, strict=True):
        ax.annotate(
            f" {count} ({100 * count / max(students, 1):.0f}%)",
            (count, y),
            va="center",
            fontsize=8,
        )
    ax.set_xlim(0, max(counts, default=1) * 1.2)
    ax.set_title("Most common named mistakes", fontsize=11)
    fig.savefig(path, dpi=DPI)
    return path
