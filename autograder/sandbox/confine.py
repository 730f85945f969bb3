"""How a student's kernel is confined while it is graded.

The kernel command is wrapped, from the outside in, by:
- bubblewrap (`bwrap`): a private mount namespace that shows only the system directories,
  the Python installation, the virtual environment and the installed kit (all read-only), the
  submission's files (read-only, copied into the working folder by the kernel), a working
  folder, /tmp and /dev/shm that are size-capped tmpfs (writing past the cap fails with ENOSPC
  inside the kernel; the host's disk is never written), and the folder of the kernel's Unix
  sockets. The course files (source/, autograder/, course.toml, the gradebook) and other
  students' folders do not exist in there. New network namespace (no interface but an empty
  loopback: the kernel reaches nothing, not even the host's 127.0.0.1; the grader talks to it
  over Unix sockets), new PID, IPC and UTS namespaces, its own session; everything in the
  sandbox dies with the sandbox's first process, which dies with the grader.
- `prlimit`: POSIX resource limits on address space, file size and (as root) processes.
- `setpriv` (when the grader runs as root): the kernel runs as the unprivileged user `nobody`
  with no capabilities and no_new_privs, so the process limit applies and it can signal no
  other process.
Without root, bwrap uses an unprivileged user namespace instead of `nobody`, and the process
limit is left off (it would count the instructor's own processes). Without bwrap ("limits"
mode), only the resource limits and a process reaper (autograder/sandbox/reaper.py) apply: the
kernel could read the course and use the network, so grading refuses that mode unless the
instructor opts in (`unconfined_allowed`).

Which mode is used is decided once per process by running the real command line (`wrap`) on a
trivial command: a bwrap that rejects any option of it is not used.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from autograder.config import Limits

NOBODY = 65534
MODES = ("root", "user", "limits")
# /dev/shm is only for POSIX semaphores and shared memory (multiprocessing); a small cap.
SHM_MB = 64
# Where the kernel's home (matplotlib, IPython and Jupyter settings) lives inside the sandbox.
SANDBOX_HOME = Path("/tmp/home")
REAPER = Path(__file__).resolve().parent / "reaper.py"
UNCONFINED_ENV = "D2LKIT_ALLOW_UNCONFINED"
PROBE_TIMEOUT = 30


class SandboxUnavailable(RuntimeError):
    """Student code cannot be confined here as required; the message says why and what to do."""


@dataclass(frozen=True)
class Layout:
    """The private folders of one kernel, under `root` (a fresh folder only the grader reads).

    The same paths are used on the host and inside the sandbox, so the kernel and the grader
    agree on the socket paths, and paths in a student's traceback are the ones on the host."""

    root: Path

    @property
    def workdir(self) -> Path:
        """On the host: where the submission's files are put. In the sandbox: the kernel's
        working folder, a capped tmpfs into which the kernel copies them from `inbox`."""
        return self.root / "work"

    @property
    def inbox(self) -> Path:
        """In the sandbox: the host's `workdir`, read-only."""
        return self.root / "submitted"

    def conn(self, start: int) -> Path:
        """The folder of the kernel's Unix sockets and connection file, new for every start so
        that nothing a previous kernel left there can disturb the next."""
        return self.root / f"conn-{start}"

    def home(self, kind: str) -> Path:
        return self.root / "home" if kind == "limits" else SANDBOX_HOME


def unconfined_allowed(flag: bool = False) -> bool:
    """Whether the instructor accepts grading without bubblewrap: by a flag of the entry point
    (`--GradeInSandbox.allow_unconfined=True` for nbgrader) or D2LKIT_ALLOW_UNCONFINED=1."""
    return flag or os.environ.get(UNCONFINED_ENV, "") == "1"


@cache
def _probed() -> tuple[str, str]:
    """(mode, why the stronger modes were not usable); probed once per process."""
    if shutil.which("prlimit") is None:
        return "limits", "prlimit (util-linux) is not installed"
    if shutil.which("bwrap") is None:
        return "limits", "bubblewrap (bwrap) is not installed"
    candidates = ["root", "user"] if os.geteuid() == 0 and shutil.which("setpriv") else ["user"]
    reasons = []
    for kind in candidates:
        failure = probe(kind)
        if not failure:
            return kind, ""
        reasons.append(f"{kind} mode: {failure}")
    return "limits", "; ".join(reasons)


def mode() -> str:
    """'root' (bwrap + nobody), 'user' (bwrap + user namespace) or 'limits' (no bwrap)."""
    return _probed()[0]


def fallback_reason() -> str:
    """Why bubblewrap is not used ('' when it is)."""
    return _probed()[1]


