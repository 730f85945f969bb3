"""Shared fixtures for the kit's tests: small seeded data sets and closed-form oracles."""

import os

# Tests that draw use the non-interactive backend; set before anything imports pyplot.
os.environ.setdefault("MPLBACKEND", "Agg")

import pytest
import torch

import d2lkit as d2l


@pytest.fixture
def line_data():
    """Two-input linear data (the book's w and b), one full batch per epoch: plain GD."""
    return d2l.SyntheticRegressionData(
        w=torch.tensor([2.0, -3.4]), b=4.2, num_train=200, num_val=100, batch_size=200, seed=0
    )


@pytest.fixture
def ridge_data():
    """Five inputs with sizeable weights, so an L2 penalty visibly shrinks them; full batch."""
    return d2l.SyntheticRegressionData(
        w=torch.tensor([1.0, -2.0, 0.5, 3.0, -1.5]),
        b=0.7,
        noise=0.1,
        num_train=100,
        num_val=50,
        batch_size=100,
        seed=1,
    )


@pytest.fixture
def minibatch_data():
    """Section 3.7-style data with seeded shuffling: several minibatches per epoch."""
    return d2l.Data(num_train=100, num_val=40, num_inputs=10, batch_size=10, seed=2, shuffle_seed=3)


def _with_ones(X):
    return torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)


@pytest.fixture
def lstsq():
    """Oracle: least-squares (w, b) of y ~ X w + b, in float64 via torch.linalg.lstsq."""

    def solve(X, y):
        X, y = X.double(), y.double()
        solution = torch.linalg.lstsq(_with_ones(X), y).solution
        return solution[:-1], solution[-1]

    return solve


@pytest.fixture
def ridge():
    """Oracle: minimiser of (1/2n)||Xw + b - y||^2 + (alpha/2)||w||^2, bias not penalised.

    Centring removes the bias; then (Xc^T Xc / n + alpha I) w = Xc^T yc / n.
    """

    def solve(X, y, alpha):
        X, y = X.double(), y.double()
        x_mean, y_mean = X.mean(0, keepdim=True), y.mean(0, keepdim=True)
        Xc, yc = X - x_mean, y - y_mean
        n, d = X.shape
        w = torch.linalg.solve(Xc.T @ Xc / n + alpha * torch.eye(d, dtype=X.dtype), Xc.T @ yc / n)
        b = (y_mean - x_mean @ w).reshape(1)
        return w, b

    return solve


@pytest.fixture
def restore_kit_classes():
    """Book code patches kit classes with @d2l.add_to_class; undo that after the test."""
    classes = [
        d2l.HyperParameters,
        d2l.ProgressBoard,
        d2l.Module,
        d2l.DataModule,
        d2l.SyntheticRegressionData,
        d2l.Trainer,
        d2l.LinearRegressionScratch,
        d2l.LinearRegression,
    ]
    saved = {cls: dict(vars(cls)) for cls in classes}
    yield
    for cls, attrs in saved.items():
        for name in set(vars(cls)) - set(attrs):
            delattr(cls, name)
        for name, value in attrs.items():
            if vars(cls).get(name) is not value and name not in ("__dict__", "__weakref__"):
                setattr(cls, name, value)
