"""A text progress bar for long commands (seeding, ingestion)."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """Draws ``[#####-----]  42%  step`` on one terminal line (plain lines when not a TTY)."""

    def __init__(self, width: int = 30) -> None:
        self.width = width
        self.started = time.perf_counter()
        self.last_step = ""
        self.tty = sys.stderr.isatty()

    def __call__(self, step: str, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        filled = round(self.width * fraction)
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.perf_counter() - self.started
        line = f"[{bar}] {fraction:4.0%} {elapsed:5.1f}s  {step}"
        if self.tty:
            sys.stderr.write("\r\033[K" + line)
            if fraction >= 1.0:
                sys.stderr.write("\n")
        elif step != self.last_step:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        self.last_step = step
