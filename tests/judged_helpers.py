"""The world of plans judged at a 重層的支援会議 (issue 19), for the page and browser tests: the
story's organisations in a city of Komae's profile and a 参加支援 whose plans go to the city's
多機関協働; a consenting household's case, and its participation plan proposed through the pages."""
from __future__ import annotations

import secrets
from uuid import uuid4

from tests.casework_helpers import body, case_of, plan_in_force, referred_household, signed_in_everywhere
from tests.servers import wait_until
from tests.story_helpers import story_world


def judged_world(p, tmp_path) -> dict:
    return signed_in_everywhere(story_world(p, tmp_path, participation=True), p)


def consenting_case(world) -> tuple[str, str]:
    """A household referred with consent, its plan (the 社協's outreach role) approved: (case, household)."""
    kana = "シンサ " + secrets.token_hex(2).translate(str.maketrans("0123456789abcdef", "アイウエオカキクケコサシスセソタ"))
    household = referred_household(world["pages"]["desk"], kana)
    with world["platform"].rpc() as rpc:
        case = case_of(rpc, f"{world['city']}-takikan", household)
    return plan_in_force(world["pages"]["takikan"], case, world["city"]), household


def participation_plan_proposed(world, household: str):
    """An agency's request for the household at 参加支援, its needs and plan entered on the
    support's page (proposed to 多機関協働): (the support's path, the page after the plan)."""
    sanka = world["pages"]["sanka"]
    with world["platform"].rpc() as rpc:
        support = rpc[f"{world['city']}-sanka"].receive_request({
            "household_id": household, "agency": {"agency_id": f"{world['city']}-komayell", "name": "こまYELL"},
            "consent": {"given_by": "self", "method": "written", "given_at": "2026-11-01T01:00:00Z"},
            "caseworker_id": "desk-1", "persons": [{"person_id": str(uuid4()), "name": "参加 花子"}]})["support_id"]
    path = f"/participation/supports/{support}"
    sanka.post("/participation/hosts", {"host_name": "駅前サロン", "host_kind": "community_place",
                                        "offers": ["place_to_belong"], "capacity": "5"})
    sanka.post(path + "/needs", {"wished_offers": ["place_to_belong"], "can_travel": "yes"})
    return path, sanka.post(path + "/plan", {"goal_1": "週に一度サロンに通う", "review_era": "reiwa",
                                             "review_year": "9", "review_month": "3", "review_day": "31"})


def proposed_on_case(world, case: str, count: int) -> str:
    """The case page once `count` plans await judgement on it."""
    return wait_until(lambda: (t := world["pages"]["takikan"].get(f"/cases/{case}").text).count("判断待ち") == count and t,
                      timeout=60, message="the plan proposed to 多機関協働")


def judge(world, case: str, **fields):
    """The first plan awaiting judgement, judged on the case page at the city's 支援調整会議."""
    page = world["pages"]["takikan"].get(f"/cases/{case}").text
    proposal = page.split('name="proposal_0" value="')[1].split('"')[0]
    return world["pages"]["takikan"].post(f"/cases/{case}/plan-judgements", {
        "judged_body_id": body(world["city"])["body_id"], "proposal_0": proposal, **fields})
