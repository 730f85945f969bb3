"""Real-browser fixtures: Debian's Chromium driven by Playwright, screenshots kept for people.

The browser is the OS package (`/usr/bin/chromium`), started through Playwright's
`executable_path`, so nothing is downloaded at run time. Where either part is missing the
tests skip and say which one to install.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Headless, no GPU, no network chatter of its own: the page under test is the only traffic.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots outlive pytest's temporary folders (only the last three runs are kept there).
SCREENSHOT_ROOT = Path(__file__).resolve().parents[2] / "build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 30_000
LAB_START_TIMEOUT_S = 60
# JupyterLab settings for a quiet, predictable page: no news prompt, every cell in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}

# The session's screenshot folders, listed at the end of the run.
SCREENSHOT_DIRS = pytest.StashKey[list]()


def pytest_collection_modifyitems(config, items):
    """Every browser test starts a browser (and most a Jupyter server): all of them are slow."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so the page fixture can tell a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def pytest_terminal_summary(terminalreporter, config):
    folders = config.stash.get(SCREENSHOT_DIRS, [])
    if folders:
        terminalreporter.write_sep("-", "browser screenshots")
        for folder in folders:
            if any(folder.iterdir()):
                terminalreporter.write_line(str(folder))


@pytest.fixture(scope="session")
def chromium_executable():
    """The OS's Chromium, or a skip that names the package to install."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"chromium is not installed ({CHROMIUM} missing): `apt-get install chromium`, "
            "or `make install` as root"
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def playwright_driver():
    """One Playwright driver per test module; browsers are launched per test.

    Module scope: the driver's event loop is gone before tests elsewhere run their own.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: `pip install -e '.[dev]'`")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def screenshot_dir(request):
    """A folder for this test's screenshots under build/screenshots/, printed for people."""
    folder = SCREENSHOT_ROOT / request.node.name.replace("/", "_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    request.config.stash.setdefault(SCREENSHOT_DIRS, []).append(folder)
    print(f"screenshots: {folder}")
    return folder


@pytest.fixture
def browser_page(request, chromium_executable, playwright_driver, screenshot_dir, tmp_path):
    """A Playwright page in a fresh Chromium with its own user-data folder.

    On a failed test the page's last state is saved as failure.png beside its screenshots.
    """
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"),
        executable_path=str(chromium_executable),
        headless=True,
        args=CHROMIUM_FLAGS,
        viewport=VIEWPORT,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.pages[0] if context.pages else context.new_page()
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            try:
                page.screenshot(path=str(screenshot_dir / "failure.png"), full_page=True)
            except Exception as error:  # the page may be gone; the test's own failure matters
                print(f"no failure screenshot: {error}")
        context.close()


@dataclass(frozen=True)
class LabServer:
    """A running `jupyter lab` on a loopback port; `url(path)` carries its token."""

    base: str
    token: str
    root: Path
    log: Path

    def url(self, path=""):
        separator = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{separator}token={self.token}"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(process, server, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited early:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url("api/status"), timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"jupyter lab did not answer in time:\n{server.log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """Start `jupyter lab` servers for this module: `lab_server(root, env=None)` -> LabServer.

    Each server has its own token, settings, workspace and runtime folders under a temporary
    directory, the venv's Jupyter extensions (nbgrader's among them), and `root` as both its
    working and root directory, as when a student or instructor runs `jupyter lab` there.
    `env` adds to (or with None values, removes from) the test's environment.
    """
    started = []

    def start(root, env=None):
        home = tmp_path_factory.mktemp("jupyter")
        settings = home / "settings"
        for name, values in LAB_SETTINGS.items():
            target = settings / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        server_env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        for key, value in (env or {}).items():
            if value is None:
                server_env.pop(key, None)
            else:
                server_env[key] = value
        port, token = _free_port(), secrets.token_hex(16)
        server = LabServer(f"http://127.0.0.1:{port}", token, Path(root), home / "lab.log")
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
        ]
        if os.geteuid() == 0:  # CI containers run as root; Jupyter refuses that unless told
            command.append("--allow-root")
        with server.log.open("w") as log:
            process = subprocess.Popen(
                command, cwd=root, env=server_env, stdout=log, stderr=subprocess.STDOUT
            )
        started.append(process)
        _wait_until_up(process, server, time.monotonic() + LAB_START_TIMEOUT_S)
        return server

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
