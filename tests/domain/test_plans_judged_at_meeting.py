"""プランの適切性の協議 (issue 19; seed 001 §1(5)イ(イ)①: 多機関協働事業（参加支援事業、アウトリーチ等
継続支援事業）で作成したプランの適切性の協議): where the city's profile says so (Komae), an outreach or
participation plan is proposed to 多機関協働 and comes into force only once a 重層的支援会議 approves
it; sent back with reasons, it is revised and proposed again. Where the profile says nothing
(Matsudo), a plan is in force when made, as before. Each instance in memory; the envelopes pass
between them as the relay and the inbox consumer pass them (tests.drivers)."""
from uuid import uuid4

import pytest
import yaml

from collaboration import schemas as collaboration_schemas
from collaboration.domain.rules import ConsentRequired, MeetingRuleViolation
from outreach import schemas
from participation.domain.rules import PlanRuleViolation

from tests.domain.collaboration_steps import ORGANISATION, OUTREACH_ROLE, Takikan
from tests.domain.outreach_steps import Csw
from tests.domain.participation_steps import NEEDS, Sanka
from tests.domain.test_directory_copy_fold import PROFILES, Directory, feed

ATTENDEES = [{"organisation": ORGANISATION, "role": "host"}, {"organisation": "org-shakyo", "role": "outreach"}]
PLAN = {"made_on": "2026-07-10", "worker_id": "csw-03", "goals": ["週に一度は外出する"],
        "approach": "母の在宅時に訪問する", "review_dates": ["2026-10-10"]}


def profile(city: str) -> list[dict]:
    return Directory().apply(yaml.safe_load((PROFILES / f"{city}.yaml").read_text(encoding="utf-8")))


def in_city(city: str, *drivers):
    published = profile(city)
    for driver in drivers:
        feed(driver.app, driver.origin.service, published)
    return drivers


@pytest.fixture
def komae():
    return in_city("komae", Csw(collaboration_instance="takikan"), Takikan())


def consenting_lead(csw, takikan, purposes=("collaboration",), organisations=()) -> tuple[str, str]:
    """An outreach case of a household that consented to 多機関協働 (known there too)."""
    household_id = str(uuid4())
    lead = csw.lead(household_id=household_id)
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0], organisations=list(organisations), purposes=list(purposes))
    takikan.consent(household_id)
    return household_id, lead["case_id"]


def pass_on(sender, receiver, event_type: str) -> list[dict]:
    """What `sender` published of `event_type` since last time, delivered to `receiver`."""
    seen = sender.__dict__.setdefault("_passed", set())
    fresh = [e for e in sender.published(event_type) if e["event_id"] not in seen]
    for envelope in fresh:
        seen.add(envelope["event_id"])
        receiver.receive(envelope)
    return fresh


def judge(takikan, judgement: str, **more) -> dict:
    [proposal] = takikan.app.plan_proposals()["proposals"]
    return takikan.run("hold_multi_layered_meeting", collaboration_schemas.MultiLayeredMeetingSchema(), {
        "held_on": "2026-07-20", "caseworker_id": "tk-1", "attendees": ATTENDEES,
        "plan_judgements": [{"proposal_id": proposal["proposal_id"], "judgement": judgement, **more}]})


def test_komaes_profile_has_outreach_and_participation_plans_judged_and_matsudos_none():
    [komae] = [e for e in profile("komae") if e["type"] == "directory.city_profile_applied"]
    assert (komae["version"], komae["payload"]["plans_judged_at_meeting"]) == (3, ["outreach", "participation"])
    [csw] = in_city("komae", Csw())
    assert csw.app.directory.plans_judged_at_meeting("outreach")
    [csw] = in_city("matsudo", Csw())
    assert not csw.app.directory.plans_judged_at_meeting("outreach")


