"""参加支援の画面 — the participation worker's supports: the request as it came (多機関協働's role
or a consultation agency's, with 本人同意), the person's needs (ニーズの把握), the 参加支援事業プラン,
the hosts proposed for the person ranked with their reasons, and the match chosen. The matches
(sessions 延べ, follow-ups, ending) and the host menu are in gateway.pages.participation_matches."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v

from gateway.pages.collaboration import today
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http

YES_NO = {"yes": "はい", "no": "いいえ"}
GOAL_FIELDS = ("goal_1", "goal_2", "goal_3")
NOT_IN_FORCE = "参加支援事業プランが重層的支援会議で承認されるまで、マッチングはできません"


def read_needs(form: Form) -> dict:
    """ニーズ — what the person wishes, can and cannot do, and when and where."""
    return {"wished_offers": form.choices("wished_offers", "希望する参加の形", v.PARTICIPATION_OFFERS, at_least_one=True),
            "available_days": form.choices("available_days", "参加できる曜日", v.WEEKDAYS),
            "can_travel": form.choice("can_travel", "圏域の外への移動", YES_NO) == "yes",
            **{k: form.optional_text(k, label) for k, label in (
                ("wishes", "本人の希望"), ("strengths", "強み"), ("limits", "難しいこと"),
                ("area", "住まいの圏域"), ("support_needed", "必要な支援"))}}


def read_plan(form: Form) -> dict:
    """参加支援事業プラン — one to three goals and the review date (振り返り), after today."""
    goals = [g for g in (form.optional_text(f, "目標", 500) for f in GOAL_FIELDS) if g]
    if not goals:
        form.refuse("goal_1", "目標を一つ以上入力してください")
    review = form.day("review", "振り返りの日", required=True)
    if review and review.isoformat() <= today():
        form.refuse("review_year", "振り返りの日は今日より後の日付を入力してください")
    return {"goals": goals, "review_dates": [review.isoformat()] if review else [],
            "note": form.optional_text("plan_note", "プランのメモ")}


def can_match(record: dict) -> bool:
    """A match follows a plan in force: where a 重層的支援会議 judges plans, an approved one."""
    return bool(record["plan"]) and record["in_force_version"] is not None and not record["closed"]


class ParticipationPages:
    def _sanka(self):
        return self.instances[self.instances.one_of("participation")]

    @http("GET", "/participation")
    @page("participation.read", purpose="参加支援の一覧の確認")
    def page_participation(self, request, session):
        sanka = self._sanka()
        return html("participation.html", session=session, supports=sanka.open_supports()["supports"],
                    follow_ups=sanka.follow_ups_due({})["follow_ups"])

    page_support = form_page("/participation/supports/<support_id>", "_support_page", "participation.read",
                             purpose="参加支援の記録の確認")

    def _support_page(self, session, support_id: str, form: Form, status: int = 200):
        sanka = self._sanka()
        record = sanka.get_support(support_id)
        candidates = sanka.propose_hosts(support_id)["candidates"] if can_match(record) else []
        return html("participation_support.html", status=status, session=session, support=record,
                    candidates=candidates, form=form, errors=form.errors)

    @http("POST", "/participation/supports/<support_id>/needs")
    @page("participation.write", purpose="ニーズの把握")
    def page_support_needs(self, request, session, support_id):
        form = Form(request.form)
        needs = read_needs(form)
        return self._on_support(session, support_id, form, self._sanka().assess_needs, assessed_on=today(),
                                needs=needs)

    @http("POST", "/participation/supports/<support_id>/plan")
    @page("participation.write", purpose="参加支援事業プランの作成")
    def page_support_plan(self, request, session, support_id):
        form = Form(request.form)
        plan = read_plan(form)
        return self._on_support(session, support_id, form, self._sanka().make_plan, made_on=today(), **plan)

    def _on_support(self, session, support_id: str, form: Form, send, **command):
        """A form about one support, sent by the signed-in caseworker (`send`, the instance's use
        case) unless refused; back to the support."""
        return sent(form, partial(self._support_page, session, support_id),
                    lambda: send({"support_id": support_id, "caseworker_id": session.login, **command}),
                    f"/participation/supports/{support_id}")

    @http("POST", "/participation/supports/<support_id>/match")
    @page("participation.write", purpose="マッチング")
    def page_support_match(self, request, session, support_id):
        """The host chosen among the ranked candidates (its rank and reasons are kept with it)."""
        form, sanka = Form(request.form), self._sanka()
        if not can_match(sanka.get_support(support_id)):
            form.refuse("host_id", NOT_IN_FORCE)
            return self._support_page(session, support_id, form, 422)
        candidates = {c["host_id"]: c for c in sanka.propose_hosts(support_id)["candidates"]}
        chosen = form.choice("host_id", "受入先", candidates)
        reason = form.optional_text("match_reason", "この受入先を選んだ理由")
        return sent(form, partial(self._support_page, session, support_id), lambda: sanka.match({
            "support_id": support_id, "host_id": chosen, "offer": candidates[chosen]["offer"], "matched_on": today(),
            "caseworker_id": session.login, "reason": reason}),
                    lambda matched: f"/participation/matches/{matched['match_id']}")
