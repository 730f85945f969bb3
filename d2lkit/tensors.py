"""Framework-neutral tensor names that chapter 3's code calls through `d2l.`.

The book writes `d2l.reshape(x, shape)` rather than `x.reshape(shape)` so one text serves several
frameworks; these are the PyTorch meanings.
"""

import torch

__all__ = [
    "abs",
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
    "linspace",
    "log",
    "matmul",
    "meshgrid",
    "normal",
    "num_gpus",
    "numpy",
    "ones",
    "rand",
    "randn",
    "reduce_mean",
    "reduce_sum",
    "repeat",
    "reshape",
    "sigmoid",
    "sin",
    "sinh",
    "size",
    "stack",
    "swapaxes",
    "tanh",
    "tensor",
    "to",
    "transpose",
    "zeros",
]

ones = torch.ones
zeros = torch.zeros
tensor = torch.tensor
arange = torch.arange
meshgrid = torch.meshgrid
sin = torch.sin
sinh = torch.sinh
cos = torch.cos
cosh = torch.cosh
tanh = torch.tanh
linspace = torch.linspace
exp = torch.exp
log = torch.log
normal = torch.normal
rand = torch.rand
randn = torch.randn
matmul = torch.matmul
int32 = torch.int32
int64 = torch.int64
float32 = torch.float32
concat = torch.cat
stack = torch.stack
abs = torch.abs
eye = torch.eye
sigmoid = torch.sigmoid
batch_matmul = torch.bmm


def numpy(x, *args, **kwargs):
    """Tensor to NumPy array, detached first so tensors that require grad work too."""
    return x.detach().numpy(*args, **kwargs)


def size(x, *args, **kwargs):
    """Number of elements."""
    return x.numel(*args, **kwargs)


def reshape(x, *args, **kwargs):
    return x.reshape(*args, **kwargs)


def to(x, *args, **kwargs):
    return x.to(*args, **kwargs)


def reduce_sum(x, *args, **kwargs):
    return x.sum(*args, **kwargs)


def argmax(x, *args, **kwargs):
    return x.argmax(*args, **kwargs)


def astype(x, *args, **kwargs):
    return x.type(*args, **kwargs)


def transpose(x, *args, **kwargs):
    # The book's alias is the 2-D transpose, not torch.transpose(dim0, dim1).
    return x.t(*args, **kwargs)


def reduce_mean(x, *args, **kwargs):
    return x.mean(*args, **kwargs)


def expand_dims(x, *args, **kwargs):
    return x.unsqueeze(*args, **kwargs)


def swapaxes(x, *args, **kwargs):
    return x.swapaxes(*args, **kwargs)


def repeat(x, *args, **kwargs):
    return x.repeat(*args, **kwargs)


def cpu():
    """The CPU device (the course runs on CPU only)."""
    return torch.device("cpu")


def gpu(i=0):
    """The i-th CUDA device."""
    return torch.device(f"cuda:{i}")


def num_gpus():
    """How many CUDA devices are visible."""
    return torch.cuda.device_count()
