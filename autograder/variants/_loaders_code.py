"""Code of the loaders variants: right and wrong answers, as a student would write them
(kept apart so that autograder/variants/loaders.py reads as the list of variants)."""

ARGS = "w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32"


def sizes(body):
    return f"def batch_sizes(n, batch_size, drop_last=False):\n{body}\n"


def _fresh(body):
    return f"class FreshData(d2lkit.DataModule):\n    def __init__(self, {ARGS}):\n{body}\n"


def _reproducible(body):
    return (
        f"class ReproducibleData(d2lkit.DataModule):\n    def __init__(self, {ARGS}, seed=0):\n"
        f"{body}\n"
    )


# FreshData as an IterableDataset with a length, batched by a DataLoader.
FRESH_ITERABLE = _fresh(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        self.X, self.y = d2lkit.synthetic.linear_data(\n"
    "            num_val, torch.tensor(w, dtype=torch.float32), b, noise)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        if not train:\n"
    "            return self.get_tensorloader((self.X, self.y), False)\n"
    "        module = self\n"
    "\n"
    "        class Stream(torch.utils.data.IterableDataset):\n"
    "            def __len__(self):\n"
    "                return module.num_train\n"
    "\n"
    "            def __iter__(self):\n"
    "                w = torch.tensor(module.w, dtype=torch.float32).reshape(-1, 1)\n"
    "                for _ in range(module.num_train):\n"
    "                    x = torch.randn(len(w))\n"
    "                    yield x, x @ w + module.b + module.noise * torch.randn(1)\n"
    "\n"
    "        return torch.utils.data.DataLoader(Stream(), batch_size=self.batch_size)\n"
)

# FreshData whose loader is a plain class with a generator method, written with loops.
FRESH_LOOP = _fresh(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        self.X, self.y = self.draw(num_val)\n"
    "\n"
    "    def draw(self, n):\n"
    "        w = torch.tensor([float(v) for v in self.w]).reshape(-1, 1)\n"
    "        X = torch.randn(n, len(w), dtype=torch.float64)\n"
    "        return X, X @ w.double() + self.b + self.noise * torch.randn(n, 1)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        module = self\n"
    "\n"
    "        class Loader:\n"
    "            def __len__(self):\n"
    "                return math.ceil(module.num_train / module.batch_size)\n"
    "\n"
    "            def __iter__(self):\n"
    "                X, y = module.draw(module.num_train)\n"
    "                for i in range(0, len(X), module.batch_size):\n"
    "                    rows = slice(i, i + module.batch_size)\n"
    "                    yield X[rows].float(), y[rows].float()\n"
    "\n"
    "        if train:\n"
    "            return Loader()\n"
    "        return self.get_tensorloader((self.X.float(), self.y.float()), False)\n"
)

# ReproducibleData whose training loader is a list of batches cut once (a list can be iterated
# again and has a length).
REPRO_LIST = _reproducible(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        g = torch.Generator().manual_seed(seed)\n"
    "        self.X, self.y = d2lkit.synthetic.linear_data(\n"
    "            num_train + num_val, torch.tensor(w, dtype=torch.float32), b, noise, g)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        rows = slice(0, self.num_train) if train else slice(self.num_train, None)\n"
    "        g = torch.Generator().manual_seed(self.seed)\n"
    "        loader = torch.utils.data.DataLoader(\n"
    "            torch.utils.data.TensorDataset(self.X[rows], self.y[rows]),\n"
    "            batch_size=self.batch_size, shuffle=train, generator=g)\n"
    "        return list(loader)\n"
)

# ReproducibleData built on the kit's shuffle_seed, with a loader that re-seeds per pass.
REPRO_PER_PASS = _reproducible(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        self.shuffle_seed = seed\n"
    "        data = d2lkit.SyntheticRegressionData(\n"
    "            w, b, noise, num_train, num_val, batch_size, seed=seed)\n"
    "        self.X, self.y = data.X, data.y\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        module = self\n"
    "        rows = slice(0, self.num_train) if train else slice(self.num_train, None)\n"
    "\n"
    "        class EveryPassTheSame:\n"
    "            def __len__(self):\n"
    "                return len(module.get_tensorloader((module.X, module.y), train, rows))\n"
    "\n"
    "            def __iter__(self):\n"
    "                return iter(module.get_tensorloader((module.X, module.y), train, rows))\n"
    "\n"
    "        return EveryPassTheSame()\n"
)

# Wrong: the kit's own data module with its shuffle_seed: a DataLoader keeps its generator, so
# the second pass is shuffled differently.
REPRO_SHARED_GENERATOR = _reproducible(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        data = d2lkit.SyntheticRegressionData(\n"
    "            w, b, noise, num_train, num_val, batch_size, seed=seed, shuffle_seed=seed)\n"
    "        self.X, self.y = data.X, data.y\n"
    "        self.shuffle_seed = seed\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        rows = slice(0, self.num_train) if train else slice(self.num_train, None)\n"
    "        return self.get_tensorloader((self.X, self.y), train, rows)\n"
)

# Wrong: torch.manual_seed(seed) in the module, data and shuffling from the global generator.
REPRO_GLOBAL_RESEED = _reproducible(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        torch.manual_seed(seed)\n"
    "        self.X, self.y = d2lkit.synthetic.linear_data(\n"
    "            num_train + num_val, torch.tensor(w, dtype=torch.float32), b, noise)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        torch.manual_seed(self.seed)\n"
    "        rows = slice(0, self.num_train) if train else slice(self.num_train, None)\n"
    "        return list(self.get_tensorloader((self.X, self.y), train, rows))\n"
)

# Wrong: FreshData that draws once per loader (the trainer builds one loader per fit).
FRESH_ONCE_PER_LOADER = _fresh(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        self.w = torch.tensor(w, dtype=torch.float32)\n"
    "        self.X, self.y = d2lkit.synthetic.linear_data(num_val, self.w, b, noise)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        if not train:\n"
    "            return self.get_tensorloader((self.X, self.y), False)\n"
    "        X, y = d2lkit.synthetic.linear_data(self.num_train, self.w, self.b, self.noise)\n"
    "        return self.get_tensorloader((X, y), True)\n"
)

# Wrong: FreshData that shuffles one fixed training set.
FRESH_RESHUFFLED = _fresh(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        self.X, self.y = d2lkit.synthetic.linear_data(\n"
    "            num_train + num_val, torch.tensor(w, dtype=torch.float32), b, noise)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        rows = slice(0, self.num_train) if train else slice(self.num_train, None)\n"
    "        return self.get_tensorloader((self.X, self.y), train, rows)\n"
)

# Wrong: fresh X at every pass, but the labels drawn from their own X.
FRESH_LABELS_OFF = FRESH_LOOP.replace(
    "                X, y = module.draw(module.num_train)\n",
    "                X, _ = module.draw(module.num_train)\n"
    "                _, y = module.draw(module.num_train)\n",
)

# Wrong: a generator function as the loader, which has no len().
FRESH_NO_LEN = FRESH_LOOP.replace(
    "            def __len__(self):\n"
    "                return math.ceil(module.num_train / module.batch_size)\n\n",
    "",
)

STUB_SIZES = (
    ("stub_sizes_none", sizes("    return None")),
    ("stub_sizes_input", sizes("    return n")),
    ("stub_sizes_constant", sizes("    return [batch_size]")),
)
STUB_FRESH = (
    ("stub_fresh_pass", "class FreshData(d2lkit.DataModule):\n    pass\n"),
    ("stub_fresh_kit_data", "FreshData = d2lkit.SyntheticRegressionData\n"),
    ("stub_fresh_none", "FreshData = None\n"),
)
STUB_REPRO = (
    ("stub_reproducible_pass", "class ReproducibleData(d2lkit.DataModule):\n    pass\n"),
    (
        "stub_reproducible_kit_data",
        "class ReproducibleData(d2lkit.SyntheticRegressionData):\n"
        f"    def __init__(self, {ARGS}, seed=0):\n"
        "        super().__init__(w, b, noise, num_train, num_val, batch_size)\n",
    ),
    ("stub_reproducible_none", "ReproducibleData = None\n"),
)

# Wrong: seeded data, but the loader shuffles with torch's global generator.
REPRO_GLOBAL_SHUFFLE = _reproducible(
    "        super().__init__()\n"
    "        self.save_hyperparameters()\n"
    "        g = torch.Generator().manual_seed(seed)\n"
    "        self.X, self.y = d2lkit.synthetic.linear_data(\n"
    "            num_train + num_val, torch.tensor(w, dtype=torch.float32), b, noise, g)\n"
    "\n"
    "    def get_dataloader(self, train):\n"
    "        rows = slice(0, self.num_train) if train else slice(self.num_train, None)\n"
    "        return self.get_tensorloader((self.X, self.y), train, rows)\n"
)
