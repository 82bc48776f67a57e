"""つながり続ける支援 (002 §3 I(3), 004 §5(3)): an outreach case does not end at つなぎ — contacts
and visits are still recorded after it — and ends only by an explicit closure with a reason
(本人の拒否が明確, 転居, 死亡, 支援機関へ移行し見守り終了 …)."""
from datetime import date

import pytest

from uuid import UUID

from kasane.store.trace import Trace
from outreach import schemas
from outreach.domain.rules import AreaWorkRuleViolation, CaseClosed, OutreachRuleViolation

from tests.domain.outreach_steps import Csw


@pytest.fixture
def csw():
    return Csw()


def connected(csw: Csw) -> dict:
    lead = csw.lead()
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=[], purposes=["connection"])
    csw.connect(lead["case_id"])
    return lead


def close(csw: Csw, case_id: str, reason: str = "handed_to_agency_watch_ended",
          on: str = "2026-09-01") -> dict:
    return csw.run("close_case", schemas.CloseCaseSchema(),
                   {"case_id": case_id, "reason": reason, "closed_on": on, "worker_id": "csw-03",
                    "note": "相談窓口での支援が定着"})


def test_a_visit_after_tsunagi_is_recorded_and_the_case_stays_in_the_open_list(csw):
    lead = connected(csw)
    visit = csw.contact(lead["case_id"], on="2026-06-01", note="つなぎ後の訪問：窓口に通えている")
    assert visit["stage"] == "connected"
    [row] = csw.app.open_leads(date(2026, 6, 2))["leads"]
    assert row["case_id"] == lead["case_id"] and row["days_without_contact"] == 1


def test_a_case_ends_by_an_explicit_closure_with_its_reason_and_takes_nothing_more(csw):
    lead = connected(csw)
    closed = close(csw, lead["case_id"])
    assert closed["closed"] is True and closed["reason"] == "handed_to_agency_watch_ended"
    assert csw.app.open_leads(date(2026, 9, 2))["leads"] == []
    with pytest.raises(CaseClosed):
        csw.contact(lead["case_id"], on="2026-09-05")


@pytest.mark.parametrize("reason", ["refused_clearly", "moved_away", "deceased"])
def test_a_case_not_yet_connected_may_be_closed_too(csw, reason):
    lead = csw.lead()
    assert close(csw, lead["case_id"], reason=reason)["reason"] == reason


def test_a_closure_needs_a_known_reason_and_a_day_on_or_after_the_lead(csw):
    lead = csw.lead()
    with pytest.raises(OutreachRuleViolation):
        csw.app.close_case(Trace.for_command(), case_id=UUID(lead["case_id"]), reason="bored",
                           closed_on=date(2026, 6, 1), worker_id="csw-03")
    with pytest.raises(OutreachRuleViolation):
        close(csw, lead["case_id"], on="2026-04-01")


def area_work(csw: Csw, **work) -> dict:
    return csw.run("record_area_work", schemas.AreaWorkSchema(),
                   {"area": "小俣地区", "held_on": "2026-07-01", "worker_id": "csw-03", **work})


def test_a_follow_up_is_linked_to_the_outreach_case_it_follows(csw):
    lead = connected(csw)
    follow_up = area_work(csw, kind="follow_up", case_id=lead["case_id"])
    assert csw.app.repository.get(UUID(follow_up["work_id"])).case_id == lead["case_id"]
    assert csw.app.fiscal_year_counts(2026)["follow_ups"] == 1


def test_a_follow_up_naming_no_case_of_this_instance_or_nothing_is_refused(csw):
    plan = csw.run("make_plan", schemas.MakePlanSchema(), {
        "case_id": csw.lead()["case_id"], "made_on": "2026-05-02", "worker_id": "csw-03",
        "goals": ["玄関先で話せる"], "review_dates": ["2026-08-01"]})
    with pytest.raises(AreaWorkRuleViolation):
        area_work(csw, kind="follow_up", case_id=plan["plan_id"])
    with pytest.raises(AreaWorkRuleViolation):
        area_work(csw, kind="follow_up")
    with pytest.raises(AreaWorkRuleViolation):
        area_work(csw, kind="mapping", figures={"sites": 1}, partners=["協議会"], case_id=csw.lead()["case_id"])


def test_pop_up_desks_are_counted_per_place_once_a_year_as_well_as_per_day(csw):
    for day, place in (("2026-07-01", "小俣公民館"), ("2026-08-01", "小俣公民館"), ("2026-09-01", "駅前広場")):
        area_work(csw, kind="popup_desk", held_on=day, place=place,
                  figures={"visitors": 3, "consultations": 1})
    counts = csw.app.fiscal_year_counts(2026)
    assert (counts["popup_desks"], counts["popup_desk_places"]) == (3, 2)
    assert csw.app.report_counts(2026)["counters"]["popup_desk_places"]["total"] == 2
