"""参加支援 on its organisation's gateway, driven as a browser without JavaScript: the request
with the person, the needs and the 参加支援事業プラン (review date entered in 和暦), the host menu
with a new host, the hosts proposed ranked with their reasons, the match chosen, sessions
(延べ), follow-ups scheduled and done, the ending. Bad input is refused by field, nothing stored."""
import re
import secrets
from datetime import datetime
from uuid import uuid4

import pytest

from kasane.clock import JST
from tests.pages_helpers import desk_gateway, field_error, organisation, signed_in

pytestmark = pytest.mark.integration
REIWA = {"era": "reiwa", "year": "9", "month": "3", "day": "31"}


@pytest.fixture(scope="module")
def world(platform):
    u, sanka, gateway = organisation(platform, "ppa", "participation", agencies=())
    platform.start(sanka, gateway)
    return {"platform": platform, "sanka": sanka.settings.instance, "pages": signed_in(gateway, f"ppa-{u}")}


def received(world) -> str:
    """A consultation agency's request, with 本人同意 (as the desk sends it)."""
    with world["platform"].rpc() as rpc:
        return rpc[world["sanka"]].receive_request({
            "household_id": str(uuid4()), "agency": {"agency_id": "desk-a", "name": "福祉相談窓口"},
            "consent": {"given_by": "self", "method": "written", "given_at": "2026-11-01T01:00:00Z"},
            "caseworker_id": "desk-1", "summary": "人と話す場がほしい",
            "persons": [{"person_id": str(uuid4()), "name": "参加 花子", "kana": "さんか はなこ"}]})["support_id"]


def day(prefix: str, **overrides) -> dict:
    return {f"{prefix}_{k}": v for k, v in {**REIWA, **overrides}.items()}


def test_the_list_links_each_open_support_and_the_host_menu(world):
    support = received(world)
    page = world["pages"].get("/participation").text
    assert f"/participation/supports/{support}" in page and "/participation/hosts" in page
    assert "参加 花子" not in page  # the list names no one


def test_a_plan_without_a_goal_or_with_a_past_review_date_is_refused_by_field_and_nothing_is_stored(world):
    pages, support = world["pages"], received(world)
    pages.post(f"/participation/supports/{support}/needs", {"wished_offers": ["place_to_belong"], "can_travel": "yes"})
    refused = pages.post(f"/participation/supports/{support}/plan",
                         {"plan_note": "<script>x</script>", **day("review", year="7")})
    assert refused.status_code == 422
    assert field_error(refused.text, "goal_1") == "目標を一つ以上入力してください"
    assert field_error(refused.text, "review_year") == "振り返りの日は今日より後の日付を入力してください"
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in refused.text and "<script>x" not in refused.text
    assert "まだプランはありません" in pages.get(f"/participation/supports/{support}").text