def probe(kind: str, limits: Limits | None = None) -> str:
    """Run a trivial command through the real command line of `kind`; '' if it worked,
    otherwise what went wrong (bubblewrap's own message)."""
    root = Path(tempfile.mkdtemp(prefix="d2lkit-probe-"))
    try:
        layout = Layout(root)
        conn = layout.conn(0)
        for folder in (layout.workdir, conn, layout.home(kind)):
            folder.mkdir(parents=True, exist_ok=True)
        hand_over(kind, layout.workdir, conn)
        command = [sys.executable, "-c", "import os; os.listdir('.')"]
        try:
            done = subprocess.run(
                wrap(command, layout, conn, [], limits or Limits(), kind),
                cwd=layout.workdir,
                capture_output=True,
                timeout=PROBE_TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return f"{type(exc).__name__}: {exc}"
        if done.returncode == 0:
            return ""
        said = done.stderr.decode(errors="replace").strip().splitlines()
        return f"exit status {done.returncode}" + (f" ({said[-1][:300]})" if said else "")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def describe(kind: str | None = None, limits: Limits | None = None) -> str:
    """Which protections are in force, in one line (for logs and the demo)."""
    kind = kind or mode()
    limits = limits or Limits()
    caps = f"memory {limits.memory_mb} MiB, file size {limits.max_file_mb} MiB"
    if kind == "root":
        caps += f", processes {limits.max_processes}"
    sandbox = (
        "bubblewrap: private file system without the course, no network (not even loopback), "
        f"private PID/IPC namespaces, scratch capped at {limits.scratch_mb} MiB"
    )
    if kind == "root":
        return f"{sandbox}; user nobody without capabilities; limits on {caps}"
    if kind == "user":
        return f"{sandbox}, in a user namespace; limits on {caps} (no process limit)"
    return (
        f"NOT CONFINED: resource limits only ({caps}) and a process reaper; the kernel can "
        "read the course files, use the network and write to the grading host's disk"
        + (f" [bubblewrap unusable: {fallback_reason()}]" if fallback_reason() else "")
    )


def require_confinement(kind: str, allow_unconfined: bool = False) -> None:
    """Refuse limits-only grading unless the instructor opted in."""
    if kind == "limits" and not unconfined_allowed(allow_unconfined):
        raise SandboxUnavailable(
            "student code cannot be confined on this machine ("
            + (fallback_reason() or "bubblewrap is not in use")
            + "): it could read the course files, the reference answers and the gradebook. "
            "Install bubblewrap, or accept the risk with --GradeInSandbox.allow_unconfined=True "
            f"(nbgrader) or {UNCONFINED_ENV}=1."
        )


def kit_location() -> Path | None:
    """Where the installed kit's package lives (an editable install points into the repo)."""
    spec = importlib.util.find_spec("d2lkit")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def _system_mounts() -> list[str]:
    args = []
    for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return [*args, "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]


def _with_parents(paths: list[Path]) -> list[str]:
    """bwrap creates missing parent directories as 0700, which `nobody` cannot enter;
    create them first as 0755 (mount points only: nothing else of theirs is visible)."""
    seen, args = {Path("/"), Path("/tmp")}, []
    for path in paths:
        for parent in reversed(path.parents):
            if parent not in seen:
                seen.add(parent)
                args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _tmpfs(path: Path | str, mb: int, perms: str) -> list[str]:
    return ["--perms", perms, "--size", str(mb * 1024 * 1024), "--tmpfs", str(path)]


def wrap(
    command: list[str],
    layout: Layout,
    conn: Path,
    readonly: list[Path],
    limits: Limits,
    kind: str | None = None,
) -> list[str]:
    """The full command line that runs `command` confined in `kind` mode (default: `mode()`)."""
    kind = kind or mode()
    rlimits = [
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--fsize={limits.max_file_mb * 1024 * 1024}",
        "--core=0",
    ]
    if kind == "root":
        rlimits.append(f"--nproc={limits.max_processes}")
    if kind == "limits":
        # No namespaces: the reaper keeps every process the kernel starts in its own tree.
        return ["prlimit", *rlimits, "--", sys.executable, str(REAPER), *command]

    ro = sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix), *readonly})
    workdir, scratch = layout.workdir, limits.scratch_mb
    args = ["bwrap", *_system_mounts(), *_tmpfs("/tmp", scratch, "1777")]
    args += _with_parents([*ro, workdir, layout.inbox, conn])
    for path in ro:
        args += ["--ro-bind", str(path), str(path)]
    # The submission's files, read-only; the kernel copies them into its capped working folder.
    args += ["--ro-bind", str(workdir), str(layout.inbox), *_tmpfs(workdir, scratch, "0777")]
    args += ["--bind", str(conn), str(conn), "--perms", "0777", "--dir", str(SANDBOX_HOME)]
    args += ["--dev", "/dev", *_tmpfs("/dev/shm", min(SHM_MB, scratch), "1777")]
    # Everything else bwrap made (its root and mount points) becomes read-only.
    args += ["--proc", "/proc", "--remount-ro", "/"]
    args += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net"]
    args += ["--new-session", "--die-with-parent"]
    # In the new PID namespace the kernel's parent is PID 1, which ipykernel would take for
    # "my parent died"; --die-with-parent already ties the kernel's life to the grader's.
    args += ["--chdir", str(workdir), "--unsetenv", "JPY_PARENT_PID"]
    if kind == "user":
        args += ["--unshare-user", "--disable-userns"]
        return [*args, "--", "prlimit", *rlimits, "--", *command]
    drop = [
        "setpriv",
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        "--no-new-privs",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
    ]
    return [*args, "--", "prlimit", *rlimits, "--", *drop, *command]


def hand_over(kind: str, *paths: Path) -> None:
    """Give files and folders to the sandboxed user (as root; otherwise they are ours already)."""
    if kind == "root":
        for path in paths:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


def take_back(kind: str, path: Path) -> None:
    """Once the kernel has made its sockets, its socket folder is no longer its to write in:
    nothing it writes there could reach the host's disk. (In user and limits modes the kernel
    runs as the folder's owner and could undo this.)"""
    if kind == "root":
        os.chown(path, 0, 0, follow_symlinks=False)
    os.chmod(path, 0o555 if kind != "root" else 0o755)


def prepare_workdir(workdir: Path, kind: str | None = None) -> None:
    """Let the sandboxed user read (and, in limits mode, write) its files."""
    hand_over(kind or mode(), workdir, *workdir.rglob("*"))
