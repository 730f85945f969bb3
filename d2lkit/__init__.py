"""d2lkit: the course's implementation of the `d2l` package for D2L chapter 3 (PyTorch).

`import d2lkit as d2l` runs the book's chapter 3 code unchanged. Importing the kit has no side
effects: no seeding, no plotting, no matplotlib backend chosen.
"""

from d2lkit.board import ProgressBoard
from d2lkit.data import DataModule
from d2lkit.history import History
from d2lkit.hyperparameters import HyperParameters, add_to_class
from d2lkit.linear import LinearRegression, LinearRegressionScratch
from d2lkit.losses import align_target, mse_loss, squared_loss
from d2lkit.module import Module
from d2lkit.optim import SGD
from d2lkit.plotting import plot, plot_history, set_axes, set_figsize, use_svg_display
from d2lkit.synthetic import Data, OutlierRegressionData, SyntheticRegressionData, WeightDecayData
from d2lkit.tensors import (
    abs,
    arange,
    argmax,
    astype,
    batch_matmul,
    concat,
    cos,
    cosh,
    cpu,
    exp,
    expand_dims,
    eye,
    float32,
    gpu,
    int32,
    int64,
    linspace,
    log,
    matmul,
    meshgrid,
    normal,
    num_gpus,
    numpy,
    ones,
    rand,
    randn,
    reduce_mean,
    reduce_sum,
    repeat,
    reshape,
    sigmoid,
    sin,
    sinh,
    size,
    stack,
    swapaxes,
    tanh,
    tensor,
    to,
    transpose,
    zeros,
)
from d2lkit.timer import Timer
from d2lkit.trainer import Trainer
from d2lkit.weight_decay import WeightDecay, WeightDecayScratch, l2_penalty

__version__ = "0.1.0"

__all__ = [
    "SGD",
    "Data",
    "DataModule",
    "History",
    "HyperParameters",
    "LinearRegression",
    "LinearRegressionScratch",
    "Module",
    "OutlierRegressionData",
    "ProgressBoard",
    "SyntheticRegressionData",
    "Timer",
    "Trainer",
    "WeightDecay",
    "WeightDecayData",
    "WeightDecayScratch",
    "abs",
    "add_to_class",
    "align_target",
    "arange",
    "argmax",
    "astype",
    "batch_matmul",
    "concat",
    "cos",
    "cosh",
    "cpu",
    "exp",
    "expand_dims",
    "eye",
    "float32",
    "gpu",
    "int32",
    "int64",
    "l2_penalty",
    "linspace",
    "log",
    "matmul",
    "meshgrid",
    "mse_loss",
    "normal",
    "num_gpus",
    "numpy",
    "ones",
    "plot",
    "plot_history",
    "rand",
    "randn",
    "reduce_mean",
    "reduce_sum",
    "repeat",
    "reshape",
    "set_axes",
    "set_figsize",
    "sigmoid",
    "sin",
    "sinh",
    "size",
    "squared_loss",
    "stack",
    "swapaxes",
    "tanh",
    "tensor",
    "to",
    "transpose",
    "use_svg_display",
    "zeros",
]


def __getattr__(name):
    # `d2l.plt` is used by book code; pyplot is imported only when first asked for, so that
    # importing the kit never selects a matplotlib backend.
    if name == "plt":
        import matplotlib.pyplot as plt

        return plt
    raise AttributeError(f"module 'd2lkit' has no attribute {name!r}")
