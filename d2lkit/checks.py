"""Argument checks that fail early with a message naming the problem and the fix."""

import numbers

__all__ = ["check_non_negative", "check_positive", "check_positive_int"]


def _is_real(value):
    # bool is an int subclass, but `lr=True` is always a mistake.
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_positive(name, value):
    """Return `value` if it is a real number > 0, else raise a clear error."""
    if not _is_real(value):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r})")
    if not value > 0:
        raise ValueError(f"{name} must be positive, got {value!r}; pass a value > 0")
    return value


def check_non_negative(name, value):
    """Return `value` if it is a real number >= 0, else raise a clear error."""
    if not _is_real(value):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} ({value!r})")
    if not value >= 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}; use 0 to switch it off")
    return value


def check_positive_int(name, value):
    """Return `value` if it is an int > 0, else raise a clear error."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value!r}; pass a value >= 1")
    return int(value)
