"""参加支援 — requests, needs and the 参加支援事業プラン, in memory (issue 9; seeds 004 §5(4),
002 §III(1)).

`Sanka` drives the participation application as its RPC entrypoints and inbox consumer do:
commands through their marshmallow schemas, integration events through the handlers.
"""
from datetime import date
from uuid import uuid4

import pytest

from kasane.errors import InvalidCommand
from kasane.runtime.commands import load_command
from kasane.store.trace import Trace
from kasane.store.unit_of_work import UnitOfWork

from participation import schemas
from participation.application import ParticipationApplication
from participation.domain.rules import ConsentRequired, PlanRuleViolation
from participation.domain.support import ParticipationSupport
from participation.integration import handlers

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


class Sanka:
    def __init__(self):
        self.app = ParticipationApplication(instance="ise-sanka", organisation="org-shakyo")
        self.positions = 0

    def do(self, use_case: str, **command) -> dict:
        data, trace = load_command(SCHEMA_OF[use_case](), command)
        return getattr(self.app, use_case)(trace, **data)

    def deliver(self, handler: str, event_type: str, household_id, payload: dict,
                origin: str = "ise-takikan") -> dict:
        self.positions += 1
        envelope = {"event_id": str(uuid4()), "type": event_type, "version": 1,
                    "household_id": household_id, "correlation_id": str(uuid4()),
                    "origin": {"service": "collaboration", "organisation": "org-city", "instance": origin},
                    "position": self.positions, "payload": payload}
        uow = UnitOfWork(self.app)
        # `handler` only names the use case: the integration table routes by type and version.
        handlers(self.app)[(event_type, 1)](envelope, uow)
        self.app.save_events(uow.take_events(Trace.caused_by(envelope)))
        return envelope

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
        return self.deliver("on_role_requested", "collaboration.role_requested",
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


def agency_request(**overrides) -> dict:
    command = {"household_id": str(uuid4()), "caseworker_id": "sw-9",
               "agency": {"agency_id": "ise-jiritsu", "name": "伊勢市生活サポートセンター"},
               "consent": {"given_by": "self", "method": "written", "given_at": "2026-06-01T01:00:00Z"},
               "persons": [{"person_id": PERSON, "name": "見本 二郎"}], "summary": "就労に不安"}
    command.update(overrides)
    return command


def test_a_participation_role_request_becomes_a_request_with_what_consent_allowed():
    sanka = Sanka()
    envelope = sanka.role_request()
    support = sanka.app.support(ParticipationSupport.create_id(envelope["payload"]["request_id"]))
    assert support["source"] == "collaboration_role" and support["status_label"] == "受付"
    assert support["plan_owner"] == "ise-takikan"
    assert support["request"]["case_id"] == envelope["payload"]["case_id"]
    assert support["persons"] == [{"person_id": PERSON, "name": "見本 一郎"}]


def test_a_role_request_delivered_twice_or_for_outreach_records_nothing_more():
    sanka = Sanka()
    first = sanka.role_request()
    before = sanka.app.recorder.max_notification_id()
    sanka.role_request(request_id=first["payload"]["request_id"])
    sanka.role_request(service="outreach")
    assert sanka.app.recorder.max_notification_id() == before


def test_a_consultation_agency_request_needs_consent():
    sanka = Sanka()
    with pytest.raises(ConsentRequired):
        sanka.do("receive_request", **agency_request(consent=None))
    command = agency_request(request_id=str(uuid4()))
    accepted = sanka.do("receive_request", **command)
    assert sanka.do("receive_request", **command) == accepted  # sent again: taken in once
    support = sanka.app.support(accepted["support_id"])
    assert support["source"] == "consultation_agency" and support["plan_owner"] is None


def test_needs_name_a_known_wished_participation():
    sanka = Sanka()
    support_id = sanka.support_from_role()
    with pytest.raises(InvalidCommand) as refused:
        sanka.do("assess_needs", support_id=support_id, assessed_on="2026-07-02",
                 caseworker_id="sw-1", needs={**NEEDS, "wished_offers": ["gardening"]})
    assert "needs" in refused.value.errors
    with pytest.raises(PlanRuleViolation, match="at least one kind"):
        sanka.do("assess_needs", support_id=support_id, assessed_on="2026-07-02",
                 caseworker_id="sw-1", needs={**NEEDS, "wished_offers": []})


def test_a_plan_follows_the_needs_states_a_goal_and_reviews_later():
    sanka = Sanka()
    support_id = sanka.support_from_role()
    plan = {"support_id": support_id, "made_on": "2026-07-05", "caseworker_id": "sw-1",
            "goals": ["週1回の参加"], "review_dates": ["2026-10-01"]}
    with pytest.raises(PlanRuleViolation, match="follows the needs"):
        sanka.do("make_plan", **plan)
    sanka.do("assess_needs", support_id=support_id, assessed_on="2026-07-02", caseworker_id="sw-1",
             needs=NEEDS)
    with pytest.raises(PlanRuleViolation, match="goal"):
        sanka.do("make_plan", **{**plan, "goals": ["  "]})
    with pytest.raises(PlanRuleViolation, match="review dates fall after"):
        sanka.do("make_plan", **{**plan, "review_dates": ["2026-07-05"]})
    assert sanka.do("make_plan", **plan)["plan_version"] == 1
    assert sanka.do("make_plan", **{**plan, "made_on": "2026-10-01",
                                    "review_dates": ["2027-01-10"]})["plan_version"] == 2
    record = sanka.app.support(support_id)
    assert record["status_label"] == "プラン作成済み" and record["plan"]["review_dates"] == ["2027-01-10"]


def test_plans_made_count_first_plans_in_their_fiscal_year_and_revisions_apart():
    sanka = Sanka()
    march = sanka.support_from_role()
    sanka.do("assess_needs", support_id=march, assessed_on="2026-03-02", caseworker_id="sw-1", needs=NEEDS)
    sanka.do("make_plan", support_id=march, made_on="2026-03-31", caseworker_id="sw-1",
             goals=["参加"], review_dates=["2026-06-01"])
    sanka.do("make_plan", support_id=march, made_on="2026-04-01", caseworker_id="sw-1",
             goals=["参加"], review_dates=["2026-06-01"])
    sanka.planned_support()
    fy2025, fy2026 = sanka.app.fiscal_year_counts(2025), sanka.app.fiscal_year_counts(2026)
    assert (fy2025["plans_made"], fy2025["plans_revised"]) == (1, 0)
    assert (fy2026["plans_made"], fy2026["plans_revised"]) == (1, 1)


def test_work_experience_registrations_count_new_in_the_year_and_all_up_to_it():
    sanka = Sanka()
    earlier, later = sanka.planned_support(), sanka.planned_support()
    with pytest.raises(PlanRuleViolation, match="plan first"):
        sanka.do("register_work_experience", support_id=sanka.support_from_role(),
                 registered_on="2026-07-10", caseworker_id="sw-1")
    sanka.do("register_work_experience", support_id=earlier, registered_on="2026-03-10", caseworker_id="sw-1")
    sanka.do("register_work_experience", support_id=later, registered_on="2026-07-10", caseworker_id="sw-1")
    with pytest.raises(PlanRuleViolation, match="already registered"):
        sanka.do("register_work_experience", support_id=later, registered_on="2026-07-11", caseworker_id="sw-1")
    assert sanka.app.fiscal_year_counts(2026)["work_experience_registrations"] == {"new": 1, "total": 2}
    assert sanka.app.fiscal_year_counts(2025)["work_experience_registrations"] == {"new": 1, "total": 1}


def test_a_closed_support_takes_no_further_plan():
    sanka = Sanka()
    support_id = sanka.planned_support()
    sanka.do("close_support", support_id=support_id, closed_on="2026-12-01", caseworker_id="sw-1")
    with pytest.raises(PlanRuleViolation, match="closed"):
        sanka.do("make_plan", support_id=support_id, made_on="2026-12-02", caseworker_id="sw-1",
                 goals=["参加"], review_dates=["2027-01-10"])


def test_every_personal_detail_of_a_support_sits_in_the_personal_part_of_its_events():
    sanka = Sanka()
    support_id = sanka.planned_support()
    stored = [sanka.app.mapper.to_domain_event(n)
              for n in sanka.app.recorder.select_notifications(start=1, limit=100)]
    for domain_event in stored:
        outside = {k: v for k, v in domain_event.__dict__.items() if k != "personal"}
        for secret in ("見本 一郎", NEEDS["wishes"], NEEDS["limits"], "週1回、農園の作業に参加する"):
            assert secret not in repr(outside), type(domain_event).__name__
    assert date(2026, 7, 5).isoformat() == sanka.app.support(support_id)["plan"]["made_on"]
