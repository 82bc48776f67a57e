"""つながり続ける支援 (002 §3 I(3), 004 §5(3)): an outreach case does not end at つなぎ — contacts
and visits are still recorded after it — and ends only by an explicit closure with a reason
(本人の拒否が明確, 転居, 死亡, 支援機関へ移行し見守り終了 …)."""
from datetime import date

import pytest

from uuid import UUID

from kasane.store.trace import Trace
from outreach import schemas
from outreach.domain.rules import CaseClosed, OutreachRuleViolation

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
