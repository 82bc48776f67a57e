"""多機関協働 on the city's gateway, driven as a browser without JavaScript: monitoring and a
review without re-planning, a re-plan, 中断 (with its reason, the household handed back) and
再開, 終結 with each goal evaluated, and — for a household without consent — a 支援会議 whose
record its member persons alone may read. Bad input is refused by field with nothing stored."""
import re
import secrets

import pytest

from gateway.domain.roles import CASEWORKER
from tests.casework_helpers import REIWA_9_3_31, body, case_of, plan_in_force, referred_household
from tests.gateway_helpers import add_staff
from tests.pages_helpers import Pages, field_error
from tests.servers import slice_of_servers, wait_until
from tests.story_helpers import story_world

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform, tmp_path_factory):
    with slice_of_servers(platform.state_dir) as p:
        world = story_world(p, tmp_path_factory.mktemp("casework"))
        staff = {k: add_staff(g, f"cw{k}-{secrets.token_hex(2)}", CASEWORKER) for k, g in world["gates"].items()}
        world["colleague"] = add_staff(world["gates"]["takikan"], f"cwcol-{secrets.token_hex(2)}", CASEWORKER)
        world["pages"] = {}
        for k, g in world["gates"].items():
            world["pages"][k] = Pages(g)
            assert world["pages"][k].sign_in(staff[k]).url.endswith("/today")
        world["platform"] = p
        yield world


def new_case(world, consent: bool = True) -> str:
    kana = "タキカン " + secrets.token_hex(2).translate(str.maketrans("0123456789abcdef", "アイウエオカキクケコサシスセソタ"))
    household = referred_household(world["pages"]["desk"], kana, consent)
    with world["platform"].rpc() as rpc:
        return case_of(rpc, f"{world['city']}-takikan", household)


@pytest.fixture(scope="module")
def case(world):
    return plan_in_force(world["pages"]["takikan"], new_case(world), world["city"])


def status(page: str) -> str:
    return re.search(r'id="case-status">([^<]*)<', page).group(1)


def test_a_review_without_re_planning_keeps_the_plan_in_force(world, case):
    takikan = world["pages"]["takikan"]
    monitored = takikan.post(f"/cases/{case}/monitoring", {"situation_changed": "no"})
    assert "変化なし" in monitored.text
    reviewed = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "review", "comment": "外出の回数が増えた"})
    assert "支援状況の検証・評価（再プランなし）" in reviewed.text and status(reviewed.text) == "支援中（モニタリング）"


def test_a_change_of_situation_opens_a_re_plan_confirmed_at_the_meeting(world, case):
    takikan, city = world["pages"]["takikan"], world["city"]
    changed = takikan.post(f"/cases/{case}/monitoring", {"situation_changed": "yes", "monitoring_note": "母が入院"})
    assert status(changed.text) == "再プラン中（状況変化）" and "再プランの案を作成する" in changed.text
    replanned = takikan.post(f"/cases/{case}/plan", {"household_goal": "母の退院後の生活を整える",
                                                    "role_agency": f"{city}-csw-outreach",
                                                    "role_task": "outreach_visits", **REIWA_9_3_31})
    assert "再プラン（第2プラン）" in replanned.text and "第1プラン・第1版" in replanned.text
    assert "令和9年(2027年)3月31日" in replanned.text
    agreed = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "replan_agreed"})
    assert "再プランの確認" in agreed.text and status(agreed.text) == "支援中（モニタリング）"


def test_a_closure_is_refused_until_each_goal_is_evaluated_and_nothing_is_stored(world, case):
    takikan = world["pages"]["takikan"]
    before = takikan.get(f"/cases/{case}").text.count("支援終結の判断</td>")
    refused = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "closure", "goal_0_note": "<b>途中</b>",
                                                     "follow_up": "yes"})
    assert refused.status_code == 422
    assert field_error(refused.text, "goal_0") == "目標1の達成状況を選んでください"
    assert "&lt;b&gt;途中&lt;/b&gt;" in refused.text  # what was typed comes back, as text
    assert takikan.get(f"/cases/{case}").text.count("支援終結の判断</td>") == before


