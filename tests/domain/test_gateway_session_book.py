"""The session book's rules over its table: an expired session names its person (whose draft a
late form is) and is pruned a day later; the table is written at most every 15 seconds of use."""
from datetime import timedelta

import pytest

from gateway.domain.sessions import KEPT_AFTER_EXPIRY, MemoryTable, SessionBook, SessionRefused

from tests.domain.test_gateway_staff import T0, _Account


class CountingTable(MemoryTable):
    def __init__(self):
        super().__init__()
        self.touches = 0

    def touch(self, key, session):
        self.touches += 1
        super().touch(key, session)


def test_an_expired_session_is_refused_naming_its_person_and_pruned_a_day_later():
    book = SessionBook()
    token = book.new_token()
    book.open(_Account(), T0, token)
    with pytest.raises(SessionRefused) as refused:
        book.find(token, T0 + timedelta(minutes=31))
    assert refused.value.reason == "expired" and refused.value.session.staff_id == "staff-1"
    book.open(_Account(), T0 + timedelta(minutes=30) + KEPT_AFTER_EXPIRY + timedelta(seconds=1), book.new_token())
    with pytest.raises(SessionRefused) as gone:
        book.find(token, T0 + timedelta(days=2))
    assert gone.value.reason == "unknown"


def test_a_busy_session_is_written_at_most_every_15_seconds():
    table = CountingTable()
    book = SessionBook(table=table)
    token = book.new_token()
    book.open(_Account(), T0, token)
    for second in range(0, 60):
        book.find(token, T0 + timedelta(seconds=second))
    assert table.touches == 3  # at 16, 32 and 48 s
