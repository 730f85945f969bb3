"""Benchmark: the kit's Trainer against a plain PyTorch loop on the same weight-decay job.

Run with `.venv/bin/python bench/trainer.py`. Both sides train D2L 3.7's model (weight decay on
the weight only, SGD, MSE) on d2lkit.Data (1,000 training examples x 200 inputs, batch 32) for
10 epochs and compute the validation loss each epoch. Runs alternate in one process so that
background load on the machine hits both sides alike; we report medians.
"""

import os
import statistics
import time

# Decide the backend before anything imports pyplot: the "board on" case renders with Agg,
# the cost a notebook would pay (the inline backend also renders with Agg).
os.environ.setdefault("MPLBACKEND", "Agg")

import torch
from torch import nn

import d2lkit as d2l

NUM_TRAIN, NUM_VAL, NUM_INPUTS, BATCH_SIZE = 1000, 1000, 200, 32
MAX_EPOCHS, WD, LR = 10, 3.0, 0.01
WARMUP, REPEATS = 1, 7


def run_kit(data, display):
    torch.manual_seed(0)
    model = d2l.WeightDecay(wd=WD, lr=LR)
    model.board.display = display
    model.board.yscale = "log"
    trainer = d2l.Trainer(max_epochs=MAX_EPOCHS)
    start = time.perf_counter()
    trainer.fit(model, data)
    elapsed = time.perf_counter() - start
    return elapsed, trainer.history.val_loss[-1]


def run_plain(data):
    torch.manual_seed(0)
    X_train, y_train = data.tensors(train=True)
    X_val, y_val = data.tensors(train=False)
    start = time.perf_counter()
    train_loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(X_train, y_train), BATCH_SIZE, shuffle=True
    )
    val_loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(X_val, y_val), BATCH_SIZE, shuffle=False
    )
    net = nn.Linear(NUM_INPUTS, 1)
    with torch.no_grad():
        net.weight.normal_(0, 0.01)
        net.bias.zero_()
    optim = torch.optim.SGD(
        [
            {"params": [net.weight], "weight_decay": WD},
            {"params": [net.bias], "weight_decay": 0.0},
        ],
        lr=LR,
    )
    loss_fn = nn.MSELoss()
    val_losses = []
    for _ in range(MAX_EPOCHS):
        net.train()
        train_sum = []
        for X, y in train_loader:
            loss = loss_fn(net(X), y)
            optim.zero_grad()
            loss.backward()
            optim.step()
            train_sum.append(loss.detach())
        net.eval()
        val_sum = []
        with torch.no_grad():
            for X, y in val_loader:
                val_sum.append(loss_fn(net(X), y))
        # One conversion per epoch, as the kit's History does.
        torch.stack(train_sum).mean().item()
        val_losses.append(torch.stack(val_sum).mean().item())
    return time.perf_counter() - start, val_losses[-1]


def compare(label, data, display):
    kit_times, plain_times = [], []
    for i in range(WARMUP + REPEATS):
        kit, _ = run_kit(data, display)
        plain, _ = run_plain(data)
        if i >= WARMUP:
            kit_times.append(kit)
            plain_times.append(plain)
    kit_med = statistics.median(kit_times)
    plain_med = statistics.median(plain_times)
    print(
        f"trainer, {label}: kit {kit_med:.3f} s, plain {plain_med:.3f} s, "
        f"ratio {kit_med / plain_med:.2f}"
    )
    return kit_med / plain_med


def main():
    torch.set_num_threads(1)
    data = d2l.Data(NUM_TRAIN, NUM_VAL, NUM_INPUTS, BATCH_SIZE, seed=0)
    print(
        f"job: {NUM_TRAIN} train x {NUM_INPUTS} inputs, {MAX_EPOCHS} epochs, batch {BATCH_SIZE}, "
        f"WeightDecay(wd={WD:g}, lr={LR:g}); median of {REPEATS} alternating runs"
    )
    off = compare("drawing off", data, display=False)
    on = compare("drawing on (Agg)", data, display=True)
    print(
        f"targets: drawing off <= 1.10 ({'met' if off <= 1.10 else 'MISSED'}), "
        f"drawing on <= 2.00 ({'met' if on <= 2.0 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