def test_an_outreach_plan_is_proposed_sent_back_with_reasons_revised_and_in_force_once_approved(komae):
    csw, takikan = komae
    household_id, case_id = consenting_lead(csw, takikan)
    made = csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": case_id, **PLAN})
    assert made["status"] == "proposed"
    [proposed] = pass_on(csw, takikan, "outreach.plan_proposed")
    assert (proposed["recipient"]["instance"], proposed["household_id"]) == ("takikan", household_id)
    assert proposed["payload"]["personal"]["goals"] == ["週に一度は外出する"]  # under her consent
    [waiting] = takikan.app.plan_proposals()["proposals"]
    assert (waiting["service"], waiting["revision"], waiting["judgement"]) == ("outreach", 1, None)
    judge(takikan, "sent_back", reasons=["goals_unclear"], comment="本人の希望を目標に")
    [judged] = pass_on(takikan, csw, "collaboration.plan_judged")
    assert (judged["recipient"]["instance"], judged["payload"]["reasons"]) == ("shakyo-csw", ["goals_unclear"])
    plan = csw.app.case(case_id)["plan"]
    assert (plan["status"], plan["in_force_revision"]) == ("sent_back", None)
    revised = csw.run("revise_plan", schemas.RevisePlanSchema(), {
        "plan_id": made["plan_id"], "revised_on": "2026-07-25", "worker_id": "csw-03",
        "goals": ["月に一度、本人の好きな釣りに一緒に行く"], "review_dates": ["2026-10-25"]})
    assert (revised["revision"], revised["status"]) == (2, "proposed")
    pass_on(csw, takikan, "outreach.plan_proposed")
    judge(takikan, "approved")
    pass_on(takikan, csw, "collaboration.plan_judged")
    plan = csw.app.case(case_id)["plan"]
    assert (plan["status"], plan["in_force_revision"]) == ("in_force", 2)


def test_without_consent_to_collaboration_the_goals_stay_home_and_no_meeting_judges_the_plan(komae):
    csw, takikan = komae
    household_id = str(uuid4())
    lead = csw.lead(household_id=household_id)
    csw.contact(lead["case_id"])
    csw.consent(lead["case_id"], lead["person_ids"][0])  # to the desk only
    csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": lead["case_id"], **PLAN})
    [proposed] = pass_on(csw, takikan, "outreach.plan_proposed")
    assert "personal" not in proposed["payload"]
    before = takikan.stored()
    with pytest.raises(ConsentRequired):
        judge(takikan, "approved")
    assert takikan.stored() == before


def test_a_consent_naming_the_judging_instances_organisation_lets_the_goals_travel(komae):
    csw, takikan = komae
    feed(csw.app, "outreach", [csw.envelope("directory.instances_registered", None, {
        "instances": [{"instance": "takikan", "organisation": ORGANISATION, "service": "collaboration",
                       "public_key": "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"}],
        "changed": ["takikan"], "registered_at": "2026-07-01T00:00:00Z"},
        {"service": "directory", "organisation": "komae-city", "instance": "komae-directory"})])
    _, case_id = consenting_lead(csw, takikan, purposes=(), organisations=(ORGANISATION,))
    csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": case_id, **PLAN})
    [proposed] = pass_on(csw, takikan, "outreach.plan_proposed")
    assert proposed["payload"]["personal"]["goals"] == PLAN["goals"]


def test_a_judgement_of_an_earlier_revision_or_delivered_again_changes_nothing(komae):
    csw, takikan = komae
    _, case_id = consenting_lead(csw, takikan)
    made = csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": case_id, **PLAN})
    pass_on(csw, takikan, "outreach.plan_proposed")
    judge(takikan, "approved")
    csw.run("revise_plan", schemas.RevisePlanSchema(), {
        "plan_id": made["plan_id"], "revised_on": "2026-07-15", "worker_id": "csw-03",
        "goals": ["週に二度は外出する"], "review_dates": ["2026-10-15"]})
    [late] = pass_on(takikan, csw, "collaboration.plan_judged")  # judged revision 1, now at 2
    assert csw.app.case(case_id)["plan"]["status"] == "proposed"
    before = csw.stored()
    csw.receive({**late, "event_id": str(uuid4()), "position": late["position"] + 100})
    assert csw.stored() == before


def test_a_plan_is_judged_once_and_sent_back_only_with_a_reason(komae):
    csw, takikan = komae
    _, case_id = consenting_lead(csw, takikan)
    csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": case_id, **PLAN})
    pass_on(csw, takikan, "outreach.plan_proposed")
    with pytest.raises(MeetingRuleViolation, match="reason"):
        judge(takikan, "sent_back")
    judge(takikan, "approved")
    [proposal] = takikan.app.plan_proposals(undecided_only=False)["proposals"]
    with pytest.raises(MeetingRuleViolation, match="already judged"):
        takikan.run("hold_multi_layered_meeting", collaboration_schemas.MultiLayeredMeetingSchema(), {
            "held_on": "2026-07-21", "caseworker_id": "tk-1", "attendees": ATTENDEES,
            "plan_judgements": [{"proposal_id": proposal["proposal_id"], "judgement": "approved"}]})


