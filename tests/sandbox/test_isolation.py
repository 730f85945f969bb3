"""Two kernels graded at once cannot reach each other: not their files, not their processes,
not their sockets."""

import os
import uuid

import pytest

from tests.sandbox.conftest import CONFINED, processes_with, run, wait_until

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("kind", CONFINED)
def test_one_kernel_cannot_read_signal_or_connect_to_another(start_kernel, kind):
    one, other = start_kernel(kind), start_kernel(kind)
    token = f"d2lkit-neighbour-{uuid.uuid4().hex}"
    code = (
        "import subprocess, sys\n"
        "open('secret.txt', 'w').write('answers')\n"
        "sleeper = [sys.executable, '-c', 'import time; time.sleep(600)']\n"
        f"worker = subprocess.Popen([*sleeper, {token!r}])\n"
        "print('ready')\n"
    )
    assert run(other, code)[1].strip() == "ready"
    assert wait_until(lambda: len(processes_with(token)) == 1, timeout=5)
    host_pids = [*processes_with(token), other.km.provisioner.process.pid]
    sockets = sorted(str(p) for p in other._conn.glob("kernel-*"))
    assert sockets  # the other kernel's channels exist on the host
    places = [str(other.workdir / "secret.txt"), str(other.layout.inbox), str(other.private_dir)]
    probe = f"""
import os, signal, socket
tried = {{}}
for path in {places!r}:
    try:
        open(path).read() if path.endswith('.txt') else os.listdir(path)
        tried[path] = 'read'
    except OSError as exc:
        tried[path] = type(exc).__name__
for pid in {host_pids!r}:
    try:
        os.kill(pid, signal.SIGKILL)
        tried[pid] = 'signalled'
    except OSError as exc:
        tried[pid] = type(exc).__name__
for path in {sockets!r}:
    client = socket.socket(socket.AF_UNIX)
    try:
        client.connect(path)
        tried[path] = 'connected'
    except OSError as exc:
        tried[path] = type(exc).__name__
seen = [p for p in os.listdir('/proc') if p.isdigit()
        and {token!r}.encode() in open(f'/proc/{{p}}/cmdline', 'rb').read()]
print(tried)
print(seen)
"""
    result, text = run(one, probe)
    tried, seen = (eval(line) for line in text.strip().splitlines())
    assert result.status == "ok"
    assert not {k: v for k, v in tried.items() if v in ("read", "signalled", "connected")}, tried
    assert seen == []
    # The other kernel and its process are untouched.
    assert run(other, "print(open('secret.txt').read())")[1].strip() == "answers"
    assert processes_with(token)
    assert os.path.exists(sockets[0])
