"""The small piece of grading code that runs inside a student's kernel.

The hidden graders live in another process. To ask a student's code a question they send a
request (a function to call, or a short probe to run, with plain inputs); this module answers
it with a JSON envelope of plain data: numbers, strings, lists, dicts and tensors flattened to
lists. Nothing here is trusted: a student's code can patch it, so the grader re-checks every
envelope it receives (autograder.wire.plain) and compares only the plain data. It reports
facts (values, flags, types), never verdicts: whether an answer is right, or changed its
inputs, is decided by the grader from these facts.

This file must stay self-contained (json, math, sys, builtins and torch only): its source text
is sent to the kernel, which cannot import the autograder package. numpy is used only when the
student's code has imported it already (torch does).
"""

import json
import math
import sys

MAX_DEPTH = 8
MAX_ITEMS = 100_000
MAX_TENSOR_NUMEL = 4_000_000
MAX_TEXT = 2_000


def _type_name(obj):
    cls = type(obj)
    module = getattr(cls, "__module__", "") or ""
    name = getattr(cls, "__qualname__", cls.__name__)
    return name if module == "builtins" else f"{module}.{name}"


def _short_repr(obj):
    try:
        text = repr(obj)
    except BaseException as exc:  # a student's __repr__ may raise anything
        text = f"<unprintable {_type_name(obj)}: {type(exc).__name__}>"
    if not isinstance(text, str):
        text = f"<{_type_name(obj)}>"
    return text[:MAX_TEXT]


def _encode_float(value):
    # JSON has no NaN or infinity; spell them out so the grader can name them.
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _numpy_type(obj):
    """numpy, when `obj` is exactly a numpy array or numpy scalar (no subclass); else None."""
    np = sys.modules.get("numpy")
    if np is None:
        return None
    kind = type(obj)
    if kind is np.ndarray:
        return np
    exact = (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64)
    exact += (np.uint8, np.uint16, np.uint32, np.uint64, np.bool_)
    return np if any(kind is t for t in exact) else None


def _encode_numpy(obj, np):
    array = np.asarray(obj)
    if array.size > MAX_TENSOR_NUMEL:
        raise ValueError(f"array with {array.size} elements is too large to grade")
    flat = array.reshape(-1).tolist()
    kind = array.dtype.kind
    if kind == "f":
        data = [_encode_float(float(v)) for v in flat]
    elif kind in "iu":
        data = [int(v) for v in flat]
    elif kind == "b":
        data = [bool(v) for v in flat]
    else:  # complex, strings, objects: the grader names the dtype
        return {"t": "object", "type": _type_name(obj), "repr": _short_repr(obj)}
    return {
        "t": "numpy",
        "type": _type_name(obj),
        "dtype": str(array.dtype),
        "shape": list(array.shape),
        "data": data,
    }


def _encode_tensor(tensor, torch, state=False):
    info = {
        "t": "tensor",
        "type": _type_name(tensor),
        "dtype": str(tensor.dtype),
        "shape": list(tensor.shape),
        "device": str(tensor.device),
        "requires_grad": bool(tensor.requires_grad),
    }
    if state and tensor.is_leaf:
        # An argument read back after a call: its .grad too, to see whether the call filled,
        # changed or cleared it. (Only leaves hold a .grad.)
        grad = tensor.grad
        info["grad"] = None if grad is None else _encode_tensor(grad, torch)
    if tensor.device.type != "cpu":
        info["data"] = None  # a meta or accelerator tensor: the grader reports the device
        return info
    if tensor.numel() > MAX_TENSOR_NUMEL:
        raise ValueError(f"tensor with {tensor.numel()} elements is too large to grade")
    flat = tensor.detach().reshape(-1)
    if tensor.is_complex():
        info["data"] = None
    elif tensor.is_floating_point():
        info["data"] = [_encode_float(v) for v in flat.to(torch.float64).tolist()]
    else:
        info["data"] = [int(v) for v in flat.to(torch.int64).tolist()]
    return info


