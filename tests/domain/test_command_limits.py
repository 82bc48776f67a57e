"""Every command field keeps a limit a caseworker would recognise, declared once in the kernel
(kasane.runtime.limits): refused with InvalidCommand naming the field, in Japanese, never
repeating the value, and nothing stored. Searches answer one bounded page at a time."""
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import pytest

from kasane import clock
from kasane.errors import InvalidCommand
from kasane.runtime.commands import load_command
from kasane.runtime.limits import PERSONS_LIMIT
from kasane.store.trace import Trace

from collaboration.schemas import EndCaseSchema
from community.schemas import RegisterPlaceSchema
from consultation.application import ConsultationApplication
from consultation.schemas import FindHouseholdsSchema, ReceiveConsultationSchema
from outreach.schemas import TakeLeadSchema

AGENCY = {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"}
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
INTAKE = {"agency": AGENCY, "received_at": "2026-12-01T20:00:00+09:00", "channel": "phone",
          "consulted_by": "family", "persons": [{"name": "見本 ハナ", "birth_date": "1942-05-10"}],
          "summary": "相談内容", "caseworker_id": "sw-1", "new_household": True}


def refused(schema, command) -> InvalidCommand:
    with clock.frozen_at(NOW), pytest.raises(InvalidCommand) as caught:
        load_command(schema, command)
    return caught.value


def test_a_valid_intake_is_accepted_within_every_limit():
    with clock.frozen_at(NOW):
        load_command(ReceiveConsultationSchema(), INTAKE)


@pytest.mark.parametrize("birth_date", ["2099-01-01", "1800-01-01", "2026-12-02"])
def test_a_birth_date_in_the_future_or_before_1900_is_refused_naming_the_field(birth_date):
    error = refused(ReceiveConsultationSchema(), {**INTAKE, "persons": [{"birth_date": birth_date}]})
    assert list(error.errors) == ["persons"] and "birth_date" in str(error.errors["persons"])
    assert "生年月日" in str(error) and birth_date not in str(error)


def test_a_received_date_ahead_of_now_beyond_a_small_skew_is_refused():
    ahead = (NOW + timedelta(days=365 * 73)).isoformat()
    error = refused(ReceiveConsultationSchema(), {**INTAKE, "received_at": ahead})
    assert list(error.errors) == ["received_at"] and "未来" in str(error)
    with clock.frozen_at(NOW):  # a device a minute fast is fine
        load_command(ReceiveConsultationSchema(), {**INTAKE, "received_at": (NOW + timedelta(minutes=1)).isoformat()})


@pytest.mark.parametrize("field, value", [
    ("summary", "相" * 1_000_000), ("caseworker_id", "s" * 100_000),
])
def test_an_overlong_summary_or_caseworker_id_is_refused_without_repeating_it(field, value):
    error = refused(ReceiveConsultationSchema(), {**INTAKE, field: value})
    assert list(error.errors) == [field] and "文字以内" in str(error) and len(str(error)) < 200


def test_an_overlong_name_is_refused_in_every_service():
    long_name = "名" * 101
    assert "persons" in refused(ReceiveConsultationSchema(), {**INTAKE, "persons": [{"name": long_name}]}).errors
    place = {"kind": "salon", "name": long_name, "area": "第1圏域", "operator": "社協"}
    assert list(refused(RegisterPlaceSchema(), place).errors) == ["name"]


def test_more_persons_than_a_household_holds_are_refused():
    persons = [{"relation": "unknown"}] * (PERSONS_LIMIT + 1)
    error = refused(ReceiveConsultationSchema(), {**INTAKE, "persons": persons})
    assert list(error.errors) == ["persons"] and f"{PERSONS_LIMIT}件以内" in str(error)


def test_limits_hold_in_other_services_commands_too():
    lead = {"source": "resident", "noticed_on": "2026-11-30", "worker_id": "w" * 65}
    assert "worker_id" in refused(TakeLeadSchema(), lead).errors
    ending = {"case_id": str(uuid4()), "decision": "closed", "caseworker_id": "sw",
              "ended_at": "2099-01-01T00:00:00Z"}
    assert "ended_at" in refused(EndCaseSchema(), ending).errors


def test_a_search_answers_one_bounded_page_and_a_cursor_to_the_next():
    app = ConsultationApplication(instance="desk", organisation="org-desk", agencies=[AGENCY])
    for n in range(45):
        app.receive_consultation(
            Trace.for_command(), household_id=None, new_household=True, agency=AGENCY,
            persons=[{"name": f"見本 {n}", "kana": "ミホン", "birth_date": "1950-01-02"}],
            received_at=NOW, channel="phone", consulted_by="family", caseworker_id="sw-1")
    seen, cursor, pages = [], None, 0
    while True:
        query, _ = load_command(FindHouseholdsSchema(), {"birth_date": "1950-01-02", "cursor": cursor})
        found = app.find_households(**query)
        assert len(found["candidates"]) <= 20
        seen += [c["household_id"] for c in found["candidates"]]
        pages, cursor = pages + 1, found["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 45
    assert "limit" in refused(FindHouseholdsSchema(), {"kana": "ミホン", "limit": 10_000}).errors
    assert "cursor" in refused(FindHouseholdsSchema(), {"kana": "ミホン", "cursor": "!!"}).errors
