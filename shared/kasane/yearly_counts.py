"""年度別件数の土台 — what every business line's yearly counts share: counters per fiscal year
(年度), each event counted on its own day in Japan time (kasane.fiscal_year), and the answer of
one year. An in-process view, fed from the instance's own log (kasane.store.log_follower)."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, ClassVar

from kasane.fiscal_year import fiscal_year_of


class YearlyCounts:
    """`KEYS` are the counters `of(fiscal_year)` answers, in order; a business line's `apply(e)`
    counts each event (`add`) and its `of` adds its breakdowns."""

    KEYS: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.counts: dict[int, Counter] = defaultdict(Counter)

    def add(self, moment: Any, key: str, n: int = 1) -> int:
        """Add `n` to `key` in the fiscal year of `moment`; answers that fiscal year."""
        fiscal_year = fiscal_year_of(moment)
        self.counts[fiscal_year][key] += n
        return fiscal_year

    def of(self, fiscal_year: int) -> dict:
        return {"fiscal_year": fiscal_year, **{key: self.counts[fiscal_year][key] for key in self.KEYS}}
