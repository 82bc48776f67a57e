"""受入先・マッチング・フォローアップ — the host menu and its development (開拓), ranked and
explained proposals, the match, its sessions (延べ) and end, follow-ups with person and host,
and a host's problem report for the plan's owner, in memory (issue 9; seeds 004 §5(4),
002 §III(1)(2))."""
from datetime import date
from uuid import UUID, uuid4

import pytest

from kasane.bus.envelope import Origin, envelope_for
from kasane_contracts import validate_envelope

from participation.domain.rules import (FollowUpRuleViolation, HostRuleViolation,
                                        MatchRuleViolation, PlanRuleViolation)
from participation.domain.match import Match
from participation.integration import translators

from tests.domain.participation_steps import NEEDS, PERSON, Sanka

FARM = {"name": "見本農園株式会社", "kind": "company", "offers": ["work_experience", "workplace_visit"],
        "area": "小俣", "capacity": 1, "contact_organisation": "見本農園株式会社",
        "contact_person": "見本 農子", "conditions": {"days": ["tue", "thu"], "accompaniment": True},
        "developed": {"developed_on": "2026-05-20", "developed_by": "sanka-sw-2"},
        "registered_on": "2026-05-21", "caseworker_id": "sanka-sw-2"}
SALON = {"name": "見本地区まちづくり協議会", "kind": "community_group",
         "offers": ["volunteer_experience"], "area": "二見", "capacity": 5,
         "contact_organisation": "見本地区まちづくり協議会", "conditions": {"days": ["mon"]},
         "developed": {"developed_on": "2026-04-10", "developed_by": "sanka-sw-1"},
         "registered_on": "2026-04-10", "caseworker_id": "sanka-sw-1"}
CAFE = {"name": "見本カフェ", "kind": "company", "offers": ["work_experience"], "area": "宮川",
        "capacity": 2, "contact_organisation": "見本カフェ", "conditions": {"days": ["sat"]},
        "registered_on": "2026-04-01", "caseworker_id": "sanka-sw-1"}  # an existing resource, not 開拓


def menu(sanka: Sanka) -> dict:
    return {name: sanka.do("register_host", **host)["host_id"]
            for name, host in (("farm", FARM), ("salon", SALON), ("cafe", CAFE))}


@pytest.fixture
def sanka() -> Sanka:
    return Sanka()


@pytest.fixture
def hosts(sanka) -> dict:
    """The host menu (受入先): a farm, a salon and a café."""
    return menu(sanka)


def matched(sanka: Sanka, hosts: dict, **support) -> tuple[str, str]:
    support_id = sanka.planned_support(**support)
    match = sanka.do("match", support_id=support_id, host_id=hosts["farm"], offer="work_experience",
                     matched_on="2026-07-10", caseworker_id="sw-1", reason="希望と曜日が合う")
    return support_id, match["match_id"]


def started(sanka: Sanka, hosts: dict, **support) -> tuple[str, str]:
    support_id, match_id = matched(sanka, hosts, **support)
    sanka.do("start_match", match_id=match_id, started_on="2026-07-14", caseworker_id="sw-1")
    return support_id, match_id


def test_a_developed_host_records_the_day_and_who_and_counts_as_new_by_kind():
    sanka = Sanka()
    menu(sanka)
    with pytest.raises(HostRuleViolation, match="developed"):
        sanka.do("register_host", **{**FARM, "developed": {"developed_on": "2026-06-01",
                                                          "developed_by": "sw-1"}})
    with pytest.raises(HostRuleViolation, match="capacity"):
        sanka.do("register_host", **{**SALON, "capacity": 0})
    counts = sanka.app.fiscal_year_counts(2026)
    assert (counts["new_company_hosts"], counts["new_community_hosts"]) == (1, 1)
    hosts = {h["name"]: h for h in sanka.app.host_menu()["hosts"]}
    assert hosts["見本カフェ"]["developed"] is None and hosts["見本農園株式会社"]["kind_label"] == "企業等"
    assert "contact_person" not in hosts["見本農園株式会社"]


def test_proposals_fit_the_wishes_and_area_ranked_with_their_reasons(sanka, hosts):
    support_id = sanka.planned_support()
    candidates = sanka.app.propose_hosts(support_id)["candidates"]
    assert [c["host_id"] for c in candidates] == [hosts["farm"], hosts["cafe"], hosts["salon"]]
    farm = candidates[0]
    assert farm["offer"] == "work_experience"
    assert "本人と同じ圏域にある" in farm["reasons"] and "参加できる曜日が合う（火・木）" in farm["reasons"]
    assert "圏域外（移動が必要）" in candidates[1]["reasons"]


