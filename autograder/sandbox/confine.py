"""How a student's kernel is confined while it is graded.

The kernel command is wrapped, from the outside in, by:
- bubblewrap (`bwrap`): a private mount namespace that shows only the system directories,
  the Python installation, the virtual environment and the installed kit (all read-only), a
  small private /tmp, and the student's own scratch folder (writable). The course files
  (source/, autograder/, course.toml, the gradebook) and other students' folders do not exist
  in there. New PID, IPC and UTS namespaces; the sandbox dies with the grader.
- `prlimit`: POSIX resource limits on address space, file size and (as root) processes.
- `setpriv` (when the grader runs as root): the kernel runs as the unprivileged user `nobody`
  with no capabilities and no_new_privs, so the process limit applies and it can signal no
  other process.
Without root, bwrap uses an unprivileged user namespace instead of `nobody`, and the process
limit is left off (it would count the instructor's own processes). Without bwrap, only the
resource limits apply; `describe()` says which protection is in force.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from autograder.config import Limits

NOBODY = 65534
TMP_SIZE = 256 * 1024 * 1024


@cache
def mode() -> str:
    """'root' (bwrap + nobody), 'user' (bwrap + user namespace) or 'limits' (no bwrap)."""
    if shutil.which("bwrap") is None or shutil.which("prlimit") is None:
        return "limits"
    if os.geteuid() == 0 and shutil.which("setpriv"):
        probe = ["bwrap", "--ro-bind", "/", "/", "--unshare-pid", "true"]
        kind = "root"
    else:
        probe = ["bwrap", "--ro-bind", "/", "/", "--unshare-user", "--unshare-pid", "true"]
        kind = "user"
    try:
        ok = subprocess.run(probe, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return kind if ok else "limits"


def describe() -> str:
    return {
        "root": "bubblewrap, user nobody, limits on memory, processes and file size",
        "user": "bubblewrap in a user namespace, limits on memory and file size",
        "limits": "resource limits only (install bubblewrap for file-system isolation)",
    }[mode()]


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


def wrap(command: list[str], workdir: Path, readonly: list[Path], limits: Limits) -> list[str]:
    """The full command line that runs `command` confined, with `workdir` writable."""
    rlimits = [
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--fsize={limits.max_file_mb * 1024 * 1024}",
        "--core=0",
    ]
    kind = mode()
    if kind == "root":
        rlimits.append(f"--nproc={limits.max_processes}")
    limited = ["prlimit", *rlimits, "--", *command]
    if kind == "limits":
        return limited

    ro = sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix), *readonly})
    args = ["bwrap", *_system_mounts(), "--size", str(TMP_SIZE), "--tmpfs", "/tmp"]
    args += _with_parents([*ro, workdir])
    for path in ro:
        args += ["--ro-bind", str(path), str(path)]
    args += ["--bind", str(workdir), str(workdir), "--dev", "/dev", "--proc", "/proc"]
    args += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent"]
    # In the new PID namespace the kernel's parent is PID 1, which ipykernel would take for
    # "my parent died"; --die-with-parent already ties the kernel's life to the grader's.
    args += ["--chdir", str(workdir), "--unsetenv", "JPY_PARENT_PID"]
    if kind == "user":
        args += ["--unshare-user", "--disable-userns", "--", *limited]
        return args
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


def hand_over(*paths: Path) -> None:
    """Give files and folders to the sandboxed user (as root; otherwise they are ours already)."""
    if mode() == "root":
        for path in paths:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)


def prepare_workdir(workdir: Path) -> None:
    """Let the sandboxed user write in its scratch folder (and nowhere else)."""
    hand_over(workdir, *workdir.rglob("*"))
