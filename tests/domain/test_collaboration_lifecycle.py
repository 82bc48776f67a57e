"""多機関協働 — a household's case from referral to hand-back, in memory (DOMAIN.md §5).

`Takikan` drives the collaboration application as its RPC entrypoints and inbox consumer do:
commands through their marshmallow schemas, integration events through the handlers.
"""
from uuid import uuid4

import pytest

from kasane.runtime.commands import load_command
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from collaboration import schemas
from collaboration.application import CollaborationApplication
from collaboration.domain.households import HouseholdCases
from collaboration.domain.plan import SupportPlan
from collaboration.integration import handlers, translators

ORGANISATION = "org-takikan"
HANAKO, ICHIRO = str(uuid4()), str(uuid4())
OUTREACH_ROLE = {"service": "outreach", "task": "outreach_visits", "organisation": "org-shakyo",
                 "agency": {"agency_id": "shakyo-outreach", "name": "社協アウトリーチ"},
                 "instance": "shakyo-outreach", "starts_on": "2026-07-01",
                 "description": "月2回の訪問で長男との関係づくり"}
CARE_ROLE = {"service": "consultation", "task": "care_services", "organisation": "org-desk",
             "agency": {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"},
             "starts_on": "2026-07-01"}
AT = "2026-06-01T00:00:00Z"


class Takikan:
    def __init__(self):
        self.app = CollaborationApplication(instance="takikan", organisation=ORGANISATION)
        self.positions = 0

    def deliver(self, handler: str, event_type: str, household_id: str, payload: dict,
                organisation: str = "org-desk") -> dict:
        self.positions += 1
        envelope = {"event_id": str(uuid4()), "type": event_type, "version": 1,
                    "household_id": household_id, "correlation_id": str(uuid4()),
                    "origin": {"service": "consultation", "organisation": organisation,
                               "instance": "desk"},
                    "position": self.positions, "payload": payload}
        uow = UnitOfWork(self.app)
        # `handler` only names the use case: the integration table routes by type and version.
        handlers(self.app)[(event_type, 1)](envelope, uow)
        self.app.save_events(uow.take_events(Trace.caused_by(envelope)))
        return envelope

    def refer(self, household_id: str | None = None, persons=(HANAKO, ICHIRO)) -> dict:
        household_id = household_id or str(uuid4())
        personal = {"persons": [{"person_id": p, "name": f"見本 {i}"} for i, p in enumerate(persons)],
                    "summary": "母の介護と長男のひきこもり"} if persons else None
        payload = {"referral_id": str(uuid4()), "consultation_id": str(uuid4()),
                   "referring_agency": {"agency_id": "hokatsu", "name": "常盤平高齢者いきいき安心センター"},
                   "reasons": ["compound_issues"], "issue_categories": ["8050", "care"],
                   "urgency": "normal", "referred_at": AT, "caseworker_id": "sw-1"}
        if personal:
            payload["personal"] = personal
        self.deliver("on_household_referred", "consultation.household_referred", household_id, payload)
        return self.app.open_case_of(household_id)

    def consent(self, household_id: str, person_id: str = HANAKO, purposes=("collaboration",),
                organisations=(), organisation: str = "org-desk") -> str:
        consent_id = str(uuid4())
        self.deliver("on_consent_recorded", "consultation.consent_recorded", household_id,
                     {"consent_id": consent_id, "person_id": person_id, "given_by": "self",
                      "organisations": list(organisations), "purposes": list(purposes),
                      "method": "written", "given_at": AT}, organisation=organisation)
        return consent_id

    def withdraw(self, household_id: str, consent_id: str, person_id: str = HANAKO) -> None:
        self.deliver("on_consent_withdrawn", "consultation.consent_withdrawn", household_id,
                     {"consent_id": consent_id, "person_id": person_id,
                      "withdrawn_at": "2026-06-02T00:00:00Z"})

    def run(self, use_case: str, schema, command: dict) -> dict:
        data, trace = load_command(schema, command)
        return getattr(self.app, use_case)(trace, **data)

    def draft(self, case_id: str, **overrides) -> dict:
        command = {"case_id": case_id, "drafted_on": "2026-06-10", "caseworker_id": "tk-1",
                   "person_goals": [{"person_id": ICHIRO, "goal": "週に一度は外出する"}],
                   "household_goal": "母の介護負担を減らす", "roles": [OUTREACH_ROLE, CARE_ROLE],
                   "monitoring_dates": ["2026-08-31", "2026-10-31"], **overrides}
        return self.run("draft_plan", schemas.DraftPlanSchema(), command)

    def meet(self, case_id: str, decision: str, held_on: str = "2026-06-20", **item) -> dict:
        command = {"held_on": held_on, "caseworker_id": "tk-1",
                   "attendees": [{"organisation": ORGANISATION, "role": "host"},
                                 {"organisation": "org-desk", "role": "consultation"}],
                   "agenda": [{"case_id": case_id, "decision": decision, **item}]}
        return self.run("hold_multi_layered_meeting", schemas.MultiLayeredMeetingSchema(), command)

    def monitor(self, case_id: str, changed: bool, on: str = "2026-08-31", **more) -> dict:
        return self.run("record_monitoring", schemas.MonitoringSchema(),
                        {"case_id": case_id, "monitored_on": on, "situation_changed": changed,
                         "caseworker_id": "tk-1", **more})

    def end(self, use_case: str, case_id: str, **more) -> dict:
        return self.run(use_case, schemas.EndCaseSchema(),
                        {"case_id": case_id, "caseworker_id": "tk-1",
                         "summary": "母は介護保険サービス利用開始。長男は週1回外出。", **more})

    def in_force(self, household_id: str | None = None, **consent) -> tuple[str, dict]:
        """A consenting household whose first plan a meeting judged appropriate."""
        household_id = household_id or str(uuid4())
        self.consent(household_id, **consent)
        case = self.refer(household_id)
        self.draft(case["case_id"])
        self.meet(case["case_id"], "plan_appropriate")
        return household_id, self.app.case(case["case_id"])

    def published(self, type_: str | None = None) -> list:
        """Every integration event the relay would publish from this instance's log, in order."""
        registry, found = translators(), []
        for n in self.app.recorder.select_notifications(start=0, limit=10_000):
            outgoing = registry.translate(n.topic, self.app.mapper.to_domain_event(n))
            if outgoing and (type_ is None or outgoing.type == type_):
                found.append(outgoing)
        return found

    def stored(self) -> int:
        return len(self.app.recorder.select_notifications(start=0, limit=10_000))


@pytest.fixture
def takikan():
    return Takikan()


def test_a_referral_opens_a_case_which_may_be_returned_with_a_reason(takikan):
    household = str(uuid4())
    case = takikan.refer(household)
    referral_id = case["referrals"][0]["referral_id"]
    returned = takikan.run("return_referral", schemas.ReturnReferralSchema(),
                           {"case_id": case["case_id"], "referral_id": referral_id,
                            "reason": "single_agency_can_handle", "caseworker_id": "tk-1"})
    assert returned["status"] == "returned"
    assert takikan.app.open_case_of(household) is None
    [sent] = takikan.published("collaboration.referral_returned")
    assert sent.recipient == "desk" and sent.payload["case_ends"] is True
    assert takikan.refer(household)["case_id"] != case["case_id"]  # a new referral, a new case


def test_a_plan_goes_from_draft_through_revision_to_in_force_and_requests_the_outreach_role(takikan):
    household = str(uuid4())
    takikan.consent(household, purposes=("collaboration", "outreach"))
    takikan.consent(household, person_id=ICHIRO, purposes=("collaboration", "outreach"))
    case_id = takikan.refer(household)["case_id"]
    plan = takikan.draft(case_id)
    assert takikan.app.case(case_id)["status"] == "planning"
    takikan.meet(case_id, "plan_revise", comment="役割の開始時期を見直す")
    takikan.run("revise_plan", schemas.RevisePlanSchema(),
                {"plan_id": plan["plan_id"], "revised_on": "2026-06-21", "caseworker_id": "tk-1",
                 "person_goals": [{"person_id": ICHIRO, "goal": "月に二度は外出する"}],
                 "roles": [OUTREACH_ROLE, CARE_ROLE], "monitoring_dates": ["2026-08-31"]})
    takikan.meet(case_id, "plan_appropriate", held_on="2026-06-25")
    case = takikan.app.case(case_id)
    assert (case["status"], case["plan_in_force_id"], case["next_monitoring_on"]) == (
        "monitoring", plan["plan_id"], "2026-08-31")
    [approved] = takikan.published("collaboration.plan_approved")
    assert approved.personal is None and "外出" not in str(approved.payload)
    assert {r["service"] for r in approved.payload["roles"]} == {"outreach", "consultation"}
    [request] = takikan.published("collaboration.role_requested")  # outreach only, not consultation
    assert request.recipient == "shakyo-outreach"
    assert request.personal["goals"] == [{"person_id": ICHIRO, "goal": "月に二度は外出する"}]
    assert request.personal["summary"] == OUTREACH_ROLE["description"]
    record = takikan.app.case_record(case_id)
    assert [p["revision"] for p in record["plans"]] == [2]
    assert record["plans"][0]["personal"]["person_goals"][0]["goal"] == "月に二度は外出する"


def test_monitoring_then_a_change_of_situation_leads_to_an_agreed_re_plan(takikan):
    _, case = takikan.in_force()
    case_id, first_plan = case["case_id"], case["plan_in_force_id"]
    assert takikan.monitor(case_id, False)["next_monitoring_on"] == "2026-10-31"
    assert takikan.monitor(case_id, True, on="2026-09-15")["status"] == "replanning"
    replan = takikan.draft(case_id, drafted_on="2026-09-20", monitoring_dates=["2026-12-01"])
    assert replan["version"] == 2
    takikan.meet(case_id, "replan_agreed", held_on="2026-09-30")
    case = takikan.app.case(case_id)
    assert (case["status"], case["plan_in_force_id"]) == ("monitoring", replan["plan_id"])
    old: SupportPlan = takikan.app.repository.get(first_plan)
    assert old.status == "superseded"
    assert [o.payload["version"] for o in takikan.published("collaboration.plan_approved")] == [1, 2]


def test_closure_needs_the_meetings_judgement_then_hands_the_household_back_with_a_summary(takikan):
    household, case = takikan.in_force()
    case_id = case["case_id"]
    takikan.meet(case_id, "closure", held_on="2027-03-15", goals_met="met", follow_up_needed=True,
                 follow_up_method="包括が月1回の見守り", evaluation="目標を達成")
    takikan.consent(household, person_id=ICHIRO, purposes=("connection",))
    closed = takikan.end("close_case", case_id)
    assert closed["status"] == "closed" and closed["handed_back_to"] == "desk"
    assert takikan.app.open_case_of(household) is None
    [event] = takikan.published("collaboration.case_closed")
    assert (event.payload["goals_met"], event.payload["follow_up_needed"]) == ("met", True)
    [hand_back] = takikan.published("collaboration.household_handed_back")
    assert hand_back.recipient == "desk" and hand_back.payload["ending"] == "closed"
    assert hand_back.payload["consultation_id"] == case["referrals"][0]["consultation_id"]
    # Both persons' consents cover the referring agency (it recorded one, つなぎ covers the other).
    assert hand_back.personal["plan_summary"].startswith("母は介護保険")
    assert {p["person_id"] for p in hand_back.personal["persons"]} == {HANAKO, ICHIRO}


def test_suspension_after_contact_is_lost_hands_the_household_back_as_suspended(takikan):
    household, case = takikan.in_force()
    takikan.meet(case["case_id"], "suspension", held_on="2026-12-01", reason="contact_lost")
    assert takikan.end("suspend_case", case["case_id"])["status"] == "suspended"
    [event] = takikan.published("collaboration.case_suspended")
    assert event.payload["reason"] == "contact_lost"
    [hand_back] = takikan.published("collaboration.household_handed_back")
    assert hand_back.payload["ending"] == "suspended"


def test_an_assessment_is_revised_with_every_revision_kept_and_its_texts_personal(takikan):
    case_id = takikan.refer()["case_id"]
    sheet = {"case_id": case_id, "assessed_on": "2026-06-05",
             "assessor": {"organisation": ORGANISATION, "caseworker_id": "tk-1"},
             "persons": [{"person_id": ICHIRO, "issue_categories": ["hikikomori"],
                          "situation": "10年以上自室にこもる", "wishes": "母の世話は続けたい"}],
             "household": {"issue_categories": ["8050"], "risks": "母の転倒"}}
    takikan.run("record_assessment", schemas.RecordAssessmentSchema(), sheet)
    sheet["persons"][0]["situation"] = "週1回は玄関先まで出る"
    revised = takikan.run("record_assessment", schemas.RecordAssessmentSchema(),
                          {**sheet, "assessed_on": "2026-06-12"})
    assert revised["revision"] == 2
    revisions = takikan.app.case_record(case_id)["assessments"]
    assert [r["personal"]["persons"][0]["situation"] for r in revisions] == [
        "10年以上自室にこもる", "週1回は玄関先まで出る"]
    assert revisions[0]["persons"] == [{"person_id": ICHIRO, "issue_categories": ["hikikomori"]}]


def test_the_household_index_names_the_open_case_only_while_it_is_open(takikan):
    household, case = takikan.in_force()
    index: HouseholdCases = takikan.app.repository.get(HouseholdCases.create_id(household))
    assert str(index.open_case_id) == case["case_id"]
