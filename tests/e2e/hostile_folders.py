"""Attacks through the submission folder and through what a browser shows, for the hostile
batch (see hostile_submissions.py for the notebook-level ones and `build`).

A submission folder is the student's: links to the course's solutions, reference answers or
gradebook, hard links, FIFOs, sockets, too many or too large files, pages a browser would run.
`place_files(case, folder, ...)` puts each case's files beside its notebook. Each attack is paired
with the WRONG answer (or falls back to it), so it scores exactly 0 unless the attack worked.
Honest twins ship a real data file their code reads, and show a plain image.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .hostile_submissions import ASSIGNMENT, LOOPBACK_PORT, NOTEBOOK, WRONG, Case, _code

# The scratch-disk attack tries to write this many MiB (well past the hostile batch's cap).
SCRATCH_ATTEMPT_MB = 1024

# If a file had been copied through its link, these would run the solution's or the
# reference's own code; as they find nothing, the WRONG answer above them stays.
READS_LINKED_SOLUTIONS = (
    WRONG
    + """
import json, pathlib
for name in ("solutions.json", "notes.txt"):
    try:
        cells = json.loads(pathlib.Path(name).read_text())["cells"]
    except Exception as exc:
        print("no solutions in", name, type(exc).__name__)
        continue
    for c in cells:
        if "def frobenius_sq" in "".join(c["source"]):
            exec("".join(c["source"]))
"""
)
READS_LINKED_REFERENCE = (
    WRONG
    + """
import ast, pathlib
for name in ("reference/frobenius.py", "frobenius_reference.py"):
    try:
        tree = ast.parse(pathlib.Path(name).read_text())
    except Exception as exc:
        print("no reference in", name, type(exc).__name__)
        continue
    found = [n for n in tree.body if getattr(n, "name", "") == "frobenius_sq"]
    exec(compile(ast.Module(found, []), name, "exec"))
"""
)
FILLS_SCRATCH = _code(f"""
written = 0
try:
    while written < {SCRATCH_ATTEMPT_MB}:
        with open(f"fill{{written}}.bin", "wb") as handle:
            for _ in range(32):
                handle.write(b"0" * 1024 * 1024)
                written += 1
except OSError as exc:
    print("the write failed:", type(exc).__name__)
print(f"wrote {{written}} MiB")
""")
CONNECTS_TO_LOOPBACK = _code(f"""
import socket
try:
    with socket.create_connection(("127.0.0.1", {LOOPBACK_PORT}), timeout=3) as conn:
        conn.sendall(b"a student was here")
    print("connected")
except OSError as exc:
    print("no connection:", type(exc).__name__)
