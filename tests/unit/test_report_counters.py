"""The counters a city profile's KPI row may name (kasane_contracts.vocabulary.REPORT_COUNTERS)
are exactly those each business line's progress-report view counts."""
import importlib

import pytest

from kasane_contracts.vocabulary import REPORT_COUNTERS


@pytest.mark.parametrize("line", sorted(REPORT_COUNTERS))
def test_the_vocabulary_names_exactly_the_counters_the_business_line_counts(line):
    tally = importlib.import_module(f"{line}.views.report").report_tally()
    assert set(tally.keys) == set(REPORT_COUNTERS[line])