def test_a_suspended_case_is_handed_back_then_resumed(world):
    takikan = world["pages"]["takikan"]
    case = plan_in_force(takikan, new_case(world), world["city"])
    no_reason = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "suspension"})
    assert field_error(no_reason.text, "suspension_reason") == "中断の理由（中断の場合）を選んでください" or \
        field_error(no_reason.text, "suspension_reason") == "中断の理由を選んでください"
    decided = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "suspension", "suspension_reason": "contact_lost"})
    assert "中断の理由: 本人と連絡が完全に取れない" in decided.text
    suspended = takikan.post(f"/cases/{case}/suspend", {"suspend_summary": "連絡が取れなくなった"})
    assert status(suspended.text) == "中断" and "地域包括支援センター あいとぴあへつなぎ戻しました" in suspended.text
    resumed = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "resumption"})
    assert status(resumed.text) == "支援中（モニタリング）" and "支援再開の決定" in resumed.text


def test_a_closure_evaluates_each_goal_and_hands_the_household_back(world, case):
    takikan = world["pages"]["takikan"]
    closing = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), "decision": "closure", "goal_0": "partly_met",
                                                     "goal_0_note": "退院後の通院は続く", "follow_up": "yes"})
    assert "目標: 一部達成" in closing.text and "世帯の目標: 一部達成" in closing.text
    closed = takikan.post(f"/cases/{case}/close", {"summary": "母は退院し、長男が通院に付き添う"})
    assert status(closed.text) == "終結" and "へつなぎ戻しました" in closed.text


def test_a_support_meeting_without_consent_is_read_by_its_member_persons_only(world):
    takikan, shakyo = world["pages"]["takikan"], world["pages"]["shakyo"]
    case = new_case(world, consent=False)
    page = takikan.get(f"/cases/{case}").text
    assert "支援会議（法106条の6）の決定を記録する" in page and "本人同意の範囲外のため表示しません" in page
    shakyo_staff = shakyo.get("/api/session").json()["staff_id"]
    form = {"decision": "suspension", "suspension_reason": "declined", "host_secrecy": "yes",
            "m1_organisation": world["orgs"]["shakyo"], "m1_role": "outreach", "m1_staff_id": shakyo_staff,
            "m1_name": "社協 太郎", "information_shared": "郵便物が溜まっている"}
    unsworn = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), **form, "host_secrecy": ""})
    assert unsworn.status_code == 422 and field_error(unsworn.text, "host_secrecy"), re.findall("エラー: [^<]*", unsworn.text)
    assert 'value="郵便物が溜まっている"' not in unsworn.text and "郵便物が溜まっている</textarea>" in unsworn.text
    held = takikan.post(f"/cases/{case}/meeting", {**body(world["city"]), **form, "m1_secrecy": "yes"})
    assert "/support-meetings/" in held.url, held.text[:1500]
    assert "郵便物が溜まっている" in held.text and "社協 太郎" in held.text and "守秘義務の確認" in held.text
    colleague = Pages(world["gates"]["takikan"])
    colleague.sign_in(world["colleague"])
    refused = colleague.get(held.url.removeprefix(colleague.base))
    assert refused.status_code == 403 and "郵便物" not in refused.text


# -- アウトリーチ (the 社協's CSW, on its own gateway) --------------------------------------------

def role_request(world) -> str:
    """An outreach case a plan's role request opened at the 社協 (found on its list)."""
    shakyo = world["pages"]["shakyo"]
    wait_until(lambda: "多機関協働からの役割の依頼" in shakyo.get("/outreach").text, timeout=60,
               message="the role request at the 社協")
    with world["platform"].rpc() as rpc:
        leads = rpc[f"{world['city']}-csw"].open_leads({})["leads"]
    return [lead["case_id"] for lead in leads if lead["source"] == "collaboration_role"][0]


