"""One spare student kernel, started ahead of time so the next notebook need not wait.

nbgrader grades notebooks one after another in one process. While a notebook is graded, a
fresh kernel for the next one starts in the background and imports what every notebook of
this course imports (torch and the kit), so the next notebook gets a ready kernel. The spare
has no submission yet: its files are copied in when it is handed out. Left unused, it is
shut down at exit.
"""

from __future__ import annotations

import atexit
import queue
import shutil
import threading

from autograder.config import Limits
from autograder.sandbox.kernel import StudentKernel

# What every notebook imports first, and one torch thread per kernel (N kernels share N cores).
# The compiler stack that torch.optim loads on its first use (seconds of imports) is loaded by
# a background thread, so a notebook that trains finds it ready and one that does not need not
# wait for it. No name is left behind: a notebook that forgets an import fails here as it
# does on the student's machine. (pyplot is left to the notebooks: importing it here made the
# spare late more often than it saved.)
WARM_UP = (
    "import importlib as _il, threading as _th\n"
    "import d2lkit as _kit, torch as _torch\n"
    "_torch.set_num_threads(1)\n"
    "_th.Thread(target=_il.import_module, args=('torch._dynamo',), daemon=True).start()\n"
    "del _il, _th, _kit, _torch\n"
)


class SpareKernel:
    def __init__(self):
        self._lock = threading.Lock()
        self._requests: queue.Queue[Limits] = queue.Queue()
        self._ready = threading.Event()
        self._ready.set()  # nothing under way
        self._kernel: StudentKernel | None = None
        self._starting: StudentKernel | None = None
        self._limits: Limits | None = None
        self._worker: threading.Thread | None = None

    def prepare(self, limits: Limits) -> None:
        """Start a spare in the background, unless one is already there or on its way."""
        with self._lock:
            if self._kernel is not None or not self._ready.is_set():
                return
            if self._worker is None:
                # One long-lived thread starts every spare: the sandbox ties a kernel's life
                # to the thread that launched it, so that thread must outlive the kernel.
                self._worker = threading.Thread(target=self._serve, daemon=True)
                self._worker.start()
            self._ready.clear()
            self._limits = limits
            self._requests.put(limits)

    def _serve(self) -> None:
        while True:
            limits = self._requests.get()
            kernel = StudentKernel(limits)
            with self._lock:
                self._starting = kernel
            try:
                kernel.start(warm_up=WARM_UP)
            except Exception:  # take() starts one in the foreground and reports the cause
                kernel.close()
                kernel = None
            with self._lock:
                self._kernel, self._starting = kernel, None
            self._ready.set()

    def take(self, limits: Limits) -> StudentKernel:
        """A started kernel: the spare if it is ready and fits, otherwise a new one.
        Raises KernelStartError when a new one cannot start."""
        self._ready.wait()
        with self._lock:
            kernel, self._kernel = self._kernel, None
            fits = self._limits == limits
        if kernel is not None and fits and kernel.alive:
            return kernel
        if kernel is not None:
            kernel.close()
        kernel = StudentKernel(limits)
        try:
            kernel.start(warm_up=WARM_UP)
        except BaseException:
            kernel.close()  # no folder or process is left behind
            raise
        return kernel

    def close(self) -> None:
        """At exit: stop a ready spare; one still starting dies with this process (its
        sandbox is tied to it), so only its scratch folder needs removing, without waiting."""
        with self._lock:
            kernel, starting, self._kernel = self._kernel, self._starting, None
        if kernel is not None:
            kernel.close()
        if starting is not None:
            shutil.rmtree(starting.private_dir, ignore_errors=True)


SPARE = SpareKernel()
atexit.register(SPARE.close)
