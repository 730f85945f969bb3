"""The kernel's writable space is capped tmpfs: writing past the cap fails inside the kernel,
the host's disk is not written, and the submission's data files are still there to read."""

import pytest

from tests.sandbox.conftest import CONFINED, run

pytestmark = pytest.mark.slow

FILL = (
    "import errno, os\n"
    "def fill(path, mib):\n"
    "    written = 0\n"
    "    try:\n"
    "        for i in range(mib):\n"
    "            with open(os.path.join(path, f'fill{{i}}'), 'wb') as handle:\n"
    "                handle.write(b'x' * 2**20)\n"
    "            written += 1\n"
    "    except OSError as exc:\n"
    "        return written, errno.errorcode.get(exc.errno)\n"
    "    return written, None\n"
    "print(fill({path!r}, {mib}))\n"
)


def host_bytes(folder) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def submission(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "data.csv").write_text("x,y\n1,2\n")
    (folder / "extra").mkdir()
    (folder / "extra" / "more.txt").write_text("more")
    return folder


@pytest.mark.parametrize("kind", CONFINED)
@pytest.mark.parametrize("where", [".", "/tmp", "/dev/shm"])
def test_writing_past_the_scratch_cap_fails_inside_the_kernel(shared_kernel, kind, where, limits):
    kernel = shared_kernel(kind)
    before = host_bytes(kernel.private_dir)
    result, text = run(kernel, FILL.format(path=where, mib=4 * limits.scratch_mb))
    written, error = eval(text)
    assert result.status == "ok" and error == "ENOSPC"
    assert written <= limits.scratch_mb
    assert host_bytes(kernel.private_dir) == before  # nothing reached the host's disk
    # The kernel is fine afterwards and can free its space.
    _, text = run(
        kernel,
        f"import glob, os\nfor f in glob.glob({where!r} + '/fill*'): os.remove(f)\nprint('ok')",
    )
    assert text.strip() == "ok"


@pytest.mark.parametrize("kind", CONFINED)
def test_the_submissions_files_are_in_the_working_folder_and_writable(
    start_kernel, kind, submission
):
    kernel = start_kernel(kind, submission)
    code = (
        "import os\n"
        "print(sorted(os.listdir('.')), open('extra/more.txt').read())\n"
        "open('data.csv', 'a').write('3,4\\n')\n"
        "print(open('data.csv').read().count('\\n'))\n"
    )
    result, text = run(kernel, code)
    assert result.status == "ok"
    assert text.splitlines() == ["['data.csv', 'extra'] more", "3"]
    # The student's change stayed in the sandbox; the staged copy on the host is untouched.
    assert (kernel.workdir / "data.csv").read_text() == "x,y\n1,2\n"


@pytest.mark.parametrize("kind", CONFINED)
def test_a_restarted_kernel_gets_the_submissions_files_again(start_kernel, kind, submission):
    kernel = start_kernel(kind, submission)
    run(kernel, "import os; os.remove('data.csv')")
    kernel.restart()
    assert run(kernel, "import os; print(os.path.exists('data.csv'))")[1].strip() == "True"


@pytest.mark.parametrize("kind", CONFINED)
def test_the_root_of_the_sandbox_and_the_socket_folder_are_not_writable(shared_kernel, kind):
    kernel = shared_kernel(kind)
    code = (
        "import os\n"
        f"for path in ['/stray', '/usr/stray', {str(kernel._conn)!r} + '/stray']:\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        print('wrote', path)\n"
        "    except OSError as exc:\n"
        "        print('refused')\n"
    )
    _, text = run(kernel, code)
    lines = text.split()
    if kind == "user":  # the kernel owns its socket folder there (a known limit of user mode)
        lines = lines[:2]
    assert lines and set(lines) == {"refused"}, text
