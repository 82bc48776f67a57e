"""アウトリーチの画面 — one person an outreach worker has found or been asked to reach (role
requests from 多機関協働 among them): the visits and contacts, the stage changed by hand (never to
同意取得 or つなぎ, which follow from recording consent and handing over), the consent obtained
after a direct contact, the hand-over to a desk or to 多機関協働 (with the person's details only
under that consent or a 支援会議's decision), and the closure with its reason."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v
from kasane.clock import now

from gateway.pages.collaboration import today
from gateway.pages.community import city_areas
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http

BY_HAND = {k: label for k, label in v.OUTREACH_STAGES.items() if k not in ("consent_obtained", "connected")}


def stages_from(stage: str) -> dict:
    """The stages a worker may move the case to now (none after 同意取得: consent or つなぎ rule it)."""
    return {} if stage in ("consent_obtained", "connected") else {k: t for k, t in BY_HAND.items() if k != stage}


class OutreachPages:
    page_outreach_case = form_page("/outreach/<case_id>", "_outreach_page", "outreach.read",
                                   purpose="アウトリーチの記録の確認")

    def _outreach_page(self, session, case_id: str, form: Form, status: int = 200):
        outreach = self._outreach()
        record = outreach.case_record(case_id)
        return html("outreach_case.html", status=status, session=session, case=record, form=form,
                    errors=form.errors, stages=stages_from(record["stage"]),
                    targets=self._hand_over_targets(outreach), areas=city_areas(outreach))

    def _outreach(self):
        return self.instances[self.instances.one_of("outreach")]

    @staticmethod
    def _hand_over_targets(outreach) -> list[dict]:
        """Desks and 多機関協働 of the city's directory that run an instance (the organisation's copy)."""
        registry = outreach.directory_instances() or []
        runs = {(i["organisation"], i["service"]): i["instance"] for i in registry}
        return [{**a, "instance": runs[(a["operator"], a["business_line"])]}
                for a in outreach.directory_agencies()
                if a.get("business_line") in v.OUTREACH_HANDOVER_TARGETS and (a.get("operator"), a["business_line"]) in runs]

    def _outreach_command(self, session, case_id: str, form: Form, method: str, command: dict):
        """A form about one person's case, done by the signed-in worker unless refused; back to the case."""
        send = getattr(self._outreach(), method)
        return sent(form, partial(self._outreach_page, session, case_id),
                    lambda: send({"case_id": case_id, "worker_id": session.login, **command}), f"/outreach/{case_id}")

    @http("POST", "/outreach/<case_id>/contact")
    @page("outreach.write", purpose="訪問・接触の記録")
    def page_outreach_contact(self, request, session, case_id):
        form = Form(request.form)
        contact = {"mode": form.choice("mode", "関わり方", v.OUTREACH_CONTACT_MODES),
                   "with_whom": form.choice("with_whom", "関わった相手", v.OUTREACH_CONTACT_WITH),
                   "outcome": form.choice("outcome", "結果", v.OUTREACH_CONTACT_OUTCOMES),
                   "note": form.optional_text("note", "記録"), "contacted_on": today()}
        return self._outreach_command(session, case_id, form, "record_contact", contact)

    @http("POST", "/outreach/<case_id>/stage")
    @page("outreach.write", purpose="関係性の段階の変更")
    def page_outreach_stage(self, request, session, case_id):
        form = Form(request.form)
        to = form.choice("to", "新しい段階", BY_HAND)
        return self._outreach_command(session, case_id, form, "change_stage", {"to": to, "changed_on": today()})

    @http("POST", "/outreach/<case_id>/consent")
    @page("outreach.write", purpose="同意取得")
    def page_outreach_consent(self, request, session, case_id):
        form = Form(request.form)
        consent = {"person_id": form.required("person_id", "同意した人", 36),
                   "given_by": form.choice("given_by", "同意した人の立場", v.CONSENT_GIVEN_BY),
                   "method": form.choice("method", "同意の方法", v.CONSENT_METHODS),
                   "purposes": form.choices("purposes", "同意の範囲（目的）", v.CONSENT_PURPOSES, at_least_one=True),
                   "organisations": [], "given_at": now().isoformat()}
        return self._outreach_command(session, case_id, form, "record_consent", consent)

    @http("POST", "/outreach/<case_id>/hand-over")
    @page("outreach.write", purpose="引き継ぎ")
    def page_outreach_hand_over(self, request, session, case_id):
        form, outreach = Form(request.form), self._outreach()
        targets = {t["agency_id"]: t for t in self._hand_over_targets(outreach)}
        chosen = targets.get(form.choice("target", "引き継ぎ先", targets) or "")
        command = {"issue_categories": form.choices("issue_categories", "課題", v.ISSUE_CATEGORIES, at_least_one=True),
                   "summary": form.optional_text("summary", "引き継ぎの内容")}
        if chosen:
            command.update(to_service=chosen["business_line"],
                           to={"instance": chosen["instance"], "organisation": chosen["operator"],
                               "agency": {"agency_id": chosen["agency_id"], "name": chosen["name"]}})
        return self._outreach_command(session, case_id, form, "hand_over", command)

    @http("POST", "/outreach/<case_id>/close")
    @page("outreach.write", purpose="アウトリーチの終了")
    def page_outreach_close(self, request, session, case_id):
        form = Form(request.form)
        closure = {"reason": form.choice("reason", "終了の理由", v.OUTREACH_CLOSURE_REASONS),
                   "note": form.optional_text("close_note", "終了のメモ"), "closed_on": today()}
        return self._outreach_command(session, case_id, form, "close_case", closure)
