"""追跡調査の画面 — a follow-up of an outreach case (on the case's page) or of a survey (on its
returns page): the day in 和暦, the 圏域 from the city's directory (the instance's copy) and what
was found. The outreach instance checks that what it follows is its own; the year's figures on
地域での取組 count it."""
from __future__ import annotations

from functools import partial

from gateway.pages.community import area_of, city_areas
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http


def read_follow_up(form: Form, areas: dict) -> dict:
    held = form.day("follow_up_held", "追跡調査の実施日", required=True, past_only=True)
    return {"kind": "follow_up", "area": area_of(form, "follow_up_area", areas), "figures": {}, "partners": [],
            "held_on": held.isoformat() if held else None,
            "notes": form.optional_text("follow_up_notes", "追跡調査でわかったこと")}


class OutreachFollowUpPages:
    @http("POST", "/outreach/<case_id>/follow-up")
    @page("outreach.write", purpose="追跡調査の記録")
    def page_case_follow_up(self, request, session, case_id):
        typed_on = partial(self._outreach_page, session, case_id)
        return self._follow_up(session, Form(request.form), typed_on, case_id=case_id)

    page_survey = form_page("/outreach/surveys/<work_id>", "_survey_page", "outreach.read", purpose="アンケートの回収")

    def _survey_page(self, session, work_id: str, form: Form, status: int = 200):
        return html("outreach_survey.html", status=status, session=session, work_id=work_id, form=form,
                    errors=form.errors, areas=city_areas(self._outreach()))

    @http("POST", "/outreach/surveys/<work_id>/follow-up")
    @page("outreach.write", purpose="追跡調査の記録")
    def page_survey_follow_up(self, request, session, work_id):
        typed_on = partial(self._survey_page, session, work_id)
        return self._follow_up(session, Form(request.form), typed_on, source_work_id=work_id)

    def _follow_up(self, session, form: Form, typed_on, **followed):
        """追跡調査 of what `followed` names (a case, or a survey): refused, the page it was typed on
        (`typed_on`) again, as typed (422); recorded, back to 地域での取組."""
        work = read_follow_up(form, city_areas(self._outreach()))
        return sent(form, typed_on, lambda: self._outreach().record_area_work(
            {**work, **followed, "worker_id": session.login}), "/outreach/area")
