"""プランの適切性の協議 on the gateways (issue 19), driven as a browser without JavaScript, in the
small city of Komae's profile (its 重層的支援会議 judges outreach and participation plans): the
plans proposed for a household are listed on its 多機関協働 case, where the meeting approves one or
sends it back with reasons and what to change (refused by field, nothing stored); the 社協's
outreach case and the participation support show the plan's state, and matching waits, said so
in Japanese, until the plan is approved."""
from uuid import uuid4

import pytest

from tests.casework_helpers import outreach_plan
from tests.judged_helpers import consenting_case, judge, judged_world, participation_plan_proposed, proposed_on_case
from tests.pages_helpers import field_error
from tests.servers import slice_of_servers, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def world(platform, tmp_path_factory):
    with slice_of_servers(platform.state_dir) as p:
        yield judged_world(p, tmp_path_factory.mktemp("judged"))


def test_an_outreach_plan_is_sent_back_with_reasons_revised_and_approved_at_the_meeting(world):
    case, household = consenting_case(world)
    lead = outreach_plan(world, household)
    shakyo = world["pages"]["shakyo"]
    assert "提案中（重層的支援会議の判断待ち）" in shakyo.get(f"/outreach/{lead}").text
    page = proposed_on_case(world, case, 1)
    table = page[page.index("提出されたプラン（"):]
    assert "アウトリーチ等事業プラン（第1版）" in table and "令和" in table, table[:1500]
    sent_back = judge(world, case, judgement_0="sent_back", reasons_0=["goals_unclear", "review_dates"],
                      judgement_comment_0="本人の希望を目標に")
    assert "/plan-judgements" not in sent_back.url and "判断待ち" not in sent_back.text, sent_back.text[:2000]
    assert "理由: 本人の目標が不明確・本人の希望に沿っていない" in sent_back.text
    at_shakyo = wait_until(lambda: "差し戻し（見直して再提案）" in (t := shakyo.get(f"/outreach/{lead}").text) and t,
                           timeout=60, message="the judgement back at the 社協")
    assert "第1版: 差し戻し（令和" in at_shakyo and "見直し時期（モニタリング）が適切でない" in at_shakyo
    with world["platform"].rpc() as rpc:
        plan_id = rpc[f"{world['city']}-csw"].case_record(lead)["plan"]["plan_id"]
    outreach_plan(world, household, revision_of=plan_id)
    proposed_on_case(world, case, 1)
    approved = judge(world, case, judgement_0="approved", judgement_comment_0="本人の好きなことから")
    assert "判断待ち" not in approved.text and "承認（令和" in approved.text
    wait_until(lambda: "承認済（実施中）" in shakyo.get(f"/outreach/{lead}").text, timeout=60,
               message="the approval back at the 社協")


def test_a_plan_sent_back_without_a_reason_or_a_comment_or_approved_with_a_reason_is_refused_and_nothing_is_stored(world):
    case, household = consenting_case(world)
    outreach_plan(world, household)
    proposed_on_case(world, case, 1)
    bare = judge(world, case, judgement_0="sent_back")
    assert bare.status_code == 422
    assert field_error(bare.text, "reasons_0") == "プラン1の差し戻しの理由を一つ以上選んでください"
    assert field_error(bare.text, "judgement_comment_0") == "プラン1の差し戻しの意見を入力してください"
    approved_with_reason = judge(world, case, judgement_0="approved", reasons_0=["other"])
    assert field_error(approved_with_reason.text, "reasons_0") == "プラン1を承認する場合は、差し戻しの理由を選ばないでください"
    none_judged = judge(world, case, judgement_comment_0="<b>迷う</b>")
    assert field_error(none_judged.text, "judgement_0") == "プラン1の判断を選んでください"
    assert 'value="&lt;b&gt;迷う&lt;/b&gt;"' in none_judged.text
    no_body = judge(world, case, judgement_0="approved", judged_body_id="")
    assert field_error(no_body.text, "judged_body_id") == "会議体を選んでください"
    assert world["pages"]["takikan"].get(f"/cases/{case}").text.count("判断待ち") == 1
    with world["platform"].rpc() as rpc:
        assert [p["judgement"] for p in rpc[f"{world['city']}-takikan"].plan_proposals({})["proposals"]
                if p["household_id"] == household] == [None]


def test_a_participation_plan_waits_for_the_meeting_before_matching_and_says_so(world):
    case, household = consenting_case(world)
    sanka = world["pages"]["sanka"]
    path, planned = participation_plan_proposed(world, household)
    assert "提案中（重層的支援会議の判断待ち）" in planned.text, planned.text[:2000]
    assert "重層的支援会議で承認されるまで、マッチングはできません" in planned.text and 'name="host_id"' not in planned.text
    refused = sanka.post(path + "/match", {"host_id": str(uuid4())})
    assert refused.status_code == 422
    assert field_error(refused.text, "host_id") == "参加支援事業プランが重層的支援会議で承認されるまで、マッチングはできません"
    page = proposed_on_case(world, case, 1)
    assert "参加支援事業プラン（第1版）" in page
    judge(world, case, judgement_0="approved")
    approved = wait_until(lambda: "承認済（実施中）" in (t := sanka.get(path).text) and t, timeout=60,
                          message="the approval at 参加支援")
    assert 'name="host_id"' in approved and "承認されるまで" not in approved
