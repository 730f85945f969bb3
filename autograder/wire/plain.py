"""Strict reading of the answers that come back from a student's kernel.

An answer is untrusted JSON (see kernel_side). It is parsed here, in the grader's own process,
into plain values: Python numbers, strings, lists, dicts, `StudentTensor` (a fresh float64 or
int64 torch tensor plus the dtype, shape and device the student's tensor had), `StudentArray`
(the same for a numpy array or numpy scalar, with its exact numpy type) and `StudentObject`
(anything else, by type name only). Whatever the student's objects did in
their own kernel, nothing of theirs runs here.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import torch

MAX_ANSWER_BYTES = 64 * 1024 * 1024
_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


TORCH_FLOAT_DTYPES = frozenset(
    {"torch.float16", "torch.bfloat16", "torch.float32", "torch.float64"}
)

# numpy's exact scalar types, each with the only dtype it can hold. A value of any other type
# (a subclass of one of these included) arrives as a StudentObject.
NUMPY_SCALARS = {
    f"numpy.{name}": name
    for name in (
        "float16",
        "float32",
        "float64",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "bool",
    )
}
NUMPY_SCALARS["numpy.bool_"] = "bool"  # numpy 1's name of its boolean scalar
NUMPY_ARRAY = "numpy.ndarray"
_NUMPY_DTYPES = frozenset(NUMPY_SCALARS.values())


class WireError(ValueError):
    """An answer that does not have the shape of an encoded value."""


@dataclass(frozen=True)
class StudentTensor:
    """A tensor a student's code returned, rebuilt from plain data."""

    values: torch.Tensor | None  # float64 (or int64) copy; None for a non-CPU tensor
    dtype: str
    shape: tuple[int, ...]
    device: str
    requires_grad: bool
    type_name: str = "torch.Tensor"
    # Only for arguments read back after a call (`Student.call(..., return_args=True)`):
    # the tensor's .grad at that moment, and whether the call's result shares its memory.
    grad: StudentTensor | None = None
    shares_result: bool = False

    def describe(self) -> str:
        return f"a tensor of shape {tuple(self.shape)} and dtype {self.dtype}"


@dataclass(frozen=True)
class StudentArray:
    """A numpy array or numpy scalar a student's code returned, rebuilt from plain data."""

    values: torch.Tensor  # float64, int64 or bool copy
    dtype: str  # numpy's name: "float64", "int32", ...
    shape: tuple[int, ...]
    type_name: str  # "numpy.ndarray" or the exact scalar type, e.g. "numpy.float64"

    @property
    def is_scalar(self) -> bool:
        return self.type_name != NUMPY_ARRAY

    def describe(self) -> str:
        if self.is_scalar:
            return f"a {self.type_name} scalar"
        return f"a numpy array of shape {tuple(self.shape)} and dtype {self.dtype}"


@dataclass(frozen=True)
class StudentObject:
    """Any other object: only its type name and a short repr made in the student's kernel."""

    type_name: str
    summary: str

    def describe(self) -> str:
        return f"an object of type {self.type_name}"


def _number(value: Any) -> float:
    if isinstance(value, str) and value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WireError(f"expected a number, found {type(value).__name__}")
    return float(value)


