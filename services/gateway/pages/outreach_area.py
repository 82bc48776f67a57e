"""アウトリーチの一覧と地域での取組 — the persons outreach knows of, by stage and by longest
silence (nothing personal in the list), a new lead taken (把握), and the area work that finds
them: 地域の実情アンケート (sent, then its returns), マッピング調査, アウトリーチ型相談所, 追跡調査,
with this fiscal year's figures."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v
from kasane.clock import now
from kasane.fiscal_year import fiscal_year_label, fiscal_year_of

from gateway.pages.collaboration import today
from gateway.pages.community import area_of, city_areas
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http

# The figures each kind of area work reports (the service's FiguresSchema).
FIGURES = {"survey": (("sent_to_minsei_iin", "民生委員へ配布"), ("sent_to_offices", "事業所へ配布")),
           "mapping": (("sites", "調査した地点"),),
           "popup_desk": (("visitors", "来所者"), ("consultations", "相談")),
           "follow_up": ()}
AREA_KINDS = {k: label for k, label in v.OUTREACH_AREA_WORK.items() if k != "follow_up"}


def count(form: Form, field: str, label: str) -> int:
    value = form.get(field) or "0"
    if not value.isdigit() or len(value) > 6:
        form.refuse(field, f"{label}は0以上の数字で入力してください")
        return 0
    return int(value)


def read_lead(form: Form) -> dict:
    """把握 — where the lead came from, when, and who (often known only by a description)."""
    noticed = form.day("noticed", "把握した日", required=True, past_only=True)
    person = {"name": form.name("person_name", "氏名"), "kana": form.kana("person_kana", "ふりがな"),
              "relation": form.choice("relation", "続柄", v.RELATIONS, required=False) or "unknown"}
    return {"source": form.choice("source", "把握の経路", v.OUTREACH_LEAD_SOURCES),
            "noticed_on": noticed.isoformat() if noticed else None, "persons": [person],
            "address": form.optional_text("address", "住所・場所", 200),
            "description": form.optional_text("description", "気になっていること")}


def read_area_work(form: Form, areas: dict) -> dict:
    """アンケート, マッピング or 相談所 (a 追跡調査 follows a case or a survey: not from here); the
    圏域 chosen from the city's directory when the instance's copy holds it."""
    kind = form.choice("kind", "取組の種類", AREA_KINDS)
    held = form.day("held", "実施日", required=True, past_only=True)
    partners = [p.strip() for p in (form.optional_text("partners", "協力した住民組織", 200) or "").split("、") if p.strip()]
    place = form.optional_text("place", "場所", 100)
    if kind == "mapping" and not partners:
        form.refuse("partners", "マッピング調査に協力した住民組織を入力してください")
    if kind == "popup_desk" and not place:
        form.refuse("place", "アウトリーチ型相談所の場所を入力してください")
    return {"kind": kind, "area": area_of(form, "area", areas), "partners": partners, "place": place,
            "held_on": held.isoformat() if held else None, "notes": form.optional_text("notes", "メモ"),
            "figures": {f: count(form, f, label) for f, label in FIGURES.get(kind or "", ())}}


class OutreachListPages:
    page_outreach_leads = form_page("/outreach", "_leads_page", "outreach.read", purpose="把握している人の一覧の確認")

    def _leads_page(self, session, form: Form, status: int = 200):
        leads = self._outreach().open_leads({})["leads"]
        by_stage = {s: [lead for lead in leads if lead["stage"] == s] for s in v.OUTREACH_STAGES}
        return html("outreach.html", status=status, session=session, leads=leads, by_stage=by_stage,
                    form=form, errors=form.errors)

    @http("POST", "/outreach/leads")
    @page("outreach.write", purpose="把握")
    def page_take_lead(self, request, session):
        form = Form(request.form)
        lead = read_lead(form)
        return sent(form, partial(self._leads_page, session),
                    lambda: self._outreach().take_lead({**lead, "worker_id": session.login}),
                    lambda taken: f"/outreach/{taken['case_id']}")

    page_area_work = form_page("/outreach/area", "_area_page", "outreach.read", purpose="地域での取組の確認")

    def _area_page(self, session, form: Form, status: int = 200):
        year = fiscal_year_of(now())
        counts = self._outreach().fiscal_year_counts({"fiscal_year": year})
        return html("outreach_area.html", status=status, session=session, counts=counts, figures=FIGURES,
                    kinds=AREA_KINDS, year=fiscal_year_label(year), form=form, errors=form.errors,
                    areas=city_areas(self._outreach()))

    @http("POST", "/outreach/area")
    @page("outreach.write", purpose="地域での取組の記録")
    def page_record_area_work(self, request, session):
        form = Form(request.form)
        work = read_area_work(form, city_areas(self._outreach()))
        return sent(form, partial(self._area_page, session),
                    lambda: self._outreach().record_area_work({**work, "worker_id": session.login}),
                    lambda recorded: f"/outreach/surveys/{recorded['work_id']}" if work["kind"] == "survey"
                    else "/outreach/area")

    @http("POST", "/outreach/surveys/<work_id>")
    @page("outreach.write", purpose="アンケートの回収の記録")
    def page_survey_returns(self, request, session, work_id):
        """アンケートの回収 — how many came back and how many persons they found (a recount replaces it)."""
        form = Form(request.form)
        returns = {"returned": count(form, "returned", "回収数"), "cases_found": count(form, "cases_found", "把握した人数")}
        if form.ok and returns["cases_found"] > returns["returned"]:
            form.refuse("cases_found", "把握した人数は回収数以下で入力してください")
        return sent(form, partial(self._survey_page, session, work_id), lambda: self._outreach().record_survey_returns(
            {"work_id": work_id, "recorded_on": today(), **returns}), "/outreach/area")
