"""Exponential backoff for reconnecting and retrying after infrastructure failures."""


class Backoff:
    """Exponential backoff from 0.2 s to 15 s."""

    def __init__(self, first: float = 0.2, ceiling: float = 15.0):
        self.first, self.ceiling, self.current = first, ceiling, 0.0

    def next(self) -> float:
        self.current = min(self.ceiling, self.current * 2 if self.current else self.first)
        return self.current

    def reset(self) -> None:
        self.current = 0.0
