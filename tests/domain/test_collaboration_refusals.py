"""多機関協働 — every refusal: invalid commands name their fields and store nothing; illegal
transitions are refused with the rule that forbids them, and store nothing either."""
from uuid import uuid4

import pytest

from kasane.errors import DomainRuleViolation, InvalidCommand

from collaboration import schemas
from collaboration.domain.rules import (AssessmentRuleViolation, CaseRuleViolation,
                                        ConsentRequired, MeetingRuleViolation, PlanRuleViolation)

from tests.domain.collaboration_steps import CARE_ROLE, OUTREACH_ROLE, Takikan


@pytest.fixture
def takikan():
    return Takikan()


def refused(takikan: Takikan, error, call, *args, **kwargs):
    """The call raises `error`, and the store holds exactly what it held before."""
    before = takikan.stored()
    with pytest.raises(error) as caught:
        call(*args, **kwargs)
    assert takikan.stored() == before
    return str(caught.value)


def test_closing_without_a_meeting_decision_is_refused(takikan):
    _, case = takikan.in_force()
    rule = refused(takikan, CaseRuleViolation, takikan.end, "close_case", case["case_id"])
    assert "a case ends only as a meeting (重層的支援会議 or 支援会議) decided" in rule and "終結の判断" in rule


def test_suspending_after_a_closure_decision_or_closing_after_a_suspension_decision_is_refused(takikan):
    _, case = takikan.in_force()
    takikan.meet(case["case_id"], "suspension", reason="contact_lost")
    refused(takikan, CaseRuleViolation, takikan.end, "close_case", case["case_id"])
    _, other = takikan.in_force()
    takikan.meet(other["case_id"], "closure", goals_met="met", follow_up_needed=False)
    refused(takikan, CaseRuleViolation, takikan.end, "suspend_case", other["case_id"])


def test_a_multi_layered_meeting_for_a_household_without_consent_is_refused(takikan):
    case_id = takikan.refer()["case_id"]
    takikan.draft(case_id)
    rule = refused(takikan, ConsentRequired, takikan.meet, case_id, "plan_appropriate")
    assert "支援会議" in rule and "本人同意" in rule


def test_a_withdrawn_consent_no_longer_allows_a_multi_layered_meeting(takikan):
    household = str(uuid4())
    consent_id = takikan.consent(household)
    case_id = takikan.refer(household)["case_id"]
    takikan.draft(case_id)
    takikan.withdraw(household, consent_id)
    refused(takikan, ConsentRequired, takikan.meet, case_id, "plan_appropriate")


def test_a_consent_for_other_purposes_only_does_not_allow_a_multi_layered_meeting(takikan):
    household = str(uuid4())
    takikan.consent(household, purposes=("connection",))
    case_id = takikan.refer(household)["case_id"]
    takikan.draft(case_id)
    refused(takikan, ConsentRequired, takikan.meet, case_id, "plan_appropriate")


@pytest.mark.parametrize("decision, rule", [
    ("plan_appropriate", "draft first plan"), ("replan_agreed", "re-planning"),
    ("plan_revise", "draft plan"), ("closure", "plan is in force")])
def test_meeting_decisions_that_do_not_fit_the_cases_stage_are_refused(takikan, decision, rule):
    household = str(uuid4())
    takikan.consent(household)
    case_id = takikan.refer(household)["case_id"]
    assert rule in refused(takikan, CaseRuleViolation, takikan.meet, case_id, decision,
                           goals_met="met", follow_up_needed=True)


def test_a_closure_decision_without_its_evaluation_is_refused(takikan):
    _, case = takikan.in_force()
    assert "follow-up" in refused(takikan, CaseRuleViolation, takikan.meet, case["case_id"],
                                  "closure", goals_met="met")


def test_a_suspension_decision_without_its_reason_is_refused(takikan):
    _, case = takikan.in_force()
    refused(takikan, CaseRuleViolation, takikan.meet, case["case_id"], "suspension")


def test_a_plan_in_force_is_not_redrafted_or_revised_without_a_re_plan(takikan):
    _, case = takikan.in_force()
    assert "状況変化" in refused(takikan, CaseRuleViolation, takikan.draft, case["case_id"])
    refused(takikan, PlanRuleViolation, takikan.run, "revise_plan", schemas.RevisePlanSchema(),
            {"plan_id": case["plan_in_force_id"], "revised_on": "2026-07-01", "caseworker_id": "tk",
             "household_goal": "x", "roles": [CARE_ROLE], "monitoring_dates": ["2026-09-01"]})


def test_a_second_draft_beside_a_draft_is_refused(takikan):
    case_id = takikan.refer()["case_id"]
    takikan.draft(case_id)
    assert "revise that draft" in refused(takikan, CaseRuleViolation, takikan.draft, case_id)


def test_a_plan_sent_back_for_revision_is_not_judged_again_before_it_is_revised(takikan):
    household = str(uuid4())
    takikan.consent(household)
    case_id = takikan.refer(household)["case_id"]
    takikan.draft(case_id)
    takikan.meet(case_id, "plan_revise")
    refused(takikan, PlanRuleViolation, takikan.meet, case_id, "plan_appropriate")


