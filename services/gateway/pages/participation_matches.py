"""参加支援の画面（マッチングと受入先）— one match: its start, each session attended (延べ),
the follow-ups with the person and with the host (scheduled, then done), and its ending with the
reason; and the host menu (受入先一覧) with a new host registered (開拓)."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v

from gateway.pages.collaboration import today
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http


def read_host(form: Form, organisation: str) -> dict:
    """受入先 — who, what it offers, how many places, where and when."""
    capacity = form.required("capacity", "受入人数", 3)
    if capacity and not (capacity.isdigit() and 0 < int(capacity) < 1000):
        form.refuse("capacity", "受入人数は1から999までの数字で入力してください")
    return {"name": form.name("host_name", "受入先の名称", required=True),
            "kind": form.choice("host_kind", "受入先の種別", v.HOST_KINDS),
            "offers": form.choices("offers", "受け入れる参加の形", v.PARTICIPATION_OFFERS, at_least_one=True),
            "area": form.optional_text("host_area", "圏域", 50),
            "capacity": int(capacity) if capacity.isdigit() else 0,
            "contact_organisation": form.optional_text("contact_organisation", "連絡先の組織", 100) or organisation,
            "conditions": {"days": form.choices("host_days", "受入できる曜日", v.WEEKDAYS),
                           "accompaniment": "yes" in form.checked("accompaniment")}}


class ParticipationMatchPages:
    page_hosts = form_page("/participation/hosts", "_hosts_page", "participation.read", purpose="受入先一覧の確認")

    def _hosts_page(self, session, form: Form, status: int = 200):
        return html("participation_hosts.html", status=status, session=session,
                    hosts=self._sanka().host_menu()["hosts"], form=form, errors=form.errors)

    @http("POST", "/participation/hosts")
    @page("participation.write", purpose="受入先の登録")
    def page_register_host(self, request, session):
        form = Form(request.form)
        host = read_host(form, session.organisation)
        return sent(form, partial(self._hosts_page, session), lambda: self._sanka().register_host(
            {**host, "registered_on": today(), "caseworker_id": session.login}), "/participation/hosts")

    page_match = form_page("/participation/matches/<match_id>", "_match_page", "participation.read",
                           purpose="マッチングの記録の確認")

    def _match_page(self, session, match_id: str, form: Form, status: int = 200):
        match = self._sanka().get_match(match_id)
        hosts = {h["host_id"]: h for h in self._sanka().host_menu()["hosts"]}
        return html("participation_match.html", status=status, session=session, match=match,
                    host=hosts.get(match["host_id"]), form=form, errors=form.errors)

    @http("POST", "/participation/matches/<match_id>/<action>")
    @page("participation.write", purpose="マッチングの記録")
    def page_match_action(self, request, session, match_id, action):
        """開始, 参加の記録 (one session), フォローアップの予定 and its record, 終了."""
        form = Form(request.form)
        reader = MATCH_ACTIONS.get(action)
        method, fields = reader(form) if reader else (form.refuse("action", "操作を選び直してください"), {})
        return sent(form, partial(self._match_page, session, match_id), lambda: getattr(self._sanka(), method)(
            {"match_id": match_id, "caseworker_id": session.login, **fields}), f"/participation/matches/{match_id}")


def _start(form: Form):
    return "start_match", {"started_on": today()}


def _session(form: Form):
    attended = form.day("attended", "参加した日", required=True, past_only=True)
    return "record_session", {"attended_on": attended.isoformat() if attended else None,
                              "note": form.optional_text("session_note", "参加の記録")}


def _schedule(form: Form):
    due = form.day("due", "フォローアップの予定日", required=True)
    return "schedule_follow_up", {"with_whom": form.choice("with_whom", "フォローアップの相手", v.FOLLOW_UP_WITH),
                                  "due_on": due.isoformat() if due else None}


def _follow_up(form: Form):
    return "record_follow_up", {"follow_up_id": form.required("follow_up_id", "フォローアップ", 36),
                                "done_on": today(), "note": form.optional_text("follow_up_note", "フォローアップの記録")}


def _end(form: Form):
    return "end_match", {"ended_on": today(), "reason": form.choice("end_reason", "終了の理由", v.PARTICIPATION_END_REASONS),
                         "note": form.optional_text("end_note", "終了のメモ")}


MATCH_ACTIONS = {"start": _start, "sessions": _session, "follow-ups": _schedule,
                 "follow-up-done": _follow_up, "end": _end}
