"""Providers see the plan (000 §4, 002 §4(3)): a role a 多機関協働 plan gives a consultation desk
reaches that desk, and the consultation it referred stays in its caseload as 多機関協働中, with
the roles, until the household is handed back; a plan lists the roles of agencies with no kasane
instance as such (in memory)."""
from datetime import datetime, timezone
from uuid import uuid4

import pytest

from kasane.bus.envelope import Origin
from kasane.store.trace import Trace

from consultation.application import ConsultationApplication

from tests.domain.collaboration_steps import CARE_ROLE, OUTREACH_ROLE, Takikan
from tests.drivers import Driver

AGENCY = {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"}
TAKIKAN = {"service": "collaboration", "organisation": "org-takikan", "instance": "takikan"}
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
HANA = {"name": "見本 ハナ", "kana": "ミホン ハナ", "birth_date": "1942-05-10", "relation": "self"}


@pytest.fixture
def desk():
    return Driver(ConsultationApplication(instance="desk", organisation="org-desk", agencies=[AGENCY],
                                          collaboration_instance="takikan"),
                  Origin("consultation", "org-desk", "desk"))


def referred(desk: Driver) -> dict:
    app = desk.app
    taken = app.receive_consultation(
        Trace.for_command(), household_id=None, persons=[HANA], agency=AGENCY, new_household=True,
        received_at=NOW, channel="phone", consulted_by="family", summary="相談内容",
        issue_categories=["8050"], urgency="normal", caseworker_id="sw-1")
    app.refer_to_collaboration(Trace.for_command(), consultation_id=taken["consultation_id"],
                               referred_at=NOW, caseworker_id="sw-1", note=None,
                               reasons=["compound_issues"])
    return taken


def role_request(household_id: str) -> dict:
    return {"request_id": str(uuid4()), "case_id": str(uuid4()), "plan_id": str(uuid4()),
            "role_id": str(uuid4()), "service": "consultation", "task": "care_services",
            "organisation": "org-desk", "agency": AGENCY, "starts_on": "2026-07-01",
            "requested_at": "2026-06-20T01:00:00Z", "consent_ids": []}


def test_a_plan_tells_a_consultation_desk_its_role_and_lists_an_agency_without_instance():
    takikan = Takikan()
    desk_role = {**CARE_ROLE, "instance": "desk"}
    no_instance = {**CARE_ROLE, "organisation": "org-clinic", "service": "other_agency",
                   "agency": {"agency_id": "clinic", "name": "見本クリニック"}}
    household = str(uuid4())
    takikan.consent(household)
    case = takikan.refer(household)
    takikan.draft(case["case_id"], roles=[OUTREACH_ROLE, desk_role, no_instance])
    takikan.meet(case["case_id"], "plan_appropriate")
    requests = takikan.outgoing("collaboration.role_requested")
    assert sorted(r.recipient for r in requests) == ["desk", "shakyo-outreach"]
    [plan] = takikan.app.case_record(case["case_id"])["plans"]
    [listed] = [r for r in plan["roles"] if r["role_id"] in plan["roles_without_instance"]]
    assert listed["agency"]["agency_id"] == "clinic"


def test_a_referred_consultation_stays_in_the_caseload_as_in_collaboration_with_its_roles(desk):
    taken = referred(desk)
    [row] = desk.app.open_consultations("hokatsu")["in_collaboration"]
    assert row["status_label"] == "多機関協働中" and row["collaboration_state"] == "planning"
    desk.deliver("collaboration.role_requested", taken["household_id"],
                 role_request(taken["household_id"]), TAKIKAN, recipient={"instance": "desk"})
    [row] = desk.app.open_consultations("hokatsu")["in_collaboration"]
    assert row["collaboration_state"] == "plan_in_force"
    assert [r["task"] for r in row["plan_roles"]] == ["care_services"]
    assert desk.app.open_consultations("hokatsu")["consultations"] == []


def test_a_redelivered_role_request_is_kept_once(desk):
    taken = referred(desk)
    envelope = desk.deliver("collaboration.role_requested", taken["household_id"],
                            role_request(taken["household_id"]), TAKIKAN, recipient={"instance": "desk"})
    stored = desk.stored()
    desk.receive(envelope)
    assert desk.stored() == stored


def test_the_hand_back_ends_the_consultations_in_collaboration(desk):
    taken = referred(desk)
    desk.deliver("collaboration.household_handed_back", taken["household_id"], {
        "hand_back_id": str(uuid4()), "case_id": str(uuid4()),
        "consultation_id": taken["consultation_id"], "to_agency": AGENCY, "ending": "closed",
        "issue_categories": ["8050"], "handed_back_at": "2026-12-01T00:00:00Z"},
        TAKIKAN, recipient={"instance": "desk"})
    assert desk.app.open_consultations("hokatsu")["in_collaboration"] == []
