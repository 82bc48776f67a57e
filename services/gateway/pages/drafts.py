"""下書きから戻る — after signing in again, the person lands on the form they could not send (its
session had expired) with what they typed filled in: the intake, the outreach visit and the
staff form are shown as themselves; any other form as a page listing the entry, to send again
or discard. Nothing is sent until the person sends it."""
from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from kasane.errors import NotFound

from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.handlers import landing
from gateway.pages.render import html, redirect
from gateway.web import http

#: The forms shown as themselves: the path they post to -> the method that shows them filled in.
RESUMED = ((re.compile(r"^/intake$"), "_resume_intake"),
           (re.compile(r"^/outreach/(?P<case_id>[0-9a-f-]{36})/contact$"), "_resume_outreach_contact"),
           (re.compile(r"^/staff$"), "_resume_staff"))


class DraftPages:
    @http("GET", "/drafts/<draft_id>")
    @page("draft.resume", purpose="下書きの再開")
    def page_draft(self, request, session, draft_id):
        draft = self._draft(session, draft_id)
        form = Form(MultiDict([(k, v) for k, values in draft.fields.items() for v in values]))
        form.restored = True
        for pattern, method in RESUMED:
            found = pattern.match(draft.path)
            if found:
                return getattr(self, method)(session, form, **found.groupdict())
        return html("draft.html", session=session, draft=draft, form=form)

    def _draft(self, session, draft_id: str):
        draft = self.sessions.drafts.get(session.staff_id, draft_id) if self.sessions.drafts else None
        if draft is None:
            raise NotFound("下書きが見つかりません")
        return draft

    @http("POST", "/drafts/<draft_id>/discard")
    @page("draft.discard", purpose="下書きの破棄")
    def page_discard_draft(self, request, session, draft_id):
        if self.sessions.drafts:
            self.sessions.drafts.discard(session.staff_id, draft_id)
        return redirect(landing(session.roles))

    def _resume_intake(self, session, form: Form):
        return self._intake_page(session, form, self._searched_again(form))

    def _resume_outreach_contact(self, session, form: Form, case_id: str):
        return self._outreach_page(session, case_id, form)

    def _resume_staff(self, session, form: Form):
        return self._staff_page(session, form)
