"""Answers cross from the student's kernel as plain data, and nothing else gets through."""

import json
import math

import numpy as np
import pytest
import torch

from autograder.wire import kernel_side
from autograder.wire.plain import (
    StudentArray,
    StudentObject,
    StudentTensor,
    WireError,
    from_plain,
    read_envelope,
)


def roundtrip(value):
    return from_plain(json.loads(json.dumps(kernel_side.encode(value))))


def test_a_float32_tensor_arrives_with_its_exact_values_dtype_and_shape():
    x = torch.randn(3, 2, generator=torch.Generator().manual_seed(0))
    got = roundtrip(x)
    assert isinstance(got, StudentTensor)
    assert (got.dtype, got.shape, got.device) == ("torch.float32", (3, 2), "cpu")
    torch.testing.assert_close(got.values, x.double(), rtol=0, atol=0)


def test_nan_and_infinities_survive_the_json_boundary():
    got = roundtrip(torch.tensor([math.nan, math.inf, -math.inf, 1.5]))
    assert math.isnan(got.values[0]) and got.values[1] == math.inf and got.values[2] == -math.inf


def test_containers_keep_their_kind_and_numbers_their_type():
    got = roundtrip({"lambd": 0.1, "n": 3, "flag": True, "items": [1.0, (2, None)], "s": "x"})
    assert got == {"lambd": 0.1, "n": 3, "flag": True, "items": [1.0, (2, None)], "s": "x"}


def test_subclasses_of_builtin_and_tensor_types_are_reported_as_objects():
    class LyingFloat(float):
        def __eq__(self, other):
            return True

    class ShadyTensor(torch.Tensor):
        pass

    assert isinstance(roundtrip(LyingFloat(1.0)), StudentObject)
    shady = roundtrip(torch.zeros(2).as_subclass(ShadyTensor))
    assert isinstance(shady, StudentObject) and "ShadyTensor" in shady.type_name


def test_meta_tensors_are_described_not_unpacked():
    meta = roundtrip(torch.empty(2, device="meta"))
    assert meta.device == "meta" and meta.values is None


@pytest.mark.parametrize(
    ("value", "type_name", "dtype"),
    [
        (np.float64(0.1), "numpy.float64", "float64"),
        (np.float32(0.25), "numpy.float32", "float32"),
        (np.int64(7), "numpy.int64", "int64"),
        (np.array(2.5), "numpy.ndarray", "float64"),
        (np.arange(6, dtype=np.int32).reshape(2, 3), "numpy.ndarray", "int32"),
    ],
)
def test_numpy_scalars_and_arrays_arrive_with_their_exact_type_and_values(value, type_name, dtype):
    got = roundtrip(value)
    assert isinstance(got, StudentArray)
    assert (got.type_name, got.dtype, got.shape) == (type_name, dtype, np.shape(value))
    assert got.values.tolist() == np.asarray(value).tolist()


def test_subclasses_of_numpy_types_are_reported_as_objects():
    class ShadyArray(np.ndarray):
        pass

    class ShadyFloat(np.float64):
        pass

    assert isinstance(roundtrip(np.zeros(2).view(ShadyArray)), StudentObject)
    assert isinstance(roundtrip(ShadyFloat(1.0)), StudentObject)


@pytest.mark.parametrize(
    "forged",
    [
        {"t": "numpy", "type": "numpy.float64", "dtype": "float64", "shape": [2], "data": [1, 2]},
        {"t": "numpy", "type": "numpy.float64", "dtype": "int64", "shape": [], "data": [1]},
        {"t": "numpy", "type": "numpy.ndarray", "dtype": "object", "shape": [], "data": [1]},
        {"t": "numpy", "type": "numpy.int64", "dtype": "int64", "shape": [], "data": [1.5]},
        {"t": "numpy", "type": "numpy.ndarray", "dtype": "float64", "shape": [2], "data": [1.0]},
    ],
)
def test_a_forged_numpy_answer_is_rejected(forged):
    with pytest.raises(WireError):
        from_plain(forged)


def test_arguments_read_back_carry_their_grad_flag_and_memory_sharing():
    def fills_grad(w):
        (w**2).sum().backward()
        return w

    request = {
        "op": "call",
        "name": "fills_grad",
        "args": kernel_side.encode([torch.ones(2, requires_grad=True)]),
        "kwargs": kernel_side.encode({}),
        "return_args": True,
    }
    envelope = read_envelope(kernel_side.handle({"fills_grad": fills_grad}, json.dumps(request)))
    (w_after,) = from_plain(envelope["args_after"])
    assert w_after.requires_grad and w_after.shares_result
    torch.testing.assert_close(w_after.grad.values, torch.full((2,), 2.0, dtype=torch.float64))


def test_a_forged_grad_that_is_not_a_tensor_is_rejected():
    forged = {"t": "tensor", "dtype": "torch.float32", "shape": [], "device": "cpu", "data": [1.0]}
    with pytest.raises(WireError, match="not a tensor"):
        from_plain({**forged, "grad": {"t": "float", "v": 1.0}})
    with pytest.raises(WireError, match="flags"):
        from_plain({**forged, "requires_grad": "yes"})


def test_inputs_are_rebuilt_into_real_tensors_in_the_kernel():
    x = torch.arange(6.0).reshape(2, 3).requires_grad_()
    rebuilt = kernel_side.decode(json.loads(json.dumps(kernel_side.encode({"X": x}))))["X"]
    assert rebuilt.requires_grad and torch.equal(rebuilt.detach(), x.detach())


@pytest.mark.parametrize(
    "forged",
    [
        {"t": "tensor", "dtype": "torch.float32", "shape": [2], "device": "cpu", "data": [1.0]},
        {"t": "tensor", "dtype": "torch.int64", "shape": [1], "device": "cpu", "data": [1.5]},
        {"t": "float", "v": "1e3"},
        {"t": "int", "v": True},
        {"t": "dict", "v": [[1, {"t": "none"}]]},
        {"t": "eval", "v": "__import__('os')"},
        [],
    ],
)
def test_a_forged_answer_is_rejected(forged):
    with pytest.raises(WireError):
        from_plain(forged)


def test_an_envelope_that_is_not_json_is_rejected():
    with pytest.raises(WireError, match="not valid JSON"):
        read_envelope("{'status': 'ok'")
