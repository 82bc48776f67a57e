"""アウトリーチの画面 — the persons an outreach worker has found or been asked to reach (role
requests from 多機関協働 among them), longest silence first, and the visit (contact) recorded."""
from __future__ import annotations

from kasane import vocabulary as v

from gateway.pages.collaboration import today
from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.render import html, redirect
from gateway.web import http


class OutreachPages:
    @http("GET", "/outreach/<case_id>")
    @page("outreach.read", purpose="アウトリーチの記録の確認")
    def page_outreach_case(self, request, session, case_id):
        return self._outreach_page(session, case_id, Form({}))

    def _outreach_page(self, session, case_id: str, form: Form, status: int = 200):
        record = self._outreach().case_record(case_id)
        return html("outreach_case.html", status=status, session=session, case=record, form=form,
                    errors=form.errors)

    def _outreach(self):
        return self.instances[self.instances.one_of("outreach")]

    @http("POST", "/outreach/<case_id>/contact")
    @page("outreach.write", purpose="訪問・接触の記録")
    def page_outreach_contact(self, request, session, case_id):
        form = Form(request.form)
        contact = {"mode": form.choice("mode", "関わり方", v.OUTREACH_CONTACT_MODES),
                   "with_whom": form.choice("with_whom", "関わった相手", v.OUTREACH_CONTACT_WITH),
                   "outcome": form.choice("outcome", "結果", v.OUTREACH_CONTACT_OUTCOMES),
                   "note": form.optional_text("note", "記録")}
        if not form.ok:
            return self._outreach_page(session, case_id, form, 422)
        self._outreach().record_contact({"case_id": case_id, "contacted_on": today(),
                                         "worker_id": session.login, **contact})
        return redirect(f"/outreach/{case_id}")
