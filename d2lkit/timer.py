"""Wall-clock timer for comparing implementations (D2L 3.1)."""

import time

__all__ = ["Timer"]


class Timer:
    """Record the durations of several runs; starts on creation."""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """Start (or restart) the clock."""
        # perf_counter is monotonic, so a clock adjustment cannot produce negative durations.
        self.tik = time.perf_counter()

    def stop(self):
        """Stop the clock, record the duration and return it in seconds."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self):
        """Mean of the recorded durations."""
        if not self.times:
            raise ValueError("Timer.avg(): no duration recorded yet; call stop() first")
        return sum(self.times) / len(self.times)

    def sum(self):
        """Total of the recorded durations."""
        return sum(self.times)

    def cumsum(self):
        """Running totals of the recorded durations, as a list."""
        totals, running = [], 0.0
        for t in self.times:
            running += t
            totals.append(running)
        return totals
