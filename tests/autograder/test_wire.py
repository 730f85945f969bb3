"""Answers cross from the student's kernel as plain data, and nothing else gets through."""

import json
import math

import numpy as np
import pytest
import torch

from autograder.wire import kernel_side
from autograder.wire.plain import StudentObject, StudentTensor, WireError, from_plain, read_envelope


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


def test_numpy_arrays_and_meta_tensors_are_described_not_unpacked():
    assert roundtrip(np.zeros(3)).type_name == "numpy.ndarray"
    meta = roundtrip(torch.empty(2, device="meta"))
    assert meta.device == "meta" and meta.values is None


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
