"""The 多機関協働 world for the casework page tests: the 8050 story's three organisations (desk,
the city's 多機関協働, the 社協's outreach) on a vhost of their own, driven as a browser without
JavaScript would (tests.pages_helpers.Pages)."""
from __future__ import annotations

import re

from tests.pages_helpers import Pages, intake_form
from tests.servers import wait_until

CASE_LINK = re.compile(r'href="/cases/([0-9a-f-]{36})"')
def body(city: str) -> dict:
    """会議体: the small city's 支援調整会議 (Komae's profile), which meets as either kind of meeting."""
    return {"body_id": f"{city}-shien-chosei-kaigi"}


REIWA_9_3_31 = {"monitoring_on_era": "reiwa", "monitoring_on_year": "9", "monitoring_on_month": "3",
                "monitoring_on_day": "31"}


def referred_household(desk: Pages, kana: str, consent: bool = True) -> str:
    """The desk takes an intake (with or without 本人同意) and refers it to 多機関協働."""
    desk.post("/intake/search", {"kana": kana})
    overrides = {"p0_kana": kana} if consent else {"p0_kana": kana, "consent": "no", "consent_purposes": []}
    household = desk.post("/intake", intake_form(**overrides))
    assert "/households/" in household.url, household.text[:500]
    if consent:  # the son's consent too, on the household page
        person = re.findall(r'name="person_id" value="([^"]+)"', household.text)
        for p in person:
            desk.post(household.url.removeprefix(desk.base) + "/consents",
                      {"person_id": p, "consent_given_by": "self", "consent_method": "oral",
                       "consent_purposes": ["collaboration", "outreach"]})
    consultation = re.search(r'name="consultation_id" value="([^"]+)"', household.text).group(1)
    referred = desk.post(household.url.removeprefix(desk.base) + "/refer",
                         {"consultation_id": consultation, "reasons": ["compound_issues"]})
    assert referred.status_code == 200, referred.text[:500]
    return household.url.rsplit("/", 1)[1]


def case_of(rpc, takikan_instance: str, household_id: str) -> str:
    found = wait_until(lambda: rpc[takikan_instance].open_case_of(household_id), timeout=60,
                       message="the referral at 多機関協働")
    return found["case_id"]


def same_person_twice(world) -> dict:
    """One mother taken in twice as two households (the desk chose 新しい世帯 again) and both
    referred with consent: 多機関協働 notices the likely same person. The check, ids only."""
    import secrets
    kana = "ドウイツ " + secrets.token_hex(3).translate(str.maketrans("0123456789abcdef", "アイウエオカキクケコサシスセソタ"))
    first, second = (referred_household(world["pages"]["desk"], kana) for _ in range(2))
    with world["platform"].rpc() as rpc:
        takikan = rpc[f"{world['city']}-takikan"]
        return wait_until(lambda: next((c for c in takikan.same_person_checks({})["checks"]
                                        if {c["household_id"], c["other_household_id"]} == {first, second}), None),
                          timeout=60, message="the likely same person noticed at 多機関協働")


def plan_in_force(takikan: Pages, case: str, city: str, consented: bool = True) -> str:
    """Assessed, planned with the 社協's outreach role, approved by the 重層的支援会議."""
    takikan.post(f"/cases/{case}/assessment", {"a_categories": ["8050"], "a_situation": "母の介護と長男のひきこもり"})
    planned = takikan.post(f"/cases/{case}/plan", {"household_goal": "長男が週に一度外出できる",
                                                  "role_agency": f"{city}-csw-outreach",
                                                  "role_task": "outreach_visits", **REIWA_9_3_31})
    assert "世帯の目標: 長男が週に一度外出できる" in planned.text, planned.text[:2000]
    if consented:
        wait_until(lambda: "共有に同意あり" in takikan.get(f"/cases/{case}").text, timeout=60,
                   message="the consent at 多機関協働")
        approved = takikan.post(f"/cases/{case}/meeting", {"decision": "plan_appropriate", **body(city)})
        assert 'id="case-status">支援中（モニタリング）' in approved.text, approved.text[:3000]
    return case