def test_a_lead_with_a_future_day_or_markup_in_a_name_is_refused_by_field_and_nothing_is_stored(world):
    shakyo = world["pages"]["shakyo"]
    before = shakyo.get("/outreach").text.count("記録を開く")
    refused = shakyo.post("/outreach/leads", {"source": "neighbour", "noticed_era": "reiwa", "noticed_year": "30",
                                              "noticed_month": "1", "noticed_day": "1",
                                              "person_name": "<img src=x>; DROP TABLE", "description": "x" * 10000})
    assert refused.status_code == 422
    assert field_error(refused.text, "noticed_year") == "把握した日に未来の日付は入力できません"
    assert field_error(refused.text, "person_name").startswith("氏名に使えない記号")
    assert field_error(refused.text, "description") == "気になっていることは2000文字以内で入力してください"
    assert "&lt;img src=x&gt;" in refused.text and "<img src=x>" not in refused.text
    assert shakyo.get("/outreach").text.count("記録を開く") == before


def test_an_outreach_worker_moves_the_stage_meets_the_person_records_consent_and_closes(world):
    shakyo = world["pages"]["shakyo"]
    taken = shakyo.post("/outreach/leads", {"source": "minsei_iin", "noticed_era": "reiwa", "noticed_year": "8",
                                            "noticed_month": "11", "noticed_day": "1", "relation": "self",
                                            "person_name": "把握 太郎", "description": "新聞が溜まっている"})
    assert "/outreach/" in taken.url and "把握 太郎" in taken.text, taken.text[:1500]
    path = taken.url.removeprefix(shakyo.base)
    gathering = shakyo.post(path + "/stage", {"to": "gathering"})
    assert 'id="stage">情報収集' in gathering.text
    person = re.search(r'name="person_id" value="([^"]+)"', gathering.text).group(1)
    consent = {"person_id": person, "given_by": "self", "method": "oral", "purposes": ["connection"]}
    too_soon = shakyo.post(path + "/consent", consent)
    assert too_soon.status_code >= 400 and "同意あり" not in shakyo.get(path).text  # not met yet
    shakyo.post(path + "/contact", {"mode": "direct", "with_whom": "self", "outcome": "talked"})
    consented = shakyo.post(path + "/consent", consent)
    assert 'id="stage">同意取得' in consented.text and "同意あり" in consented.text
    assert 'action="' + path + '/stage"' not in consented.text  # 同意取得 is left only by つなぎ
    no_reason = shakyo.post(path + "/close", {"close_note": "転居先不明"})
    assert field_error(no_reason.text, "reason") == "終了の理由を選んでください"
    closed = shakyo.post(path + "/close", {"reason": "moved_away"})
    assert 'id="closure">' in closed.text and "転居" in closed.text
    assert path not in shakyo.get("/outreach").text


def test_a_role_request_is_handed_over_to_collaboration_under_consent(world, case):
    shakyo = world["pages"]["shakyo"]
    path = f"/outreach/{role_request(world)}"
    shakyo.post(path + "/contact", {"mode": "direct", "with_whom": "self", "outcome": "met"})
    page = shakyo.get(path).text
    person = re.search(r'name="person_id" value="([^"]+)"', page).group(1)
    shakyo.post(path + "/consent", {"person_id": person, "given_by": "self", "method": "written",
                                    "purposes": ["collaboration"]})
    target = f"{world['city']}-takikan-kyodo"
    refused = shakyo.post(path + "/hand-over", {"target": target})
    assert field_error(refused.text, "issue_categories") == "課題（一つ以上）を一つ以上選んでください" or \
        field_error(refused.text, "issue_categories") == "課題を一つ以上選んでください"
    handed = shakyo.post(path + "/hand-over", {"target": target, "issue_categories": ["hikikomori"]})
    assert 'id="stage">つなぎ' in handed.text and "根拠: 本人同意" in handed.text, handed.text[:3000]


def test_area_work_is_refused_by_field_then_counted_for_the_year(world):
    shakyo = world["pages"]["shakyo"]
    desk = {"kind": "popup_desk", "area": f"{world['city']}-aitopia", "held_era": "reiwa", "held_year": "8", "held_month": "11",
            "held_day": "3", "visitors": "12", "consultations": "3"}
    before = int(re.search(r'id="count-popup_desks">(\d+)<', shakyo.get("/outreach/area").text).group(1))
    refused = shakyo.post("/outreach/area", {**desk, "visitors": "十二"})
    assert field_error(refused.text, "place") == "アウトリーチ型相談所の場所を入力してください"
    assert field_error(refused.text, "visitors") == "来所者は0以上の数字で入力してください"
    recorded = shakyo.post("/outreach/area", {**desk, "place": "駅前の集会所"})
    assert f'id="count-popup_desks">{before + 1}<' in recorded.text
    assert 'id="count-popup_visitors">' in recorded.text


