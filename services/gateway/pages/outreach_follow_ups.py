"""追跡調査の画面 — a follow-up of an outreach case (on the case's page) or of a survey (on its
returns page): the day in 和暦, the 圏域 from the city's directory (the instance's copy) and what
was found. The outreach instance checks that what it follows is its own; the year's figures on
地域での取組 count it."""
from __future__ import annotations

from gateway.pages.community import area_of, city_areas
from gateway.pages.door import page
from gateway.pages.forms import Form
from gateway.pages.render import html, redirect
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
        form = Form(request.form)
        work = read_follow_up(form, city_areas(self._outreach()))
        if not form.ok:
            return self._outreach_page(session, case_id, form, 422)
        return self._follow_up(session, {**work, "case_id": case_id})

    @http("GET", "/outreach/surveys/<work_id>")
    @page("outreach.read", purpose="アンケートの回収")
    def page_survey(self, request, session, work_id):
        return self._survey_page(session, work_id, Form({}))

    def _survey_page(self, session, work_id: str, form: Form, status: int = 200):
        return html("outreach_survey.html", status=status, session=session, work_id=work_id, form=form,
                    errors=form.errors, areas=city_areas(self._outreach()))

    @http("POST", "/outreach/surveys/<work_id>/follow-up")
    @page("outreach.write", purpose="追跡調査の記録")
    def page_survey_follow_up(self, request, session, work_id):
        form = Form(request.form)
        work = read_follow_up(form, city_areas(self._outreach()))
        if not form.ok:
            return self._survey_page(session, work_id, form, 422)
        return self._follow_up(session, {**work, "source_work_id": work_id})

    def _follow_up(self, session, work: dict):
        self._outreach().record_area_work({**work, "worker_id": session.login})
        return redirect("/outreach/area")
