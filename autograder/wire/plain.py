"""Strict reading of the answers that come back from a student's kernel.

An answer is untrusted JSON (see kernel_side). It is parsed here, in the grader's own process,
into plain values: Python numbers, strings, lists, dicts, `StudentTensor` (a fresh float64 or
int64 torch tensor plus the dtype, shape and device the student's tensor had) and
`StudentObject` (anything else, by type name only). Whatever the student's objects did in
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

    def describe(self) -> str:
        return f"a tensor of shape {tuple(self.shape)} and dtype {self.dtype}"


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


def _tensor(data: dict[str, Any]) -> StudentTensor:
    shape = data.get("shape")
    if not isinstance(shape, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise WireError("tensor shape is not a list of sizes")
    dtype, device = data.get("dtype"), data.get("device")
    if not isinstance(dtype, str) or not isinstance(device, str):
        raise WireError("tensor dtype or device missing")
    values = None
    raw = data.get("data")
    if raw is not None:
        if not isinstance(raw, list) or len(raw) != math.prod(shape):
            raise WireError("tensor data does not match its shape")
        floating = dtype in {"torch.float16", "torch.bfloat16", "torch.float32", "torch.float64"}
        if floating:
            values = torch.tensor([_number(v) for v in raw], dtype=torch.float64)
        else:
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
                raise WireError("integer tensor holds non-integers")
            values = torch.tensor(raw, dtype=torch.int64)
        values = values.reshape(shape)
    type_name = data.get("type", "torch.Tensor")
    return StudentTensor(
        values=values,
        dtype=dtype,
        shape=tuple(shape),
        device=device,
        requires_grad=bool(data.get("requires_grad", False)),
        type_name=str(type_name),
    )


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
        return _tensor(data)
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
