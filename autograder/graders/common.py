"""Helpers shared by the hidden graders (not a grader: the runner collects one notebook's file).

The rule they serve: a check that is not about the value (side effects, purity, types) counts
only for a right value, so each such check first checks the value it accompanies.
"""

from autograder.judging.checks import CheckFailed, Mistake


def checked(check, got, expected, *, what, mistakes, **kwargs):
    """Run `check` (expect.tensor or expect.number); if it fails, run it again with the known
    mistakes, computed only now, so the message can name the one the answer matches.
    `mistakes` is a callable returning (name, value) pairs."""
    try:
        return check(got, expected, what=what, **kwargs)
    except CheckFailed:
        check(got, expected, what=what, mistakes=[Mistake(n, v) for n, v in mistakes()], **kwargs)
        raise


def prefixed(prefix: str, check, *args, **kwargs):
    """Run a check; if it fails, say first what the failure is a condition of."""
    try:
        return check(*args, **kwargs)
    except CheckFailed as exc:
        raise CheckFailed(f"{prefix} {exc}") from None


# What a plotting function's figure shows, read in the student's kernel as plain data: the
# axes' labels, scales, legends and lines (the grader judges them; the figure is then closed).
_FIGURE_PROBE = """
from matplotlib.axes import Axes
from matplotlib.figure import Figure

out = CALL
fig = out.figure if isinstance(out, Axes) else out
result = {"type": type(out).__module__ + "." + type(out).__qualname__,
          "is_figure": isinstance(out, Figure), "axes": [], "figure_legends": []}
if isinstance(fig, Figure):
    for ax in fig.get_axes():
        legend = ax.get_legend()
        result["axes"].append({
            "xlabel": str(ax.get_xlabel()), "ylabel": str(ax.get_ylabel()),
            "xscale": str(ax.get_xscale()), "yscale": str(ax.get_yscale()),
            "legend": None if legend is None else [str(t.get_text()) for t in legend.get_texts()],
            "lines": [{"x": [float(v) for v in line.get_xdata()],
                       "y": [float(v) for v in line.get_ydata()]} for line in ax.get_lines()],
        })
    result["figure_legends"] = [[str(t.get_text()) for t in g.get_texts()] for g in fig.legends]
    import matplotlib.pyplot as plt
    plt.close(fig)
"""


def figure_probe(call: str) -> str:
    """The probe that runs `call` (which returns a Figure or Axes) and reports its figure."""
    return _FIGURE_PROBE.replace("CALL", call)