def test_a_person_is_matched_with_a_ranked_host_attends_is_followed_up_and_ends(world):
    pages, support = world["pages"], received(world)
    assert "参加 花子" in pages.get(f"/participation/supports/{support}").text
    area = "圏域" + secrets.token_hex(2)
    for name, where in (("遠くの食堂", "別の圏域"), ("近くのサロン", area)):
        pages.post("/participation/hosts", {"host_name": name, "host_kind": "community_place",
                                            "offers": ["place_to_belong"], "capacity": "3", "host_area": where,
                                            "host_days": ["tue"]})
    assert "近くのサロン" in pages.get("/participation/hosts").text
    pages.post(f"/participation/supports/{support}/needs", {"wished_offers": ["place_to_belong"], "area": area,
                                                            "available_days": ["tue"], "can_travel": "yes"})
    planned = pages.post(f"/participation/supports/{support}/plan", {"goal_1": "週に一度サロンに通う", **day("review")})
    assert "令和9年(2027年)3月31日" in planned.text and "週に一度サロンに通う" in planned.text
    ranked = planned.text[planned.text.index("マッチング候補"):]
    assert ranked.index("近くのサロン") < ranked.index("遠くの食堂") and "本人と同じ圏域にある" in ranked
    host = ranked.split('name="host_id" value="')[1].split('"')[0]
    match = pages.post(f"/participation/supports/{support}/match", {"host_id": host, "match_reason": "家から近い"})
    assert "/participation/matches/" in match.url and "1位／" in match.text
    path = match.url.removeprefix(pages.base)
    pages.post(path + "/start", {})
    attended = pages.post(path + "/sessions", {**day("attended", era="seireki", year="2026", month="12", day="1")})
    assert attended.status_code == 409 and 'id="sessions-count">0回' in pages.get(path).text  # before the start
    empty = pages.post(path + "/sessions", {})
    assert field_error(empty.text, "attended_year") == "参加した日を入力してください"
    on = datetime.now(JST).date()
    attended = pages.post(path + "/sessions", day("attended", era="seireki", year=str(on.year), month=str(on.month),
                                                  day=str(on.day)))
    assert 'id="sessions-count">1回' in attended.text
    scheduled = pages.post(path + "/follow-ups", {"with_whom": "host", **day("due")})
    assert "受入先" in scheduled.text and "令和9年(2027年)3月31日" in scheduled.text
    follow_up = scheduled.text.split('name="follow_up_id" value="')[1].split('"')[0]
    done = pages.post(path + "/follow-up-done", {"follow_up_id": follow_up, "follow_up_note": "休まず来ている"})
    assert "に実施" in done.text
    ended = pages.post(path + "/end", {"end_reason": "goal_reached"})
    assert "目標の達成" in ended.text and 'id="sessions-count">1回' in ended.text


# -- 参加支援の依頼 from the 世帯 page of a desk whose organisation runs 参加支援 too ---------------

@pytest.fixture(scope="module")
def desk_world(platform):
    u = secrets.token_hex(2)
    org = f"org-ppd-{u}"
    desk = platform.instance("consultation", f"ppd-desk-{u}", organisation=org)
    sanka = platform.instance("participation", f"ppd-sanka-{u}", organisation=org)
    gateway = desk_gateway(platform, f"ppd-gate-{u}", org, peers=[desk, sanka])
    platform.start(desk, sanka, gateway)
    return {"platform": platform, "sanka": sanka.settings.instance, "pages": signed_in(gateway, f"ppd-{u}")}


def open_supports(world) -> int:
    with world["platform"].rpc() as rpc:
        return len(rpc[world["sanka"]].open_supports()["supports"])


def test_a_person_without_consent_for_participation_or_no_reason_is_refused_then_the_request_is_sent(desk_world):
    from tests.pages_helpers import intake_form
    pages = desk_world["pages"]
    pages.post("/intake/search", {"kana": "さんか いらい"})
    household = pages.post("/intake", intake_form(p0_kana="さんか いらい"))  # consent: 多機関協働, アウトリーチ
    path = household.url.removeprefix(pages.base)
    assert f'action="{path}/participation"' in household.text
    mother = re.findall(r'name="participation_person" value="([^"]+)"', household.text)[0]
    before = open_supports(desk_world)
    refused = pages.post(path + "/participation", {"participation_person": mother})
    assert refused.status_code == 422
    assert field_error(refused.text, "participation_person") == "参加支援への本人同意が記録されている人を選んでください"
    assert field_error(refused.text, "participation_summary") == "依頼の内容を入力してください"
    assert open_supports(desk_world) == before
    son = re.search(r'name="person_id" value="([^"]+)"', household.text).group(1)  # no consent yet
    pages.post(path + "/consents", {"person_id": son, "consent_given_by": "self", "consent_method": "oral",
                                    "consent_purposes": ["participation"]})
    sent = pages.post(path + "/participation", {"participation_person": son, "participation_summary": "日中の居場所がほしい"})
    assert sent.url.endswith(path), sent.text[:1500]
    assert open_supports(desk_world) == before + 1
    with desk_world["platform"].rpc() as rpc:
        support = rpc[desk_world["sanka"]].open_supports()["supports"][0]["support_id"]
    page = pages.get(f"/participation/supports/{support}").text
    assert "見本 一郎" in page and re.search(r"id=\"request-summary\">日中の居場所がほしい<", page)
