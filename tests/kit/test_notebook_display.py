"""In a real Jupyter kernel with the inline backend the board shows itself, as one image."""

import os

import pytest

jupyter_client = pytest.importorskip("jupyter_client.manager")

CELL = """
import torch, d2lkit as d2l
torch.manual_seed(0)
data = d2l.Data(num_train=20, num_val=100, num_inputs=200, batch_size=5)
model = d2l.WeightDecay(wd=3, lr=0.01)
model.board.yscale = 'log'
print('active', model.board.active)
d2l.Trainer(max_epochs=10).fit(model, data)
"""


@pytest.mark.slow
def test_board_displays_once_and_updates_in_place_in_a_kernel():
    try:
        # Without MPLBACKEND the kernel picks the inline backend, as JupyterLab's would
        # (the test session itself runs with Agg).
        # Live boards are on, as for a student (the test session turns them off).
        hidden = ("MPLBACKEND", "D2LKIT_LIVE_PLOTS")
        env = {k: v for k, v in os.environ.items() if k not in hidden}
        km, kc = jupyter_client.start_new_kernel(kernel_name="python3", env=env)
    except Exception as exc:  # no kernelspec on this machine
        pytest.skip(f"no Jupyter kernel available: {exc}")
    try:
        msg_id = kc.execute(CELL)
        stdout, displays, errors = [], [], []
        while True:
            msg = kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                stdout.append(content["text"])
            elif kind in ("display_data", "update_display_data"):
                displays.append((kind, set(content["data"])))
            elif kind == "error":
                errors.append("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert not errors, errors[0]
    assert "active True" in "".join(stdout)
    assert displays, "the board never showed itself"
    assert displays[0] == ("display_data", {"image/png", "text/plain"})
    assert all(kind == "update_display_data" for kind, _ in displays[1:])
    assert len(displays) <= 10, "the board redrew far too often"