@pytest.mark.parametrize("overrides, rule", [
    ({"person_goals": [], "household_goal": None}, "at least one goal"),
    ({"roles": []}, "役割分担"),
    ({"monitoring_dates": []}, "monitoring date"),
    ({"monitoring_dates": ["2026-06-01"]}, "after the day the plan is drafted"),
    ({"roles": [{**OUTREACH_ROLE, "instance": None}]}, "names the instance"),
])
def test_an_incomplete_plan_is_refused_with_the_rule(takikan, overrides, rule):
    case_id = takikan.refer()["case_id"]
    assert rule in refused(takikan, PlanRuleViolation, takikan.draft, case_id, **overrides)


def test_monitoring_without_a_plan_in_force_is_refused(takikan):
    case_id = takikan.refer()["case_id"]
    assert "plan in force" in refused(takikan, CaseRuleViolation, takikan.monitor, case_id, False)


def test_a_next_monitoring_date_before_the_monitoring_is_refused(takikan):
    _, case = takikan.in_force()
    refused(takikan, CaseRuleViolation, takikan.monitor, case["case_id"], False,
            next_monitoring_on="2026-08-01")


def test_returning_a_referral_after_a_plan_was_drafted_or_twice_is_refused(takikan):
    case = takikan.refer()
    referral_id = case["referrals"][0]["referral_id"]
    command = {"case_id": case["case_id"], "referral_id": referral_id, "reason": "other",
               "caseworker_id": "tk-1"}
    takikan.draft(case["case_id"])
    assert "before a plan is drafted" in refused(
        takikan, CaseRuleViolation, takikan.run, "return_referral", schemas.ReturnReferralSchema(), command)
    other = takikan.refer()
    second = takikan.refer(other["household_id"])  # joins: two referrals in one case
    command = {**command, "case_id": other["case_id"],
               "referral_id": second["referrals"][0]["referral_id"]}
    assert takikan.run("return_referral", schemas.ReturnReferralSchema(), command)["status"] == "open"
    refused(takikan, CaseRuleViolation, takikan.run, "return_referral", schemas.ReturnReferralSchema(), command)


def test_an_ended_case_takes_no_further_command(takikan):
    _, case = takikan.in_force()
    takikan.meet(case["case_id"], "suspension", reason="contact_lost")
    takikan.end("suspend_case", case["case_id"])
    for call in (lambda: takikan.monitor(case["case_id"], False),
                 lambda: takikan.meet(case["case_id"], "suspension", reason="other"),
                 lambda: takikan.end("suspend_case", case["case_id"])):
        assert "has ended" in refused(takikan, DomainRuleViolation, call)


def test_an_assessment_about_nobody_or_with_a_person_twice_is_refused(takikan):
    case_id = takikan.refer()["case_id"]
    base = {"case_id": case_id, "assessed_on": "2026-06-05",
            "assessor": {"organisation": "org", "caseworker_id": "tk-1"}}
    refused(takikan, AssessmentRuleViolation, takikan.run, "record_assessment",
            schemas.RecordAssessmentSchema(), base)
    person = {"person_id": str(uuid4()), "issue_categories": ["care"]}
    refused(takikan, AssessmentRuleViolation, takikan.run, "record_assessment",
            schemas.RecordAssessmentSchema(), {**base, "persons": [person, person]})


def test_a_meeting_without_attendees_or_with_a_case_twice_is_refused(takikan):
    _, case = takikan.in_force()
    item = {"case_id": case["case_id"], "decision": "suspension", "reason": "other"}
    base = {"held_on": "2026-07-01", "caseworker_id": "tk"}
    refused(takikan, MeetingRuleViolation, takikan.run, "hold_multi_layered_meeting",
            schemas.MultiLayeredMeetingSchema(), {**base, "attendees": [], "agenda": [item]})
    refused(takikan, MeetingRuleViolation, takikan.run, "hold_multi_layered_meeting",
            schemas.MultiLayeredMeetingSchema(),
            {**base, "attendees": [{"organisation": "o", "role": "host"}], "agenda": [item, item]})


@pytest.mark.parametrize("schema, command, fields", [
    (schemas.DraftPlanSchema(), {"case_id": "x", "roles": [{"service": "hospital"}]},
     {"case_id", "drafted_on", "caseworker_id", "roles", "monitoring_dates"}),
    (schemas.MultiLayeredMeetingSchema(),
     {"held_on": "2026-02-30", "caseworker_id": "tk", "attendees": [{"organisation": "o", "role": "boss"}],
      "agenda": [{"case_id": str(uuid4()), "decision": "approve"}]},
     {"held_on", "attendees", "agenda"}),
    (schemas.EndCaseSchema(), {"case_id": str(uuid4()), "ended_at": "2027-03-01T10:00:00"},
     {"caseworker_id", "ended_at"}),
    (schemas.SupportMeetingSchema(), {"held_on": "2026-07-01", "members": []},
     {"caseworker_id", "information_shared"}),
])
def test_an_invalid_command_names_its_fields_never_its_values(takikan, schema, command, fields):
    command = {**command, "note": "見本 一郎"} if "note" in schema.fields else command
    with pytest.raises(InvalidCommand) as caught:
        takikan.run("case", schema, command)
    assert set(caught.value.errors) == fields
    assert "hospital" not in str(caught.value) and "boss" not in str(caught.value)
