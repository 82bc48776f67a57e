"""同一人物の確認の画面 — one household, one case (issue 19): 多機関協働 notices a likely same
person when two desks refer what is one household (same ふりがな and 生年月日, persons known only
under consent). Its staff see the two cases' persons side by side and decide: join the new
referral to the existing case (同一人物として統合) or record them as different persons (別人として
記録). Either decision is recorded by the collaboration instance, with who decided and when."""
from __future__ import annotations

from functools import partial

from kasane.errors import NotFound

from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http

#: The two answers, as the staff read them (the codes are collaboration's SAME_PERSON_DECISIONS).
DECISIONS = {"join": "同一人物として統合する（新しいつなぎを既存のケースに統合）",
             "keep_apart": "別人として記録する（二つのケースを分けたまま）"}


def paired(check: dict, new: dict, existing: dict) -> list[dict]:
    """The persons noticed as likely the same: each pair with what each case knows of its person."""
    here = {p["person_id"]: p for p in new.get("persons") or []}
    there = {p["person_id"]: p for p in existing.get("persons") or []}
    return [{"new": here.get(pair["person_id"], {}), "existing": there.get(pair["other_person_id"], {})}
            for pair in check["pairs"]]


class SamePersonPages:
    @http("GET", "/same-person")
    @page("same_person.read", purpose="同一人物の確認")
    def page_same_person_checks(self, request, session):
        """確認待ち first, then those decided (recorded either way)."""
        checks = self._takikan().same_person_checks({"undecided_only": False})["checks"]
        return html("same_person_checks.html", session=session,
                    waiting=[c for c in checks if not c["decision"]],
                    decided=[c for c in checks if c["decision"]])

    page_same_person_check = form_page("/same-person/<check_id>", "_same_person_page", "same_person.read",
                                       purpose="同一人物の確認")

    def _same_person_page(self, session, check_id: str, form: Form, status: int = 200):
        takikan = self._takikan()
        check = next((c for c in takikan.same_person_checks({"undecided_only": False})["checks"]
                      if c["check_id"] == check_id), None)
        if check is None:
            raise NotFound("同一人物の確認が見つかりません")
        new, existing = takikan.case_record(check["case_id"]), takikan.case_record(check["other_case_id"])
        return html("same_person_check.html", status=status, session=session, check=check, new=new,
                    existing=existing, pairs=paired(check, new, existing), decisions=DECISIONS,
                    form=form, errors=form.errors)

    @http("POST", "/same-person/<check_id>")
    @page("same_person.decide", purpose="同一人物の判断")
    def page_decide_same_person(self, request, session, check_id):
        form = Form(request.form)
        decision = form.choice("decision", "同一人物かどうかの判断", DECISIONS)
        note = form.optional_text("note", "判断の理由")
        decide = lambda: self._takikan().decide_same_person(
            {"check_id": check_id, "decision": decision, "caseworker_id": session.login, "note": note})
        return sent(form, partial(self._same_person_page, session, check_id), decide,
                    lambda decided: f"/cases/{decided['other_case_id']}" if decision == "join" else "/same-person")