def test_a_person_who_cannot_travel_is_proposed_hosts_in_their_area_only(sanka, hosts):
    support_id = sanka.support_from_role()
    sanka.do("assess_needs", support_id=support_id, assessed_on="2026-07-02", caseworker_id="sw-1",
             needs={**NEEDS, "can_travel": False})
    sanka.do("make_plan", support_id=support_id, made_on="2026-07-05", caseworker_id="sw-1",
             goals=["参加"], review_dates=["2026-10-01"])
    assert [c["host_id"] for c in sanka.app.propose_hosts(support_id)["candidates"]] == [hosts["farm"]]


def test_a_match_needs_a_plan_an_offer_the_host_makes_and_a_free_place(sanka, hosts):
    unplanned = sanka.support_from_role()
    match = {"host_id": hosts["farm"], "offer": "work_experience", "matched_on": "2026-07-10",
             "caseworker_id": "sw-1"}
    with pytest.raises(PlanRuleViolation, match="plan first"):
        sanka.do("match", support_id=unplanned, **match)
    first = sanka.planned_support()
    with pytest.raises(MatchRuleViolation, match="does not offer"):
        sanka.do("match", support_id=first, **{**match, "offer": "volunteer_experience"})
    made = sanka.do("match", support_id=first, **match)
    assert made["ranking"]["rank"] == 1 and made["ranking"]["reasons"]
    with pytest.raises(MatchRuleViolation, match="capacity"):
        sanka.do("match", support_id=sanka.planned_support(), **match)
    sanka.do("end_match", match_id=made["match_id"], ended_on="2026-07-10", reason="person_declined",
             caseworker_id="sw-1")
    assert sanka.do("match", support_id=sanka.planned_support(), **match)["match_id"]


def test_sessions_count_within_the_match_and_per_fiscal_year(sanka, hosts):
    _, match_id = matched(sanka, hosts)
    with pytest.raises(MatchRuleViolation, match="started"):
        sanka.do("record_session", match_id=match_id, attended_on="2026-07-14", caseworker_id="sw-1")
    sanka.do("start_match", match_id=match_id, started_on="2026-07-14", caseworker_id="sw-1")
    for day in ("2026-07-14", "2026-07-16", "2027-03-30", "2027-04-01"):
        sanka.do("record_session", match_id=match_id, attended_on=day, caseworker_id="sw-1",
                 note="黙々と作業")
    with pytest.raises(MatchRuleViolation, match="already recorded"):
        sanka.do("record_session", match_id=match_id, attended_on="2026-07-16", caseworker_id="sw-1")
    with pytest.raises(MatchRuleViolation, match="on or after the match's start"):
        sanka.do("record_session", match_id=match_id, attended_on="2026-07-13", caseworker_id="sw-1")
    with pytest.raises(MatchRuleViolation, match="last session"):
        sanka.do("end_match", match_id=match_id, ended_on="2027-03-31", reason="goal_reached",
                 caseworker_id="sw-1")
    sanka.do("end_match", match_id=match_id, ended_on="2027-04-02", reason="moved_to_employment",
             caseworker_id="sw-1")
    with pytest.raises(MatchRuleViolation, match="ended"):
        sanka.do("record_session", match_id=match_id, attended_on="2027-04-03", caseworker_id="sw-1")
    fy2026, fy2027 = sanka.app.fiscal_year_counts(2026), sanka.app.fiscal_year_counts(2027)
    assert (fy2026["matches_made"], fy2026["sessions"], fy2027["sessions"]) == (1, 3, 1)
    assert fy2026["sessions_by_offer"]["work_experience"] == {"label": "就労体験", "count": 3}
    assert fy2027["matches_ended"] == 1
    record = sanka.app.match_record(match_id)
    assert record["sessions_count"] == 4 and record["ended"]["reason_label"] == "就労へ移行"