def test_another_organisation_s_caseworker_sees_nothing_of_the_case_or_its_role(world, case):
    for gate, path in (("shakyo", f"/cases/{case}"), ("desk", f"/cases/{case}"), ("takikan", "/outreach"),
                       ("desk", "/participation")):
        refused = world["pages"][gate].get(path)
        assert refused.status_code == 404 and "見本" not in refused.text, (gate, path)


def test_a_survey_sent_then_its_returns_are_counted_and_too_many_found_is_refused(world):
    shakyo = world["pages"]["shakyo"]
    counts = shakyo.get("/outreach/area").text
    before = int(re.search(r'id="count-survey_returns">(\d+)<', counts).group(1))
    sent = shakyo.post("/outreach/area", {"kind": "survey", "area": f"{world['city']}-aitopia", "held_era": "reiwa", "held_year": "8",
                                          "held_month": "10", "held_day": "1", "sent_to_minsei_iin": "30",
                                          "sent_to_offices": "10"})
    assert "/outreach/surveys/" in sent.url, sent.text[:1500]
    path = sent.url.removeprefix(shakyo.base)
    refused = shakyo.post(path, {"returned": "5", "cases_found": "9"})
    assert field_error(refused.text, "cases_found") == "把握した人数は回収数以下で入力してください"
    assert 'value="9"' in refused.text
    counted = shakyo.post(path, {"returned": "25", "cases_found": "3"})
    assert f'id="count-survey_returns">{before + 25}<' in counted.text


def follow_ups(page: str) -> int:
    return int(re.search(r'id="count-follow_ups">(\d+)<', page).group(1))


def test_a_follow_up_of_a_survey_or_of_a_case_is_refused_by_field_then_counted(world):
    shakyo = world["pages"]["shakyo"]
    before = follow_ups(shakyo.get("/outreach/area").text)
    sent = shakyo.post("/outreach/area", {"kind": "survey", "area": f"{world['city']}-aitopia", "held_era": "reiwa",
                                          "held_year": "8", "held_month": "10", "held_day": "1",
                                          "sent_to_minsei_iin": "3", "sent_to_offices": "0"})
    survey = sent.url.removeprefix(shakyo.base)
    assert f'action="{survey}/follow-up"' in sent.text and "あいとぴあエリア" in sent.text
    refused = shakyo.post(survey + "/follow-up", {"follow_up_area": "nowhere", "follow_up_notes": "x" * 2001})
    assert refused.status_code == 422
    assert field_error(refused.text, "follow_up_held_year") == "追跡調査の実施日を入力してください"
    assert field_error(refused.text, "follow_up_area") == "圏域を選んでください"
    assert field_error(refused.text, "follow_up_notes") == "追跡調査でわかったことは2000文字以内で入力してください"
    assert follow_ups(shakyo.get("/outreach/area").text) == before
    day = {"follow_up_held_era": "reiwa", "follow_up_held_year": "8", "follow_up_held_month": "11",
           "follow_up_held_day": "2", "follow_up_area": f"{world['city']}-aitopia"}
    of_survey = shakyo.post(survey + "/follow-up", {**day, "follow_up_notes": "回答のあった3世帯を訪ねた"})
    assert follow_ups(of_survey.text) == before + 1, of_survey.text[:1500]
    lead = shakyo.post("/outreach/leads", {"source": "neighbour", "noticed_era": "reiwa", "noticed_year": "8",
                                           "noticed_month": "10", "noticed_day": "1", "person_name": "追跡 次郎"})
    case = lead.url.removeprefix(shakyo.base)
    assert f'action="{case}/follow-up"' in lead.text
    of_case = shakyo.post(case + "/follow-up", day)
    assert follow_ups(of_case.text) == before + 2, of_case.text[:1500]
