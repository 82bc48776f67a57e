"""日常生活圏域 on the work itself (issue 19; DOMAIN §6, seeds 002_6781e55f0547d33a.txt (35地区) and
003_b2db04212c78b606.txt (14 小域福祉圏)): a consultation carries its area, checked against the
instance's copy of the city's directory, and its counts split by area; outreach's area work is
checked against the same areas. Bad areas are refused naming the field, nothing stored."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.errors import InvalidCommand
from kasane.report.tally import MonthlyTally

from consultation import schemas as consultation_schemas
from consultation.application import ConsultationApplication
from consultation.domain.consultation import Consultation
from consultation.views.report import COUNTS
from outreach import schemas as outreach_schemas
from outreach.application import OutreachApplication

from tests.domain.test_directory_copy_fold import Directory, feed, matsudo, run, stored

AGENCY = {"agency_id": "matsudo-hokatsu-tokiwadaira", "name": "常盤平高齢者いきいき安心センター"}
TOKIWADAIRA, YAGIRI = "matsudo-tokiwadaira", "matsudo-yagiri"


@pytest.fixture
def desk():
    app = ConsultationApplication(instance="matsudo-desk", organisation="matsudo-city", agencies=[AGENCY])
    feed(app, "consultation", Directory().apply(matsudo()))
    return app


def receive(desk, at="2026-05-01T10:00:00+09:00", **overrides) -> dict:
    return run(desk, "receive_consultation", consultation_schemas.ReceiveConsultationSchema(), {
        "agency": AGENCY, "received_at": at, "channel": "phone", "consulted_by": "self",
        "persons": [{"relation": "self"}], "new_household": True, "issue_categories": ["care"],
        "caseworker_id": "sw-1", **overrides})


def test_a_consultation_in_an_area_the_directory_does_not_know_is_refused_naming_the_field(desk):
    before = stored(desk)
    with pytest.raises(InvalidCommand) as refused:
        receive(desk, area="matsudo-nowhere")
    assert list(refused.value.errors) == ["area"] and "nowhere" not in str(refused.value)
    assert stored(desk) == before


def test_counts_split_by_area_and_can_be_asked_for_one_area(desk):
    receive(desk, area=TOKIWADAIRA)
    receive(desk, area=TOKIWADAIRA)
    receive(desk, area=YAGIRI)
    receive(desk)  # no area recorded (as before areas were kept)
    counts = desk.fiscal_year_counts(2026)
    assert counts["by_area"] == [{"area": TOKIWADAIRA, "new": 2, "total": 2},
                                 {"area": YAGIRI, "new": 1, "total": 1},
                                 {"area": None, "new": 1, "total": 1}]
    assert desk.fiscal_year_counts(2026, area=YAGIRI)["new"] == 1


def test_the_progress_report_counters_carry_the_consultations_area():
    tally = MonthlyTally(COUNTS)
    consultation = Consultation.receive(
        household_id=uuid4(), agency=AGENCY, received_at=datetime(2026, 5, 1, tzinfo=timezone.utc),
        channel="phone", consulted_by="self", issue_categories=["care"], urgency="normal",
        caseworker_id="sw", persons=[], summary=None, area=YAGIRI)
    consultation.record_contact(contact_id=uuid4(), contacted_at=datetime(2026, 5, 2, tzinfo=timezone.utc),
                                channel="phone", caseworker_id="sw", note=None)
    for e in consultation.collect_events():
        tally.apply(e)
    counters = tally.of(2026)["counters"]
    assert [c["area"] for c in counters["consultations_new"]["cells"]] == [YAGIRI]
    assert sum(c["n"] for c in counters["consultations_total"]["cells"] if c["area"] == YAGIRI) == 2


def test_outreach_area_work_in_an_area_the_directory_does_not_know_is_refused():
    csw = OutreachApplication(instance="matsudo-outreach", organisation="matsudo-shakyo")
    feed(csw, "outreach", Directory().apply(matsudo()))
    work = {"kind": "mapping", "held_on": "2026-06-10", "worker_id": "csw-1", "figures": {"sites": 2},
            "partners": ["町会"]}
    before = stored(csw)
    with pytest.raises(InvalidCommand) as refused:
        run(csw, "record_area_work", outreach_schemas.AreaWorkSchema(), {**work, "area": "小俣地区"})
    assert list(refused.value.errors) == ["area"]
    assert stored(csw) == before
    assert run(csw, "record_area_work", outreach_schemas.AreaWorkSchema(), {**work, "area": TOKIWADAIRA})["kind"] == "mapping"