def test_where_the_profile_says_nothing_an_outreach_plan_is_in_force_when_made_and_nothing_is_proposed():
    csw, takikan = in_city("matsudo", Csw(collaboration_instance="takikan"), Takikan())
    _, case_id = consenting_lead(csw, takikan)
    made = csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": case_id, **PLAN})
    assert made["status"] == "in_force" and csw.published("outreach.plan_proposed") == []


def test_a_participation_plan_is_matched_only_once_a_meeting_approved_it():
    sanka, takikan = in_city("komae", Sanka(collaboration_instance="takikan"), Takikan())
    household_id = str(uuid4())
    takikan.consent(household_id)
    support = sanka.do("receive_request", household_id=household_id, caseworker_id="sw-9",
                       agency={"agency_id": "komae-komayell", "name": "こまYELL"},
                       consent={"given_by": "self", "method": "written", "given_at": "2026-06-01T01:00:00Z"},
                       persons=[{"person_id": str(uuid4()), "name": "見本 二郎"}], summary="就労に不安")
    support_id = support["support_id"]
    sanka.do("assess_needs", support_id=support_id, assessed_on="2026-07-02", caseworker_id="sw-1", needs=NEEDS)
    sanka.do("make_plan", support_id=support_id, made_on="2026-07-05", caseworker_id="sw-1",
             goals=["週1回、農園の作業に参加する"], review_dates=["2026-10-01"])
    register = {"support_id": support_id, "registered_on": "2026-07-06", "caseworker_id": "sw-1"}
    with pytest.raises(PlanRuleViolation, match="重層的支援会議"):
        sanka.do("register_work_experience", **register)
    [proposed] = pass_on(sanka, takikan, "participation.plan_proposed")
    assert proposed["recipient"]["instance"] == "takikan" and proposed["payload"]["request_id"] is None
    judge(takikan, "approved")
    pass_on(takikan, sanka, "collaboration.plan_judged")
    assert sanka.do("register_work_experience", **register)["registered_on"] == "2026-07-06"


def test_the_auditors_replay_names_a_proposal_and_a_judgement_in_japanese_without_their_personal_part():
    from audit.history import replay

    csw, takikan = in_city("komae", Csw(collaboration_instance="takikan"), Takikan())
    household_id, case_id = consenting_lead(csw, takikan)
    csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": case_id, **PLAN})
    entries = pass_on(csw, takikan, "outreach.plan_proposed")
    judge(takikan, "sent_back", reasons=["review_dates"], comment="見直し時期を早める")
    entries += takikan.published("collaboration.plan_judged")
    rows = replay(household_id, entries)["events"]
    assert [r["label"] for r in rows] == ["アウトリーチ等事業プランの提出（重層的支援会議へ）",
                                          "プランの適切性の判断（重層的支援会議）"]
    assert "週に一度" not in str(rows) and "見直し時期を早める" not in str(rows)


def test_an_outreach_plan_for_a_role_request_goes_to_the_plans_owner_and_shows_on_its_case(komae):
    csw, takikan = komae
    household_id = str(uuid4())
    takikan.consent(household_id)
    case = takikan.refer(household_id)
    role = {**OUTREACH_ROLE, "instance": csw.origin.instance, "organisation": csw.origin.organisation,
            "agency": {"agency_id": "komae-csw-outreach", "name": "CSWによるアウトリーチ支援事業"}}
    takikan.draft(case["case_id"], roles=[role])
    takikan.meet(case["case_id"], "plan_appropriate")
    pass_on(takikan, csw, "collaboration.role_requested")
    [lead] = [row for row in csw.app.open_leads()["leads"] if row["household_id"] == household_id]
    csw.run("make_plan", schemas.MakePlanSchema(), {"case_id": lead["case_id"], **PLAN})
    [proposed] = pass_on(csw, takikan, "outreach.plan_proposed")
    assert proposed["payload"]["collaboration_case_id"] == case["case_id"]
    judge(takikan, "approved")
    [shown] = takikan.app.case_record(case["case_id"])["plan_proposals"]
    assert (shown["service"], shown["judgement"]["judgement"]) == ("outreach", "approved")