def test_a_support_closes_only_when_its_matches_have_ended(sanka, hosts):
    support_id, match_id = started(sanka, hosts)
    with pytest.raises(PlanRuleViolation, match="end every running match"):
        sanka.do("close_support", support_id=support_id, closed_on="2026-09-01", caseworker_id="sw-1")
    sanka.do("end_match", match_id=match_id, ended_on="2026-09-01", reason="goal_reached", caseworker_id="sw-1")
    assert sanka.do("close_support", support_id=support_id, closed_on="2026-09-01",
                    caseworker_id="sw-1")["status"] == "closed"


def test_follow_ups_are_scheduled_with_the_person_or_the_host_then_recorded_once(sanka, hosts):
    _, match_id = started(sanka, hosts)
    with_host = sanka.do("schedule_follow_up", match_id=match_id, with_whom="host",
                         due_on="2026-08-01", caseworker_id="sw-1")
    sanka.do("schedule_follow_up", match_id=match_id, with_whom="person", due_on="2026-08-02",
             caseworker_id="sw-1")
    with pytest.raises(FollowUpRuleViolation, match="not scheduled"):
        sanka.do("record_follow_up", match_id=match_id, follow_up_id=str(uuid4()),
                 done_on="2026-08-01", caseworker_id="sw-1")
    sanka.do("record_follow_up", match_id=match_id, follow_up_id=with_host["follow_up_id"],
             done_on="2026-08-01", caseworker_id="sw-1", note="受入先は継続を希望")
    with pytest.raises(FollowUpRuleViolation, match="already recorded"):
        sanka.do("record_follow_up", match_id=match_id, follow_up_id=with_host["follow_up_id"],
                 done_on="2026-08-03", caseworker_id="sw-1")
    follow_ups = {f["with"]: f for f in sanka.app.match_record(match_id)["follow_ups"]}
    assert follow_ups["host"]["done_on"] == "2026-08-01" and follow_ups["person"]["done_on"] is None
    assert follow_ups["person"]["with_label"] == "本人"
    assert sanka.app.fiscal_year_counts(2026)["follow_ups_done"] == 1
    [due] = sanka.app.follow_ups_due(date(2026, 8, 5))["follow_ups"]
    assert (due["with"], due["overdue"]) == ("person", True)
    assert sanka.app.follow_ups_due(date(2026, 8, 1))["follow_ups"][0]["overdue"] is False
    sanka.do("end_match", match_id=match_id, ended_on="2026-08-06", reason="other", caseworker_id="sw-1")
    assert sanka.app.follow_ups_due(date(2026, 8, 7))["follow_ups"] == []


def _published(sanka: Sanka, match_id: str):
    """What the relay would publish for the match's problem reports (None when nothing)."""
    registry = translators()
    out = []
    for n in sanka.app.recorder.select_notifications(start=1, limit=500):
        domain_event = sanka.app.mapper.to_domain_event(n)
        if isinstance(domain_event, Match.HostProblemReported) and str(domain_event.originator_id) == match_id:
            outgoing = registry.translate(n.topic, domain_event)
            out.append(outgoing and envelope_for(outgoing, domain_event,
                                                 Origin("participation", "org-shakyo", "ise-sanka"), n.id))
    return out


def test_a_host_problem_goes_to_the_plan_owner_with_what_the_host_said_only_under_consent(sanka, hosts):
    _, consented = started(sanka, hosts)
    sanka.do("end_match", match_id=consented, ended_on="2026-07-20", reason="other", caseworker_id="sw-1")
    _, unconsented = started(sanka, hosts, consent_ids=[])
    problem = {"kind": "attendance", "reported_on": "2026-07-21", "caseworker_id": "sw-1",
               "description": "3回続けて連絡なく欠席"}
    sent = sanka.do("report_host_problem", match_id=consented, **problem)
    sanka.do("report_host_problem", match_id=unconsented, **problem)
    assert sent["sent_to"] == "ise-takikan"
    [with_personal] = _published(sanka, consented)
    [without] = _published(sanka, unconsented)
    for envelope in (with_personal, without):
        assert validate_envelope(envelope) == envelope
        assert envelope["recipient"] == {"instance": "ise-takikan"}
        assert envelope["payload"]["host"]["name"] == "見本農園株式会社"
    assert with_personal["payload"]["personal"] == {"description": "3回続けて連絡なく欠席"}
    assert "personal" not in without["payload"] and "欠席" not in repr(without)
    assert sanka.app.fiscal_year_counts(2026)["host_problems_reported"] == 2


