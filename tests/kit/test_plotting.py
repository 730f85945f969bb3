"""Drawing: nothing on import or headless, on demand from records, throttled when forced."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import d2lkit as d2l
import d2lkit.board


def test_import_and_headless_fit_touch_neither_pyplot_nor_the_rng():
    code = (
        "import sys, torch\n"
        "state = torch.random.get_rng_state()\n"
        "import d2lkit as d2l\n"
        "assert torch.equal(state, torch.random.get_rng_state()), 'import touched the RNG'\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'import loaded pyplot'\n"
        "assert 'matplotlib' not in sys.modules, 'import loaded matplotlib'\n"
        "data = d2l.Data(20, 10, 3, 5, seed=0)\n"
        "d2l.Trainer(max_epochs=2).fit(d2l.LinearRegression(lr=0.01), data)\n"
        "assert 'matplotlib' not in sys.modules, 'a headless fit loaded matplotlib'\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k != "MPLBACKEND"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.fixture
def fit_small():
    def run(display, max_epochs=3):
        data = d2l.Data(num_train=320, num_val=40, num_inputs=4, batch_size=8, seed=0)
        model = d2l.LinearRegression(lr=0.01)
        model.board.display = display
        trainer = d2l.Trainer(max_epochs=max_epochs)
        trainer.fit(model, data)
        return model, trainer

    return run


def test_board_off_keeps_the_books_points_and_draws_only_when_asked(fit_small):
    model, trainer = fit_small(display=False)
    assert model.board.fig is None
    # The book's points, shown or not: two training points per epoch (at half and whole
    # epochs) and one validation point at the end of each epoch.
    train = model.board.data["train_loss"]
    assert [p.x for p in train] == pytest.approx([0.25, 0.75, 1.25, 1.75, 2.25, 2.75], abs=0.03)
    assert [p.x for p in model.board.data["val_loss"]] == [1, 2, 3]
    assert [p.y for p in model.board.data["val_loss"]] == pytest.approx(trainer.history.val_loss)
    figure = model.board.figure()
    assert isinstance(figure, Figure)
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert labels == ["train_loss", "val_loss"]


def test_auto_display_is_off_outside_a_notebook(fit_small):
    model, _ = fit_small(display=None)
    assert model.board.active is False and model.board.fig is None


def test_auto_display_needs_a_kernel_with_the_inline_backend(monkeypatch):
    monkeypatch.delenv("D2LKIT_LIVE_PLOTS", raising=False)
    board = d2l.ProgressBoard()
    monkeypatch.setattr(d2lkit.board, "_kernel_shell", lambda: object())
    monkeypatch.setattr(
        matplotlib, "get_backend", lambda **kw: "module://matplotlib_inline.backend_inline"
    )
    assert board.active is True
    monkeypatch.setattr(matplotlib, "get_backend", lambda **kw: "qtagg")
    assert board.active is False
    monkeypatch.setattr(d2lkit.board, "_kernel_shell", lambda: None)
    monkeypatch.setattr(
        matplotlib, "get_backend", lambda **kw: "module://matplotlib_inline.backend_inline"
    )
    assert board.active is False


def test_forced_board_draws_a_few_times_not_per_batch(fit_small, monkeypatch):
    renders = []
    original = d2l.ProgressBoard._show

    def counting_show(self):
        renders.append(len(self.data.get("train_loss", [])))
        original(self)

    monkeypatch.setattr(d2l.ProgressBoard, "_show", counting_show)
    model, trainer = fit_small(display=True, max_epochs=3)
    batches = 3 * (trainer.num_train_batches + trainer.num_val_batches)
    assert 1 <= len(renders) <= 3 * 3, f"{len(renders)} renders for {batches} batches"
    # Book averaging: plot_train_per_epoch=2 points per epoch for training, 1 for validation.
    assert len(model.board.data["train_loss"]) == 6 and len(model.board.data["val_loss"]) == 3
    lines = model.board.fig.axes[0].get_lines()
    assert len(lines[0].get_xdata()) == 6, "the final figure shows every recorded point"


def test_plot_history_draws_the_losses(fit_small):
    _, trainer = fit_small(display=False)
    figure = d2l.plot_history(trainer.history, yscale="log")
    axes = figure.axes[0]
    assert axes.get_xlabel() == "epoch" and axes.get_ylabel() == "loss"
    assert axes.get_yscale() == "log"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["train_loss", "val_loss"]
    train_line, val_line = axes.get_lines()
    assert list(train_line.get_ydata()) == trainer.history.train_loss
    assert list(val_line.get_xdata()) == [1, 2, 3]


def test_plot_history_on_given_axes_and_empty_history():
    figure = Figure()
    axes = figure.add_subplot()
    assert d2l.plot_history({"train_loss": [1.0, 0.5]}, ax=axes) is figure
    with pytest.raises(ValueError, match="fit a model first"):
        d2l.plot_history(d2l.History())


def test_book_plot_helper():
    x = np.arange(-7, 7, 0.5)
    axes = Figure().add_subplot()
    curves = [np.exp(-(x**2) / 2), np.exp(-(x**2) / 8)]
    d2l.plot(x, curves, xlabel="x", ylabel="p(x)", legend=["narrow", "wide"], axes=axes)
    assert len(axes.get_lines()) == 2
    assert axes.get_xlabel() == "x"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["narrow", "wide"]
    single = Figure().add_subplot()
    d2l.plot(d2l.arange(5.0).requires_grad_(), axes=single)
    assert list(single.get_lines()[0].get_ydata()) == [0, 1, 2, 3, 4]


def test_board_plots_python_floats_too():
    board = d2l.ProgressBoard(display=True, xlim=[0, 2])
    board.draw(1, 0.5, "loss")
    board.draw(2, 0.25, "loss")
    assert board.fig is not None
    assert list(board.fig.axes[0].get_lines()[0].get_ydata()) == [0.5, 0.25]


def test_live_boards_can_be_switched_off_by_the_environment(monkeypatch):
    board = d2l.ProgressBoard()
    monkeypatch.setattr("d2lkit.board.in_inline_kernel", lambda: True)
    monkeypatch.setenv("D2LKIT_LIVE_PLOTS", "1")
    assert board.active
    monkeypatch.setenv("D2LKIT_LIVE_PLOTS", "0")
    assert not board.active
    assert d2l.ProgressBoard(display=True).active  # asking explicitly still draws
