"""多機関協働's steps on the in-memory driver (tests.drivers): a referral and consents from the
desk, a plan, meetings, monitoring and endings, as the domain tests repeat them."""
from uuid import uuid4

from kasane.bus.envelope import Origin

from collaboration import schemas
from collaboration.application import CollaborationApplication

from tests.drivers import Driver

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


class Takikan(Driver):
    def __init__(self):
        super().__init__(CollaborationApplication(instance="takikan", organisation=ORGANISATION),
                         Origin("collaboration", ORGANISATION, "takikan"))

    def from_desk(self, event_type: str, household_id: str, payload: dict,
                  organisation: str = "org-desk") -> dict:
        """An event from the referring consultation desk (instance `desk`)."""
        return self.deliver(event_type, household_id, payload,
                            {"service": "consultation", "organisation": organisation, "instance": "desk"})

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
        self.from_desk("consultation.household_referred", household_id, payload)
        return self.app.open_case_of(household_id)

    def consent(self, household_id: str, person_id: str = HANAKO, purposes=("collaboration",),
                organisations=(), organisation: str = "org-desk", given_by: str = "self") -> str:
        consent_id = str(uuid4())
        self.from_desk("consultation.consent_recorded", household_id,
                     {"consent_id": consent_id, "person_id": person_id, "given_by": given_by,
                      "organisations": list(organisations), "purposes": list(purposes),
                      "method": "written", "given_at": AT}, organisation=organisation)
        return consent_id

    def withdraw(self, household_id: str, consent_id: str, person_id: str = HANAKO) -> None:
        self.from_desk("consultation.consent_withdrawn", household_id,
                     {"consent_id": consent_id, "person_id": person_id,
                      "withdrawn_at": "2026-06-02T00:00:00Z"})

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
