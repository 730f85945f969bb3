"""Runs a kernel and ends every process it started, daemons included, when the kernel ends.

Used in limits mode, where no PID namespace holds the kernel's processes together. This
process makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so a process that the
kernel's children leave behind (a double fork, a setsid daemon) is re-parented to it rather
than to init, and stays in its tree. When the kernel exits, when the grader asks (SIGTERM) or
when the grader dies (parent-death signal), it kills its whole tree until none is left.

Run as a script (`python reaper.py COMMAND...`): it is self-contained, standard library only.
A kernel running as the same user could still kill this process first; that is one of the
reasons limits mode needs the instructor's consent.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


class _Stop(Exception):
    pass


def _stop(signum, frame):
    raise _Stop


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def end_all(rounds: int = 200) -> None:
    """Kill every descendant, again and again, until none is left (a killed process cannot
    fork, so each round can only find processes forked before it)."""
    for _ in range(rounds):
        found = _descendants(os.getpid())
        if not found:
            return
        for pid in found:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        _reap()
        time.sleep(0.005)


def main(command: list[str]) -> int:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    status = 1
    try:
        if os.getppid() == 1:  # the grader died before the signal was armed
            return status
        kernel = subprocess.Popen(command)
        while True:
            pid, code = os.waitpid(-1, 0)
            if pid == kernel.pid:
                status = os.waitstatus_to_exitcode(code)
                break
    except (_Stop, ChildProcessError):
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        end_all()
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
