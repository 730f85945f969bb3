"""Known right and wrong answers to each notebook, as code for its solution cells.

`autograder/variants/<notebook>.py` defines `ASSIGNMENT` and `VARIANTS`, a list of
`autograder.notebooks.Variant`. The grader tests run every variant against the hidden checks,
and the demo's bundled submissions are built from them, so one set of answers proves the
graders and shows them off.
"""

from __future__ import annotations

import importlib
import pkgutil

from autograder.notebooks import Variant


def notebooks_with_variants() -> list[str]:
    # Modules named _* hold code shared by a notebook's variants, not variants of a notebook.
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
    )


def load_variants(notebook: str) -> list[Variant]:
    return list(importlib.import_module(f"{__name__}.{notebook}").VARIANTS)
