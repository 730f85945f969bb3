"""One spare student kernel, started ahead of time so the next notebook need not wait.

nbgrader grades notebooks one after another in one process. While a notebook is graded, a
fresh kernel for the next one starts in the background and imports what every notebook of
this course imports (torch, the kit, matplotlib, and the compiler stack that torch.optim
loads on first use), so the next notebook gets a ready kernel. The spare has no submission
yet: its files are copied in when it is handed out. Left unused, it is shut down at exit.
"""

from __future__ import annotations

import atexit
import threading

from autograder.config import Limits
from autograder.kernel import StudentKernel

WARM_UP = "import torch, d2lkit, torch._dynamo, matplotlib.pyplot\n"


class SpareKernel:
    def __init__(self):
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._kernel: StudentKernel | None = None
        self._limits: Limits | None = None

    def prepare(self, limits: Limits) -> None:
        """Start a spare in the background, unless one is already there or on its way."""
        with self._lock:
            if self._thread is not None or self._kernel is not None:
                return
            self._limits = limits
            self._thread = threading.Thread(target=self._start, args=(limits,), daemon=True)
            self._thread.start()

    def _start(self, limits: Limits) -> None:
        kernel = StudentKernel(limits)
        try:
            kernel.start(warm_up=WARM_UP)
        except Exception:
            kernel.close()
            kernel = None
        with self._lock:
            self._kernel = kernel

    def take(self, limits: Limits) -> StudentKernel:
        """A started kernel: the spare if it is ready and fits, otherwise a new one."""
        thread = self._thread
        if thread is not None:
            thread.join()
        with self._lock:
            kernel, self._kernel, self._thread = self._kernel, None, None
            fits = self._limits == limits
        if kernel is not None and fits and kernel.alive:
            return kernel
        if kernel is not None:
            kernel.close()
        kernel = StudentKernel(limits)
        kernel.start(warm_up=WARM_UP)
        return kernel

    def close(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._kernel is not None:
            self._kernel.close()
            self._kernel = None


SPARE = SpareKernel()
atexit.register(SPARE.close)
