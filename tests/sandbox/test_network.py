"""The kernel reaches no network, not even the host's loopback; the grader still talks to it."""

import socket

import pytest

from tests.sandbox.conftest import CONFINED, run

pytestmark = pytest.mark.slow


@pytest.fixture
def host_port():
    """A TCP port listening on the host's 127.0.0.1, as a gradebook server or Jupyter would."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(1.0)
    yield server
    server.close()


@pytest.mark.parametrize("kind", CONFINED)
def test_a_port_on_the_hosts_loopback_is_unreachable_from_the_kernel(
    shared_kernel, kind, host_port
):
    kernel = shared_kernel(kind)
    port = host_port.getsockname()[1]
    code = (
        "import socket\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=3)\n"
        "    print('connected')\n"
        "except OSError as exc:\n"
        "    print('refused', type(exc).__name__)\n"
    )
    result, text = run(kernel, code)
    assert result.status == "ok" and text.startswith("refused"), text
    with pytest.raises(TimeoutError):
        host_port.accept()  # nothing ever arrived


@pytest.mark.parametrize("kind", CONFINED)
def test_the_kernel_has_no_network_interface_but_its_own_loopback(shared_kernel, kind):
    kernel = shared_kernel(kind)
    code = (
        "import socket\n"
        "print(sorted(name for _, name in socket.if_nameindex()))\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=3)\n"
        "except OSError as exc:\n"
        "    print('unreachable')\n"
    )
    _, text = run(kernel, code)
    assert text.split("\n")[:2] == ["['lo']", "unreachable"]


@pytest.mark.parametrize("kind", CONFINED)
def test_the_grader_talks_to_the_kernel_over_unix_sockets(shared_kernel, kind):
    kernel = shared_kernel(kind)
    assert kernel.km.transport == "ipc"
    assert run(kernel, "print(6 * 7)")[1].strip() == "42"
