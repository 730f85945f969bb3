"""Static plots: the book's `plot` helper and a loss-curve plot built from a History."""

import numpy as np
import torch

__all__ = ["plot", "plot_history", "set_axes", "set_figsize", "use_svg_display"]


def use_svg_display():
    """Ask a Jupyter kernel's inline backend for SVG figures; does nothing elsewhere.

    Returns True if the format was changed. Nothing in the kit calls this implicitly.
    """
    try:
        from matplotlib_inline import backend_inline
    except ImportError:
        return False
    backend_inline.set_matplotlib_formats("svg")
    return True


def set_figsize(figsize=(3.5, 2.5)):
    """Set the default size of new pyplot figures."""
    import matplotlib.pyplot as plt

    plt.rcParams["figure.figsize"] = figsize


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Apply labels, limits, scales and an optional legend to `axes`."""
    axes.set_xlabel(xlabel or "")
    axes.set_ylabel(ylabel or "")
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    if xlim is not None:
        axes.set_xlim(xlim)
    if ylim is not None:
        axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_array(values):
    # matplotlib cannot take tensors that require grad; detach them first.
    if isinstance(values, torch.Tensor):
        return values.detach().cpu().numpy()
    return values


def _is_single_series(values):
    if hasattr(values, "ndim"):
        return values.ndim == 1
    return isinstance(values, list | tuple) and (
        len(values) == 0 or not hasattr(values[0], "__len__")
    )


def plot(
    X,
    Y=None,
    xlabel=None,
    ylabel=None,
    legend=None,
    xlim=None,
    ylim=None,
    xscale="linear",
    yscale="linear",
    fmts=("-", "m--", "g-.", "r:"),
    figsize=(3.5, 2.5),
    axes=None,
):
    """Plot one or several series on `axes` (the current pyplot axes by default).

    `X` alone is plotted against its index; `X` and `Y` give x and y values. Either may be a
    single series or a list of series; a single x series is shared by every y series.
    Returns None, like the book's helper, so a notebook cell ending with it shows only the plot.
    """
    if _is_single_series(X):
        X = [X]
    if Y is None:
        X, Y = [None] * len(X), X
    elif _is_single_series(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = list(X) * len(Y)
    if axes is None:
        import matplotlib.pyplot as plt

        set_figsize(figsize)
        axes = plt.gca()
    axes.cla()
    fmts = list(fmts) * (len(Y) // len(fmts) + 1)
    for x, y, fmt in zip(X, Y, fmts[: len(Y)], strict=True):
        if x is None or len(x) == 0:
            axes.plot(_as_array(y), fmt)
        else:
            axes.plot(_as_array(x), _as_array(y), fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def plot_history(history, ax=None, yscale="linear"):
    """Training and validation loss per epoch, from a History (or a mapping of that shape).

    Draws on `ax` if given, else on a new figure that is not registered with pyplot (so it is
    displayed once when returned in a notebook and never leaks). Returns the Figure.
    """
    train = list(history.get("train_loss", []))
    val = list(history.get("val_loss", []))
    if not train and not val:
        raise ValueError(
            "plot_history: the history has no train_loss or val_loss; fit a model first "
            "(trainer.fit(model, data)) and pass trainer.history"
        )
    if ax is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(3.5, 2.5))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
    for values, label, style in ((train, "train_loss", "-"), (val, "val_loss", "--")):
        if values:
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, style, marker="o", markersize=3, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yscale(yscale)
    ax.legend()
    ax.figure.tight_layout()
    return ax.figure