""")
ACTIVE_OUTPUTS = _code("""
from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML("<script>window.PWNED = 'html'</script>"))
display(HTML('<img src=x onerror="window.PWNED = 1">'))
display(Javascript("window.PWNED = 'javascript'"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>window.PWNED = 3</script></svg>'))
display(Markdown("<script>window.PWNED = 'markdown'</script>"))
display({"application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "w"},
        raw=True)
""")
ACTIVE_MARKDOWN = """My derivation, with $a<b$.

<script>window.PWNED = 'answer'</script>
<img src=x onerror="window.PWNED = 2">
[click here](javascript:window.PWNED=4) and [this](  JaVa&#115;cript:window.PWNED=5)
"""
# What must not appear in a page made from the notebook: any of the payloads above, live (as
# text, escaped, they may and do appear).
LIVE_PAYLOADS = {
    "script": re.compile(r"<script[^>]*>\s*window\.PWNED", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=\s*[\"']?window\.PWNED", re.I),
    "script link": re.compile(r"<a[^>]*href\s*=\s*[\"']?\s*javascript:", re.I),
    "svg": re.compile(r"<svg|data:image/svg", re.I),
}
READS_DATA_FILE = """
import pathlib
import torch
SCALE = float(pathlib.Path("data/scale.txt").read_text())
def frobenius_sq(X):
    return SCALE * torch.trace(X.T @ X)
"""
SHOWS_AN_IMAGE = """
import io
import matplotlib.pyplot as plt
from IPython.display import Image, display
import torch
fig, ax = plt.subplots(figsize=(2, 2))
ax.plot([0, 1], [1, 0])
buffer = io.BytesIO()
fig.savefig(buffer, format="png")
display(Image(buffer.getvalue()))
def frobenius_sq(X):
    return torch.trace(X.T @ X)
"""

ATTACKS = [
    Case(
        "links_to_the_source_notebook",
        "cell_zero",
        READS_LINKED_SOLUTIONS,
        "is a link and was not copied",
        files="link_to_source",
    ),
    Case(
        "hard_links_the_source_notebook",
        "cell_zero",
        READS_LINKED_SOLUTIONS,
        "is a hard link",
        files="hard_link_to_source",
    ),
    Case(
        "links_to_the_reference_answers",
        "cell_zero",
        READS_LINKED_REFERENCE,
        "is a link and was not copied",
        files="link_to_reference",
    ),
    Case("links_to_the_gradebook", "cell_zero", WRONG, files="link_to_gradebook"),
    Case(
        "notebook_is_a_link_to_the_solutions",
        "zero",
        message="the notebook is a link",
        files="notebook_is_a_link",
    ),
    Case("ships_fifos_and_sockets", "cell_zero", WRONG, "is a FIFO", files="special"),
    Case("ships_an_oversized_file", "cell_zero", WRONG, "larger than", files="oversized"),
    Case("ships_too_many_files", "cell_zero", WRONG, "limit of", files="too_many"),
    Case(
        "ships_a_web_page",
        "cell_zero",
        WRONG,
        "a browser would run",
        # formgrader serves autograded/ on the instructor's origin: the link would open it there.
        written="See [my derivation](page.html) and ![plot](plot.svg).",
        files="web_page",
    ),
    Case("fills_the_scratch_disk", "cell_zero", FILLS_SCRATCH),
    Case("connects_to_loopback", "cell_zero", CONNECTS_TO_LOOPBACK),
    Case("shows_active_content", "cell_zero", ACTIVE_OUTPUTS, written=ACTIVE_MARKDOWN),
]
HONEST = [
    Case("reads_its_data_file", "full", READS_DATA_FILE, files="data_file"),
    Case("shows_an_image", "full", SHOWS_AN_IMAGE),
]
CASES = ATTACKS + HONEST


def place_files(case: Case, folder: Path, course_dir: Path, max_files: int, max_file_mb: int):
    """Put what `case` ships beside its notebook in its submission folder."""
    source = course_dir / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    reference = course_dir / "autograder" / "reference"
    if case.files == "link_to_source":
        (folder / "solutions.json").symlink_to(f"../../../source/{ASSIGNMENT}/{NOTEBOOK}.ipynb")
    elif case.files == "hard_link_to_source":
        os.link(source, folder / "notes.txt")
    elif case.files == "link_to_reference":
        (folder / "reference").symlink_to(reference)
        (folder / "frobenius_reference.py").symlink_to(reference / f"{NOTEBOOK}.py")
    elif case.files == "link_to_gradebook":
        (folder / "grades.csv").symlink_to("../../../gradebook.db")
        (folder / "more").mkdir()
        (folder / "more" / "grades.db").symlink_to(course_dir / "gradebook.db")
    elif case.files == "notebook_is_a_link":
        (folder / f"{NOTEBOOK}.ipynb").unlink()
        (folder / f"{NOTEBOOK}.ipynb").symlink_to(source)
    elif case.files == "special":
        os.mkfifo(folder / "data.fifo")
        os.mkfifo(folder / "timestamp.txt")  # nbgrader itself reads this one
        os.mknod(folder / "data.sock", stat.S_IFSOCK | 0o600)
    elif case.files == "oversized":
        (folder / "weights.bin").write_bytes(b"0" * ((max_file_mb + 1) * 1024 * 1024))
    elif case.files == "too_many":
        for i in range(max_files + 5):
            (folder / f"part{i:03d}.txt").write_text(str(i))
    elif case.files == "web_page":
        (folder / "page.html").write_text("<script>window.PWNED = 'page'</script>")
        (folder / "plot.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg"><script>window.PWNED = 1</script></svg>'
        )
    elif case.files == "data_file":
        (folder / "data").mkdir()
        (folder / "data" / "scale.txt").write_text("1.0\n")
