"""提出されたプランの判断 — on a 多機関協働 case's page, the アウトリーチ等事業プラン and 参加支援事業プラン
proposed for the household where the city's profile has a 重層的支援会議 judge them (seed 001
§1(5)イ(イ)①; issue 19), each judged at the meeting: 承認, or 差し戻し with at least one reason
(PLAN_SEND_BACK_REASONS) and what the worker should change. A plan left unjudged waits for the next
meeting. Refused by field, nothing stored; the judgement goes back to the proposing instance."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v

from gateway.pages.collaboration import today
from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.meetings import attendees, body_of, meeting_bodies
from gateway.pages.render import sent
from gateway.web import http


def awaiting(record: dict) -> list[dict]:
    """The household's proposed plans no meeting has judged yet, oldest first (as listed)."""
    return [p for p in record["plan_proposals"] if not p["judgement"]]


def judgement_of(form: Form, i: int, proposal: dict) -> dict | None:
    """The meeting's judgement of the plan listed `i`th (fields `judgement_i`, `reasons_i`,
    `judgement_comment_i`), or None when left for another meeting."""
    n = i + 1
    if form.get(f"proposal_{i}") != proposal["proposal_id"]:  # another meeting judged one meanwhile
        form.refuse(f"judgement_{i}", "提出されたプランの一覧が変わりました。画面を読み込み直してください")
        return None
    judgement = form.choice(f"judgement_{i}", f"プラン{n}の判断", v.PLAN_JUDGEMENTS, required=False)
    sent_back = judgement == "sent_back"
    reasons = form.choices(f"reasons_{i}", f"プラン{n}の差し戻しの理由", v.PLAN_SEND_BACK_REASONS, at_least_one=sent_back)
    comment = (form.required(f"judgement_comment_{i}", f"プラン{n}の差し戻しの意見", 2000) if sent_back
               else form.optional_text(f"judgement_comment_{i}", f"プラン{n}への意見"))
    if judgement == "approved" and reasons:
        form.refuse(f"reasons_{i}", f"プラン{n}を承認する場合は、差し戻しの理由を選ばないでください")
    if judgement is None and (reasons or comment):
        form.refuse(f"judgement_{i}", f"プラン{n}の判断を選んでください")
    if judgement is None:
        return None
    return {"proposal_id": proposal["proposal_id"], "judgement": judgement, "reasons": reasons if sent_back else [],
            **({"comment": comment} if comment else {})}


def with_proposers(present: list[dict], proposals: list[dict]) -> list[dict]:
    """The meeting's attendees and the organisations whose plans it judged (their line's role)."""
    known = {a["organisation"] for a in present}
    proposers = {p["from_organisation"]: p["service"] for p in proposals if p["from_organisation"] not in known}
    return present + [{"organisation": o, "role": s} for o, s in proposers.items()]


class PlanJudgementPages:
    @http("POST", "/cases/<case_id>/plan-judgements")
    @page("case.write", purpose="提出されたプランの判断")
    def page_plan_judgements(self, request, session, case_id):
        form, (takikan, record) = Form(request.form), self._case(case_id)
        listed = awaiting(record)
        judgements = [j for i, p in enumerate(listed) if (j := judgement_of(form, i, p))]
        body = body_of(form, meeting_bodies(takikan, consented=True), field="judged_body_id")
        if form.ok and not judgements:
            form.refuse("judgement_0", "判断するプランを一つ以上選んでください")
        judged = {j["proposal_id"] for j in judgements}
        present = with_proposers(attendees(record, session.organisation),
                                 [p for p in listed if p["proposal_id"] in judged])
        return sent(form, partial(self._case_page, session, case_id), lambda: takikan.hold_multi_layered_meeting({
            **body, "held_on": today(), "caseworker_id": session.login, "plan_judgements": judgements,
            "attendees": present}), f"/cases/{case_id}#plan-proposals")
