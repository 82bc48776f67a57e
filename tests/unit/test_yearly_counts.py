"""年度別件数の土台 (kasane.yearly_counts): each moment counted in its own fiscal year."""
from datetime import date, datetime, timezone

from kasane.yearly_counts import YearlyCounts


def test_yearly_counters_count_each_moment_in_its_fiscal_year_in_japan_time():
    class Counts(YearlyCounts):
        KEYS = ("plans_made", "visits")

    counts = Counts()
    # 2026-03-31 15:30 UTC is 2026-04-01 in Japan: 令和8年度 (2026).
    assert counts.add(datetime(2026, 3, 31, 15, 30, tzinfo=timezone.utc), "visits") == 2026
    assert counts.add(date(2026, 3, 31), "visits", 3) == 2025
    counts.add(date(2025, 4, 1), "plans_made")
    assert counts.of(2025) == {"fiscal_year": 2025, "plans_made": 1, "visits": 3}
    assert counts.of(2026) == {"fiscal_year": 2026, "plans_made": 0, "visits": 1}