def lines_world(p, tmp_path) -> dict:
    """The story's three organisations (tests.story_helpers) and a fourth running 参加支援 and
    地域づくり, each signed in through its gateway (requests, as a browser without script)."""
    import secrets

    from gateway.domain.roles import CASEWORKER
    from tests.gateway_helpers import add_staff
    from tests.pages_helpers import desk_gateway
    from tests.story_helpers import story_world

    world = story_world(p, tmp_path)
    org = f"{world['city']}-sanka"
    sanka = p.instance("participation", f"{world['city']}-sanka", organisation=org)
    chiiki = p.instance("community", f"{world['city']}-chiiki", organisation=org)
    world["gates"]["sanka"] = desk_gateway(p, f"{world['city']}-gate-sanka", org, [sanka, chiiki], agencies=())
    for deployed in (sanka, chiiki, world["gates"]["sanka"]):
        p.start(deployed)
    world["staff"] = {k: add_staff(g, f"{k}-{secrets.token_hex(2)}", CASEWORKER) for k, g in world["gates"].items()}
    world["pages"] = {k: Pages(g) for k, g in world["gates"].items()}
    for k, pages in world["pages"].items():
        assert pages.sign_in(world["staff"][k]).url.endswith("/today")
    world["platform"] = p
    return world


def every_line_s_pages(world) -> dict:
    """Data on each new page (made through the pages themselves); name -> (gateway key, path)."""
    desk, takikan, shakyo, sanka = (world["pages"][k] for k in ("desk", "takikan", "shakyo", "sanka"))
    with world["platform"].rpc() as rpc:
        case = case_of(rpc, f"{world['city']}-takikan", referred_household(desk, "ミンナノ ページ"))
        plan_in_force(takikan, case, world["city"])
        unconsented = case_of(rpc, f"{world['city']}-takikan", referred_household(desk, "ドウイ ナシ", consent=False))
    meeting = takikan.post(f"/cases/{unconsented}/meeting", {
        **body(world["city"]), "decision": "suspension", "suspension_reason": "contact_lost", "host_secrecy": "yes",
        "information_shared": "郵便物が溜まっている", "m1_organisation": world["orgs"]["shakyo"], "m1_role": "outreach"})
    lead = shakyo.post("/outreach/leads", {"source": "neighbour", "noticed_era": "reiwa", "noticed_year": "8",
                                           "noticed_month": "11", "noticed_day": "1", "person_name": "近所 三郎"})
    survey = shakyo.post("/outreach/area", {"kind": "survey", "area": f"{world['city']}-aitopia", "held_era": "reiwa",
                                            "held_year": "8",
                                            "held_month": "10", "held_day": "1", "sent_to_minsei_iin": "5",
                                            "sent_to_offices": "0"})
    sanka.post("/participation/hosts", {"host_name": "駅前サロン", "host_kind": "community_place",
                                        "offers": ["place_to_belong"], "capacity": "5"})
    place = sanka.post("/community/places", {"place_kind": "ibasho", "place_name": "みんなの居場所",
                                             "place_area": "中央", "operator": "中央町会"})
    place_path = re.search(r'href="(/community/places/[0-9a-f-]{36})"', place.text).group(1)
    sheet = sanka.post(place_path + "/sheets", {"sheet_categories": ["isolation"], "consent": "no"})
    sanka.post("/community/trainings", {"training_kind": "volunteer_intro", "title": "ボランティア入門講座",
                                        "held_era": "reiwa", "held_year": "8", "held_month": "10", "held_day": "1",
                                        "training_area": "中央", "attendees": "12"})
    check = same_person_twice(world)["check_id"]
    return {"多機関協働のケース（モニタリング）": ("takikan", f"/cases/{case}"),
            "支援会議の記録": ("takikan", meeting.url.removeprefix(takikan.base)),
            "アウトリーチの一覧": ("shakyo", "/outreach"),
            "アウトリーチの記録（把握）": ("shakyo", lead.url.removeprefix(shakyo.base)),
            "地域での取組": ("shakyo", "/outreach/area"),
            "アンケートの回収": ("shakyo", survey.url.removeprefix(shakyo.base)),
            "参加支援": ("sanka", "/participation"), "受入先一覧": ("sanka", "/participation/hosts"),
            "地域づくり": ("sanka", "/community"), "場・活動": ("sanka", place_path),
            "つなぐシート": ("sanka", sheet.url.removeprefix(sanka.base)),
            "研修（種類ごと）": ("sanka", "/community/trainings"),
            "同一人物の確認（一覧）": ("takikan", "/same-person"), "同一人物の確認": ("takikan", f"/same-person/{check}")}