def test_a_problem_on_a_support_from_a_consultation_agency_stays_here_and_needs_a_started_match(sanka, hosts):
    support_id = sanka.do("receive_request", household_id=str(uuid4()), caseworker_id="sw-9",
                          agency={"agency_id": "jiritsu", "name": "生活サポートセンター"},
                          consent={"given_by": "self", "method": "oral",
                                   "given_at": "2026-06-01T01:00:00Z"})["support_id"]
    sanka.do("assess_needs", support_id=support_id, assessed_on="2026-07-02", caseworker_id="sw-1", needs=NEEDS)
    sanka.do("make_plan", support_id=support_id, made_on="2026-07-05", caseworker_id="sw-1",
             goals=["参加"], review_dates=["2026-10-01"])
    match_id = sanka.do("match", support_id=support_id, host_id=hosts["salon"],
                        offer="volunteer_experience", matched_on="2026-07-10", caseworker_id="sw-1")["match_id"]
    problem = {"kind": "relationships", "reported_on": "2026-07-21", "caseworker_id": "sw-1"}
    with pytest.raises(FollowUpRuleViolation, match="started"):
        sanka.do("report_host_problem", match_id=match_id, **problem)
    sanka.do("start_match", match_id=match_id, started_on="2026-07-12", caseworker_id="sw-1")
    assert sanka.do("report_host_problem", match_id=match_id, **problem)["sent_to"] is None
    assert _published(sanka, match_id) == [None]


def test_a_shortage_becomes_a_development_target_that_a_developed_host_meets():
    sanka = Sanka()
    shortage = {"shortage_id": str(uuid4()), "meeting_id": str(uuid4()),
                "resource_kind": "work_experience", "area": "小俣",
                "description": "農作業の就労体験先がない", "found_on": "2026-06-20"}
    sanka.from_takikan("collaboration.social_resource_shortage_found", None, shortage)
    sanka.from_takikan("collaboration.social_resource_shortage_found", None, shortage)
    [target] = sanka.app.development_targets()["targets"]
    assert (target["resource_kind"], target["from_instance"]) == ("work_experience", "ise-takikan")
    host = sanka.do("register_host", **FARM, development_target_id=target["target_id"])
    assert sanka.app.development_targets()["targets"][0]["met_by"] == [host["host_id"]]
    with pytest.raises(HostRuleViolation, match="development target"):
        sanka.do("register_host", **SALON, development_target_id=str(uuid4()))


def test_workplace_visit_events_count_in_their_fiscal_year(sanka, hosts):
    for held_on in ("2026-05-15", "2027-03-31", "2027-04-01"):
        sanka.do("hold_experience_day", held_on=held_on, host_ids=[hosts["farm"], hosts["cafe"]],
                 kind="workplace_visit", participants=6, caseworker_id="sw-1")
    with pytest.raises(HostRuleViolation):
        sanka.do("hold_experience_day", held_on="2026-06-01", host_ids=[str(uuid4())],
                 kind="workplace_visit", participants=3, caseworker_id="sw-1")
    assert sanka.app.fiscal_year_counts(2026)["experience_days_held"] == 2


WITHDRAWALS = {
    "consultation": ("consultation.consent_withdrawn",
                     {"agency": {"agency_id": "a", "name": "窓口"}, "caseworker_id": "sw-1"}),
    "outreach": ("outreach.consent_withdrawn", {"outreach_case_id": str(uuid4()), "worker_id": "csw-1"}),
}


@pytest.mark.parametrize("where", WITHDRAWALS)
def test_after_the_consent_is_withdrawn_a_host_problem_no_longer_carries_what_the_host_said(sanka, hosts, where):
    consent_id = str(uuid4())
    support_id, match_id = started(sanka, hosts, consent_ids=[consent_id])
    household_id = str(sanka.app.repository.get(UUID(support_id)).household_id)
    event_type, fields = WITHDRAWALS[where]
    sanka.deliver(event_type, household_id, {
        "consent_id": consent_id, "person_id": PERSON, "withdrawn_at": "2026-07-15T00:00:00Z", **fields},
        {"service": where, "organisation": "org-x", "instance": f"{where}-x"})
    sanka.do("report_host_problem", match_id=match_id, kind="attendance", reported_on="2026-07-21",
             caseworker_id="sw-1", description="3回続けて連絡なく欠席")
    [envelope] = _published(sanka, match_id)
    assert validate_envelope(envelope) == envelope
    assert "personal" not in envelope["payload"] and "欠席" not in repr(envelope)
