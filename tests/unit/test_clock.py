"""One clock for the program: moments in UTC, days in Japan time (JST)."""
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID

import pytest

from kasane import clock
from kasane.fiscal_year import fiscal_year_of, today_in_japan
from kasane.store.trace import Trace

from community.application import CommunityApplication

# 2026-03-31 16:30 UTC is already 1 April 01:30 in Japan: a new day and a new fiscal year.
LATE_EVENING_UTC = datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc)


def test_today_is_the_day_in_japan_even_while_it_is_still_yesterday_in_utc():
    with clock.frozen_at(LATE_EVENING_UTC):
        assert clock.today() == today_in_japan() == date(2026, 4, 1)
        assert fiscal_year_of(clock.now()) == 2026
        assert clock.in_japan(clock.now()).utcoffset() == timedelta(hours=9)
        assert clock.utc_iso() == "2026-03-31T16:30:00Z"


def test_the_clock_refuses_a_moment_without_a_time_zone():
    with pytest.raises(ValueError):
        clock.japan_date(datetime(2026, 4, 1))
    with pytest.raises(ValueError), clock.frozen_at(datetime(2026, 4, 1)):
        pass


def test_a_place_registered_without_a_date_is_registered_on_the_day_in_japan():
    app = CommunityApplication(instance="clock-community", organisation="clock-shakyo")
    with clock.frozen_at(LATE_EVENING_UTC):
        view = app.register_place(Trace.for_command(), kind="salon", name="いちょうサロン", area="第1圏域",
                                  operator="社協", schedule=None, target=None, capacity=None)
    place = app.repository.get(UUID(view["place_id"]))
    assert place.registered_on == date(2026, 4, 1)


def test_every_service_takes_now_and_today_from_the_kernel_clock():
    """No service module reads the platform's clock itself (datetime.now / date.today)."""
    services = Path(__file__).resolve().parents[2] / "services"
    offenders = [str(p.relative_to(services)) for p in services.rglob("*.py")
                 if "datetime.now(" in p.read_text() or "date.today(" in p.read_text()]
    # the ledger's read time in audit/application.py moves to the clock once its concurrent change lands
    assert offenders == ["audit/application.py"]
