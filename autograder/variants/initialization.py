"""Right and wrong answers to initialization.ipynb, as a student would write them."""

from autograder.notebooks import Variant

ASSIGNMENT = "from_scratch"


def _train_from(body):
    return f"def train_from(data, w0, b0, lr=0.03, max_epochs=3, seed=0):\n{body}\n"


def _standard(start, losses="list(trainer.history.val_loss)", lr="lr", epochs="max_epochs"):
    """A train_from whose start-up lines and returned losses vary; the rest is as usual."""
    return _train_from(
        "    torch.manual_seed(seed)\n"
        f"    model = d2lkit.LinearRegressionScratch(w0.shape[0], {lr})\n"
        f"{start}"
        f"    trainer = d2lkit.Trainer(max_epochs={epochs})\n"
        "    trainer.fit(model, data)\n"
        f"    return model.w, model.b, {losses}\n"
    )


COPIES = (
    "    model.w = w0.clone().requires_grad_(True)\n    model.b = b0.clone().requires_grad_(True)\n"
)

VARIANTS = [
    # Right answers written another way.
    Variant(
        "copy_into_model_params",
        cells={
            "train_from_impl": _standard(
                "    with torch.no_grad():\n        model.w.copy_(w0)\n        model.b.copy_(b0)\n",
                losses='trainer.history["val_loss"]',
            )
        },
    ),
    Variant(
        "data_attribute_and_numpy_losses",
        cells={
            "train_from_impl": "import numpy as np\n\n"
            + _standard(
                "    model.w.data = w0.clone()\n    model.b.data = b0.clone()\n",
                losses="[np.float64(v) for v in trainer.history.val_loss]",
            )
        },
    ),
    Variant(
        "fresh_tensors_loss_tensor_and_warning",
        cells={
            "train_from_impl": "import warnings\n\n"
            + _standard(
                '    warnings.warn("starting from a given point")\n'
                "    model.w = torch.tensor(w0.tolist(), requires_grad=True)\n"
                "    model.b = torch.tensor(b0.tolist(), requires_grad=True)\n",
                losses="torch.tensor(trainer.history.val_loss, dtype=torch.float64)",
            )
        },
    ),
    # Known mistakes.
    Variant(
        "w0_trained_in_place",
        cells={
            "train_from_impl": _standard(
                "    model.w = w0.requires_grad_(True)\n    model.b = b0.requires_grad_(True)\n"
            )
        },
        failing=("train_from",),
        message="trained in place",
    ),
    Variant(
        "b0_ignored",
        cells={"train_from_impl": _standard("    model.w = w0.clone().requires_grad_(True)\n")},
        failing=("train_from",),
        message="b0 not used",
    ),
    Variant(
        "w0_ignored",
        cells={"train_from_impl": _standard("    model.b = b0.clone().requires_grad_(True)\n")},
        failing=("train_from",),
        message="w0 not used",
    ),
    Variant(
        "copies_without_grad",
        cells={
            "train_from_impl": _standard("    model.w = w0.clone()\n    model.b = b0.clone()\n")
        },
        failing=("train_from",),
        message="do not require grad",
    ),
    Variant(
        "weight_copy_without_grad",
        cells={
            "train_from_impl": _standard(
                "    model.w = w0.clone()\n    model.b = b0.clone().requires_grad_(True)\n"
            )
        },
        failing=("train_from",),
        message="the weight never trained",
    ),
    Variant(
        "training_losses",
        cells={
            "train_from_impl": _standard(COPIES, losses="list(trainer.history.train_loss)"),
        },
        failing=("train_from",),
        message="training losses",
    ),
    Variant(
        "last_loss_only",
        cells={"train_from_impl": _standard(COPIES, losses="trainer.history.val_loss[-1]")},
        failing=("train_from",),
        message="only the last epoch",
    ),
    Variant(
        "lr_ignored",
        cells={"train_from_impl": _standard(COPIES, lr="0.03")},
        failing=("train_from",),
        message="lr argument ignored",
    ),
    Variant(
        "max_epochs_ignored",
        cells={"train_from_impl": _standard(COPIES, epochs="3")},
        failing=("train_from",),
        message="max_epochs argument ignored",
    ),
    Variant(
        "not_trained",
        cells={"train_from_impl": _train_from("    return w0.clone(), b0.clone(), []")},
        failing=("train_from",),
        message="not trained",
    ),
    Variant(
        "stub_returns_none",
        cells={"train_from_impl": _train_from("    pass")},
        failing=("train_from",),
        zero=("train_from",),
        message="should return three things",
    ),
]