def _shape(data: dict[str, Any], kind: str) -> list[int]:
    shape = data.get("shape")
    if not isinstance(shape, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise WireError(f"{kind} shape is not a list of sizes")
    return shape


def _values(raw: Any, shape: list[int], kind: str, number_kind: str) -> torch.Tensor:
    """The elements of a tensor or array as a fresh torch tensor: `number_kind` is "float"
    (float64), "int" (int64) or "bool"; every element must be of that kind."""
    if not isinstance(raw, list) or len(raw) != math.prod(shape):
        raise WireError(f"{kind} data does not match its shape")
    if number_kind == "float":
        return torch.tensor([_number(v) for v in raw], dtype=torch.float64).reshape(shape)
    if number_kind == "bool":
        if not all(isinstance(v, bool) for v in raw):
            raise WireError(f"boolean {kind} holds non-booleans")
        return torch.tensor(raw, dtype=torch.bool).reshape(shape)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
        raise WireError(f"integer {kind} holds non-integers")
    return torch.tensor(raw, dtype=torch.int64).reshape(shape)


def _tensor(data: dict[str, Any], depth: int) -> StudentTensor:
    shape = _shape(data, "tensor")
    dtype, device = data.get("dtype"), data.get("device")
    if not isinstance(dtype, str) or not isinstance(device, str):
        raise WireError("tensor dtype or device missing")
    values = None
    raw = data.get("data")
    if raw is not None:
        number_kind = "float" if dtype in TORCH_FLOAT_DTYPES else "int"
        # Booleans travel as 0 and 1, like every other non-float tensor.
        values = _values(raw, shape, "tensor", number_kind)
    requires_grad = data.get("requires_grad", False)
    shares = data.get("shares_result", False)
    if not isinstance(requires_grad, bool) or not isinstance(shares, bool):
        raise WireError("tensor flags are not booleans")
    grad = None
    if data.get("grad") is not None:
        grad = from_plain(data["grad"], depth + 1)
        if not isinstance(grad, StudentTensor):
            raise WireError("a tensor's .grad is not a tensor")
    type_name = data.get("type", "torch.Tensor")
    return StudentTensor(
        values=values,
        dtype=dtype,
        shape=tuple(shape),
        device=device,
        requires_grad=requires_grad,
        type_name=str(type_name),
        grad=grad,
        shares_result=shares,
    )


def _array(data: dict[str, Any]) -> StudentArray:
    type_name, dtype = data.get("type"), data.get("dtype")
    shape = _shape(data, "array")
    if dtype not in _NUMPY_DTYPES:
        raise WireError(f"numpy value of unknown dtype {str(dtype)[:40]!r}")
    if type_name != NUMPY_ARRAY and (NUMPY_SCALARS.get(type_name) != dtype or shape):
        raise WireError("numpy scalar whose type, dtype or shape do not agree")
    number_kind = {"f": "float", "b": "bool"}.get(dtype[0], "int")
    values = _values(data.get("data"), shape, "array", number_kind)
    return StudentArray(values=values, dtype=dtype, shape=tuple(shape), type_name=type_name)


def from_plain(data: Any, depth: int = 0) -> Any:
    """Rebuild one encoded value, checking every tag and field."""
    if depth > 10:
        raise WireError("value nested too deeply")
    if not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise WireError("value without a type tag")
    tag = data["t"]
    if tag == "none":
        return None
    if tag == "bool":
        if not isinstance(data.get("v"), bool):
            raise WireError("bool without a boolean")
        return data["v"]
    if tag == "int":
        value = data.get("v")
        if isinstance(value, bool) or not isinstance(value, int):
            raise WireError("int without an integer")
        return value
    if tag == "float":
        return _number(data.get("v"))
    if tag == "str":
        if not isinstance(data.get("v"), str):
            raise WireError("str without text")
        return data["v"]
    if tag in ("list", "tuple"):
        items = data.get("v")
        if not isinstance(items, list):
            raise WireError(f"{tag} without items")
        values = [from_plain(item, depth + 1) for item in items]
        return values if tag == "list" else tuple(values)
    if tag == "dict":
        items = data.get("v")
        if not isinstance(items, list):
            raise WireError("dict without items")
        out = {}
        for pair in items:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise WireError("dict item is not a (key, value) pair")
            out[pair[0]] = from_plain(pair[1], depth + 1)
        return out
    if tag == "tensor":
        return _tensor(data, depth)
    if tag == "numpy":
        return _array(data)
    if tag == "object":
        return StudentObject(str(data.get("type", "?"))[:200], str(data.get("repr", ""))[:2000])
    raise WireError(f"unknown type tag {tag!r}")


def read_envelope(text: str | bytes) -> dict[str, Any]:
    """Parse the kernel's reply envelope; the result inside is still encoded."""
    if len(text) > MAX_ANSWER_BYTES:
        raise WireError("the answer is too large to grade")
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"the answer is not valid JSON ({exc})") from None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("status"), str):
        raise WireError("the answer has no status")
    return envelope
