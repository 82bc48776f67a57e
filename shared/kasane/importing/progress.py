"""進捗表示 — rows done, rows/s and time left, on one line redrawn in place on a terminal (a
line every tenth of the way elsewhere, so a log is not flooded)."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, done: int = 0, stream=None, clock=time.monotonic):
        self.total, self.start_done, self.done = total, done, done
        self.stream = stream or sys.stderr
        self.clock, self.started = clock, clock()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._drawn_at, self._tenth = 0.0, done * 10 // max(total, 1)

    def advance(self, rows: int) -> None:
        self.done += rows
        moment = self.clock()
        tenth = self.done * 10 // max(self.total, 1)
        if (self.tty and moment - self._drawn_at >= 0.2) or (not self.tty and tenth > self._tenth):
            self._drawn_at, self._tenth = moment, tenth
            self.stream.write(("\r" if self.tty else "") + self.line() + ("" if self.tty else "\n"))
            self.stream.flush()

    def rate(self) -> float:
        elapsed = self.clock() - self.started
        return (self.done - self.start_done) / elapsed if elapsed > 0 else 0.0

    def line(self) -> str:
        rate, width = self.rate(), 30
        filled = width * self.done // max(self.total, 1)
        left = (self.total - self.done) / rate if rate else None
        eta = f"残り {int(left // 60)}:{int(left % 60):02d}" if left is not None else "残り --:--"
        return (f"[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,} 行 "
                f"{rate:,.0f} 行/秒 {eta}")

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.line() + "\n")
            self.stream.flush()
