"""The 重層的支援会議's judgement of a proposed plan as the case page reads it
(gateway.pages.plan_judgements): 承認, or 差し戻し with a reason and a comment, or left for the
next meeting; each refusal names its field in Japanese."""
from werkzeug.datastructures import MultiDict

from gateway.pages.forms import Form
from gateway.pages.plan_judgements import judgement_of, with_proposers

PROPOSAL = {"proposal_id": "p-1", "service": "participation", "from_organisation": "org-sanka"}


def read(**values):
    form = Form(MultiDict({"proposal_0": "p-1", **values}))
    return judgement_of(form, 0, PROPOSAL), form.errors


def test_an_approval_needs_no_reason_and_keeps_a_comment():
    assert read(judgement_0="approved", judgement_comment_0="良い") == (
        {"proposal_id": "p-1", "judgement": "approved", "reasons": [], "comment": "良い"}, {})


def test_a_plan_sent_back_names_a_reason_and_a_comment_else_each_field_is_refused():
    assert read(judgement_0="sent_back")[1] == {"reasons_0": "プラン1の差し戻しの理由を一つ以上選んでください",
                                                "judgement_comment_0": "プラン1の差し戻しの意見を入力してください"}
    judged, errors = read(judgement_0="sent_back", reasons_0="other", judgement_comment_0="通う手段を")
    assert errors == {} and (judged["reasons"], judged["comment"]) == (["other"], "通う手段を")


def test_a_plan_left_unjudged_waits_unless_a_reason_or_comment_was_given():
    assert read() == (None, {})
    assert read(judgement_comment_0="迷う")[1] == {"judgement_0": "プラン1の判断を選んでください"}


def test_an_approval_with_a_reason_or_an_unknown_code_is_refused():
    assert read(judgement_0="approved", reasons_0="other")[1] == {
        "reasons_0": "プラン1を承認する場合は、差し戻しの理由を選ばないでください"}
    assert read(judgement_0="maybe")[1] == {"judgement_0": "プラン1の判断を選んでください"}


def test_a_list_changed_since_the_page_was_shown_is_refused_at_the_plan():
    form = Form(MultiDict({"proposal_0": "p-2", "judgement_0": "approved"}))
    assert judgement_of(form, 0, PROPOSAL) is None
    assert form.errors == {"judgement_0": "提出されたプランの一覧が変わりました。画面を読み込み直してください"}


def test_the_proposing_organisations_attend_once_in_their_line_s_role():
    present = [{"organisation": "org-takikan", "role": "host"}]
    assert with_proposers(present, [PROPOSAL, PROPOSAL, {**PROPOSAL, "from_organisation": "org-takikan"}]) == [
        *present, {"organisation": "org-sanka", "role": "participation"}]
