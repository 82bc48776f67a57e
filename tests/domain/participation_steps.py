"""参加支援's steps on the in-memory driver (tests.drivers): a role request from 多機関協働, an
assessed and planned support, as the domain tests repeat them."""
from uuid import uuid4

from kasane.bus.envelope import Origin

from participation import schemas
from participation.application import ParticipationApplication
from participation.domain.support import ParticipationSupport

from tests.drivers import Driver

PERSON = str(uuid4())
NEEDS = {"wished_offers": ["work_experience", "volunteer_experience"], "area": "小俣",
         "available_days": ["tue", "thu"], "can_travel": True,
         "wishes": "土に触れる仕事がしたい", "strengths": "几帳面", "limits": "朝が苦手",
         "support_needed": "初回は同行"}
SCHEMA_OF = {
    "receive_request": schemas.ReceiveRequestSchema, "assess_needs": schemas.AssessNeedsSchema,
    "make_plan": schemas.MakePlanSchema, "register_host": schemas.RegisterHostSchema,
    "match": schemas.MatchSchema, "start_match": schemas.StartMatchSchema,
    "record_session": schemas.SessionSchema, "end_match": schemas.EndMatchSchema,
    "schedule_follow_up": schemas.ScheduleFollowUpSchema,
    "record_follow_up": schemas.RecordFollowUpSchema,
    "report_host_problem": schemas.HostProblemSchema,
    "register_work_experience": schemas.RegisterWorkExperienceSchema,
    "hold_experience_day": schemas.ExperienceDaySchema, "close_support": schemas.CloseSupportSchema,
}


class Sanka(Driver):
    def __init__(self, **settings):
        super().__init__(ParticipationApplication(instance="ise-sanka", organisation="org-shakyo", **settings),
                         Origin("participation", "org-shakyo", "ise-sanka"))

    def do(self, use_case: str, **command) -> dict:
        return self.run(use_case, SCHEMA_OF[use_case](), command)

    def from_takikan(self, event_type: str, household_id, payload: dict, origin: str = "ise-takikan") -> dict:
        """An event from a 多機関協働 instance (`origin`)."""
        return self.deliver(event_type, household_id, payload,
                            {"service": "collaboration", "organisation": "org-city", "instance": origin})

    def role_request(self, household_id: str | None = None, service: str = "participation",
                     consent_ids=None, request_id: str | None = None) -> dict:
        consent_ids = [str(uuid4())] if consent_ids is None else consent_ids
        payload = {"request_id": request_id or str(uuid4()), "case_id": str(uuid4()),
                   "plan_id": str(uuid4()), "role_id": str(uuid4()), "service": service,
                   "task": "participation_matching", "organisation": "org-shakyo",
                   "agency": {"agency_id": "ise-sanka", "name": "伊勢市社協 参加支援"},
                   "starts_on": "2026-07-01", "requested_at": "2026-06-30T05:00:00Z",
                   "consent_ids": consent_ids}
        if consent_ids:
            payload["personal"] = {"persons": [{"person_id": PERSON, "name": "見本 一郎"}],
                                   "summary": "週1回の外出から", "goals": [], "household_goal": None}
        return self.from_takikan("collaboration.role_requested",
                            household_id or str(uuid4()), payload)

    def support_from_role(self, **kwargs) -> str:
        envelope = self.role_request(**kwargs)
        return str(ParticipationSupport.create_id(envelope["payload"]["request_id"]))

    def planned_support(self, **kwargs) -> str:
        support_id = self.support_from_role(**kwargs)
        self.do("assess_needs", support_id=support_id, assessed_on="2026-07-02",
                caseworker_id="sw-1", needs=NEEDS)
        self.do("make_plan", support_id=support_id, made_on="2026-07-05", caseworker_id="sw-1",
                goals=["週1回、農園の作業に参加する"], review_dates=["2026-10-01", "2027-01-10"])
        return support_id
