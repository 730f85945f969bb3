"""Book code with boards, run as a notebook in a real kernel: every board that drew shows its
final picture under the cell that drew it, even when its redraw throttle held every point."""

import base64
import os

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

SETUP = "import numpy as np\nimport d2lkit as d2l"
# D2L 3.2's board example: a tight loop that draws far faster than the redraw throttle allows.
BOOK_BOARD = """
board = d2l.ProgressBoard('x')
for x in np.arange(0, 10, 0.1):
    board.draw(x, np.sin(x), 'sin', every_n=2)
    board.draw(x, np.cos(x), 'cos', every_n=10)
"""
MORE_POINTS = """
for x in np.arange(10, 12, 0.1):
    board.draw(x, np.sin(x), 'sin', every_n=2)
"""
SHOWN = "print([len(line.get_xdata()) for line in board.fig.axes[0].get_lines()])"
TRAINING = """
data = d2l.SyntheticRegressionData(w=d2l.tensor([2, -3.4]), b=4.2, seed=0)
model = d2l.LinearRegressionScratch(2, lr=0.03)
d2l.Trainer(max_epochs=3).fit(model, data)
print(len(model.board.data['train_loss']), len(model.board.data['val_loss']))
"""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_notebook(tmp_path, *sources, **env_changes):
    """Run `sources` as the cells of a notebook in a fresh python3 kernel; return the cells.

    The kernel's environment is a student's: no MPLBACKEND (so the inline backend) and live
    boards on, unless `env_changes` says otherwise.
    """
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "D2LKIT_LIVE_PLOTS")}
    env.update(env_changes)
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(tmp_path)}}
    )
    try:
        client.execute(env=env)
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"a cell failed: {error}")
    except Exception as error:  # no kernelspec on this machine
        pytest.skip(f"no Jupyter kernel available: {error}")
    return nb.cells


def pictures(cell):
    """The PNG images a cell shows (display_data outputs)."""
    found = []
    for output in cell.outputs:
        if output.output_type == "display_data" and "image/png" in output.data:
            found.append(base64.b64decode(output.data["image/png"]))
    return found


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream").strip()


@pytest.mark.slow
def test_the_books_board_example_shows_its_final_picture_in_each_cell_that_draws(tmp_path):
    _, first, first_shown, second, second_shown, training = run_notebook(
        tmp_path, SETUP, BOOK_BOARD, SHOWN, MORE_POINTS, SHOWN, TRAINING
    )
    images = pictures(first)
    assert len(images) == 1, [o.output_type for o in first.outputs]
    assert images[0].startswith(PNG_SIGNATURE)
    # The picture holds every averaged point: 100 raw points in twos and in tens.
    assert printed(first_shown) == "[50, 10]"
    # A later cell that draws again gets its own final picture, with the new points.
    assert len(pictures(second)) == 1 and pictures(second)[0] != images[0]
    assert printed(second_shown) == "[60, 10]"
    assert pictures(first_shown) == [] and pictures(second_shown) == []
    # A fit shows its board too, with the book's two training points and one validation
    # point per epoch.
    assert len(pictures(training)) == 1
    assert printed(training) == "6 3"


@pytest.mark.slow
def test_boards_stay_hidden_when_live_plots_are_off_but_keep_their_points(tmp_path):
    _, drawn, training = run_notebook(tmp_path, SETUP, BOOK_BOARD, TRAINING, D2LKIT_LIVE_PLOTS="0")
    assert pictures(drawn) == [] and pictures(training) == []
    assert printed(training) == "6 3"