def encode(obj, depth=0, state=False):
    """Turn a value into plain JSON data, recording exact types so none can be faked by
    subclassing: only the exact built-in, tensor and numpy types are unpacked. With `state`,
    tensors also carry their .grad."""
    import torch

    if depth > MAX_DEPTH:
        raise ValueError("value is nested too deeply to grade")
    kind = type(obj)
    if obj is None:
        return {"t": "none"}
    if kind is bool:
        return {"t": "bool", "v": obj}
    if kind is int:
        return {"t": "int", "v": obj}
    if kind is float:
        return {"t": "float", "v": _encode_float(obj)}
    if kind is str:
        return {"t": "str", "v": obj[:MAX_TEXT]}
    if kind in (list, tuple):
        if len(obj) > MAX_ITEMS:
            raise ValueError(f"{kind.__name__} of {len(obj)} items is too long to grade")
        return {"t": kind.__name__, "v": [encode(item, depth + 1, state) for item in obj]}
    if kind is dict:
        if len(obj) > MAX_ITEMS:
            raise ValueError(f"dict of {len(obj)} items is too long to grade")
        items = []
        for key, value in obj.items():
            if type(key) is not str:
                return {"t": "object", "type": "dict", "repr": "dict with non-string keys"}
            items.append([key, encode(value, depth + 1, state)])
        return {"t": "dict", "v": items}
    if kind is torch.Tensor or kind is torch.nn.Parameter:
        return _encode_tensor(obj, torch, state)
    if kind is torch.Size:
        return {"t": "tuple", "v": [{"t": "int", "v": int(d)} for d in obj]}
    np = _numpy_type(obj)
    if np is not None:
        return _encode_numpy(obj, np)
    return {"t": "object", "type": _type_name(obj), "repr": _short_repr(obj)}


def _decode_float(value):
    return float(value)  # also turns the spelled-out "nan", "inf" and "-inf" back


def decode(data):
    """Rebuild real Python and torch values from `encode`'s output (for grader inputs)."""
    import torch

    tag = data["t"]
    if tag == "none":
        return None
    if tag in ("bool", "int", "str"):
        return data["v"]
    if tag == "float":
        return _decode_float(data["v"])
    if tag == "list":
        return [decode(item) for item in data["v"]]
    if tag == "tuple":
        return tuple(decode(item) for item in data["v"])
    if tag == "dict":
        return {key: decode(value) for key, value in data["v"]}
    if tag == "tensor":
        dtype = getattr(torch, data["dtype"].removeprefix("torch."))
        if dtype.is_floating_point:
            values = [_decode_float(v) for v in data["data"]]
        else:
            values = data["data"]
        tensor = torch.tensor(values, dtype=dtype).reshape(data["shape"])
        return tensor.requires_grad_(data["requires_grad"])
    raise ValueError(f"cannot rebuild a value tagged {tag!r}")


def _shares_memory(result, arg):
    """Whether `result` is `arg` or a view of its memory (a returned input, not a new tensor)."""
    import torch

    if not isinstance(result, torch.Tensor) or not isinstance(arg, torch.Tensor):
        return False
    try:
        return result.untyped_storage().data_ptr() == arg.untyped_storage().data_ptr()
    except Exception:  # tensors without storage (meta, sparse): nothing shared to see
        return False


def _describe_exception(exc):
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        message = exc.args[0][:MAX_TEXT]  # the usual case: show the text without quotes
    else:
        message = _short_repr(exc.args[0] if len(exc.args) == 1 else exc.args)
    return {"status": "raised", "type": _type_name(exc), "message": message}


def handle(user_ns, request_text):
    """Answer one grading request against the student's namespace; return the JSON envelope."""
    try:
        request = json.loads(request_text)
        if request["op"] == "call":
            name = request["name"]
            if name not in user_ns:
                return json.dumps({"status": "missing", "name": name})
            args = decode(request["args"])
            kwargs = decode(request["kwargs"])
            try:
                result = user_ns[name](*args, **kwargs)
            except BaseException as exc:  # includes SystemExit and KeyboardInterrupt
                return json.dumps(_describe_exception(exc))
            envelope = {"status": "ok", "result": encode(result)}
            if request.get("return_args"):
                after = encode(list(args), state=True)
                for arg, encoded in zip(args, after["v"], strict=True):
                    if encoded["t"] == "tensor":
                        encoded["shares_result"] = _shares_memory(result, arg)
                envelope["args_after"] = after
            return json.dumps(envelope)
        if request["op"] == "run":
            namespace = dict(user_ns)
            namespace.update(decode(request["inputs"]))
            try:
                exec(compile(request["code"], "<hidden check>", "exec"), namespace)
            except BaseException as exc:
                return json.dumps(_describe_exception(exc))
            return json.dumps({"status": "ok", "result": encode(namespace.get("result"))})
        return json.dumps({"status": "error", "message": f"unknown op {request['op']!r}"})
    except BaseException as exc:
        # Encoding failed (a value too large, a __repr__ that raised...): say so plainly.
        return json.dumps(
            {"status": "unreadable", "message": f"{type(exc).__name__}: {_short_repr(exc)}"}
        )
