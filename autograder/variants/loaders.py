"""Right and wrong answers to loaders.ipynb, as a student would write them."""

from autograder.notebooks import Variant
from autograder.variants._loaders_code import (
    FRESH_ITERABLE,
    FRESH_LABELS_OFF,
    FRESH_LOOP,
    FRESH_NO_LEN,
    FRESH_ONCE_PER_LOADER,
    FRESH_RESHUFFLED,
    REPRO_GLOBAL_RESEED,
    REPRO_GLOBAL_SHUFFLE,
    REPRO_LIST,
    REPRO_PER_PASS,
    REPRO_SHARED_GENERATOR,
    STUB_FRESH,
    STUB_REPRO,
    STUB_SIZES,
    sizes,
)

ASSIGNMENT = "data_pipelines"

VARIANTS = [
    # Right answers written other ways.
    Variant(
        "sizes_by_loop_fresh_iterable_repro_list",
        cells={
            "batch_sizes_impl": sizes(
                "    sizes, left = [], n\n"
                "    while left >= batch_size:\n"
                "        sizes.append(batch_size)\n"
                "        left -= batch_size\n"
                "    if left and not drop_last:\n"
                "        sizes.append(left)\n"
                "    return sizes"
            ),
            "fresh_data_impl": FRESH_ITERABLE,
            "reproducible_data_impl": REPRO_LIST,
        },
    ),
    Variant(
        "sizes_numpy_fresh_loop_repro_per_pass",
        cells={
            "batch_sizes_impl": "import numpy as np\n\n"
            + sizes(
                "    edges = np.arange(0, n, batch_size)\n"
                "    sizes = np.minimum(edges + batch_size, n) - edges\n"
                "    if drop_last:\n"
                "        sizes = sizes[sizes == batch_size]\n"
                "    return list(sizes)"
            ),
            "fresh_data_impl": "import math\n\n" + FRESH_LOOP,
            "reproducible_data_impl": REPRO_PER_PASS,
        },
    ),
    Variant(
        "sizes_from_a_dataloader_tuple",
        cells={
            "batch_sizes_impl": sizes(
                "    loader = torch.utils.data.DataLoader(\n"
                "        range(n), batch_size=batch_size, drop_last=drop_last)\n"
                "    return tuple(len(batch) for batch in loader)"
            )
        },
    ),
    # Known mistakes.
    Variant(
        "drop_last_ignored",
        cells={
            "batch_sizes_impl": sizes(
                "    return [min(batch_size, n - i) for i in range(0, n, batch_size)]"
            )
        },
        failing=("batch_sizes",),
        message="drop_last ignored",
    ),
    Variant(
        "empty_last_batch",
        cells={
            "batch_sizes_impl": sizes(
                "    full = n // batch_size\n"
                "    return [batch_size] * full + ([] if drop_last else [n - full * batch_size])"
            )
        },
        failing=("batch_sizes",),
        message="empty last batch",
    ),
    Variant(
        "drop_full_batch",
        cells={
            "batch_sizes_impl": sizes(
                "    full = n // batch_size\n"
                "    if drop_last:\n"
                "        return [batch_size] * (n // batch_size if n % batch_size else full - 1)\n"
                "    return [batch_size] * full + ([n % batch_size] if n % batch_size else [])"
            )
        },
        failing=("batch_sizes",),
        message="dropping a full batch",
    ),
    Variant(
        "fresh_once_per_loader",
        cells={"fresh_data_impl": FRESH_ONCE_PER_LOADER},
        failing=("fresh_data",),
        zero=("fresh_data",),
        message="only when the loader is built",
    ),
    Variant(
        "fresh_reshuffled",
        cells={"fresh_data_impl": FRESH_RESHUFFLED},
        failing=("fresh_data",),
        zero=("fresh_data",),
        message="reshuffled",
    ),
    Variant(
        "fresh_labels_off_the_line",
        cells={"fresh_data_impl": "import math\n\n" + FRESH_LABELS_OFF},
        failing=("fresh_data",),
        message="do not follow y = X w + b",
    ),
    Variant(
        "fresh_without_len",
        cells={"fresh_data_impl": "import math\n\n" + FRESH_NO_LEN},
        failing=("fresh_data",),
        message="without len()",
    ),
    Variant(
        "repro_shared_generator",
        cells={"reproducible_data_impl": REPRO_SHARED_GENERATOR},
        failing=("reproducible_data",),
        zero=("reproducible_data",),
        message="one generator kept across passes",
    ),
    Variant(
        "repro_reseeds_global",
        cells={"reproducible_data_impl": REPRO_GLOBAL_RESEED},
        failing=("reproducible_data",),
        message="reseeds torch's global generator",
    ),
    Variant(
        "repro_global_shuffle",
        cells={"reproducible_data_impl": REPRO_GLOBAL_SHUFFLE},
        failing=("reproducible_data",),
        zero=("reproducible_data",),
        message="drawn from torch's global generator",
    ),
    *(
        Variant(
            name, cells={"batch_sizes_impl": code}, failing=("batch_sizes",), zero=("batch_sizes",)
        )
        for name, code in STUB_SIZES
    ),
    *(
        Variant(
            name, cells={"fresh_data_impl": code}, failing=("fresh_data",), zero=("fresh_data",)
        )
        for name, code in STUB_FRESH
    ),
    *(
        Variant(
            name,
            cells={"reproducible_data_impl": code},
            failing=("reproducible_data",),
            zero=("reproducible_data",),
        )
        for name, code in STUB_REPRO
    ),
]
