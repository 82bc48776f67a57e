"""地域づくりの研修とマッチングの画面 — trainings recorded by kind (ボランティア入門講座, 生活支援
サポーター養成講座 … counted apart, seed 004 §5(2)) on a day typed in 和暦, with their attendance;
マッチング (a resident with a local activity, a company with the area: 新規 counted by the
company's name); and this fiscal year's figures: trainings and attendees by kind, matchings,
visitors by kind of place (通いの場, 居場所 …). Counts only: no person's name is asked or shown."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v
from kasane.clock import now
from kasane.fiscal_year import fiscal_year_label, fiscal_year_of

from gateway.pages.community import city_areas
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http

ATTENDEES_MAX = 9999


def read_training(form: Form, areas: dict) -> dict:
    """研修 — its kind, title, day and attendance; its area from the directory when there is one."""
    held = form.day("held", "開催日", required=True, past_only=True)
    attendees = form.required("attendees", "参加者数", 4)
    if attendees and not (attendees.isdigit() and int(attendees) <= ATTENDEES_MAX):
        form.refuse("attendees", "参加者数は0以上の数字で入力してください")
    area = (form.choice("training_area", "圏域", areas, required=False) if areas
            else form.optional_text("training_area", "圏域", 50))
    return {"kind": form.choice("training_kind", "研修の種類", v.TRAINING_KINDS),
            "title": form.required("title", "研修の名称", 100), "held_on": held.isoformat() if held else None,
            "area": area or None, "attendees": int(attendees) if attendees.isdigit() else 0}


def read_matching(form: Form, places: dict) -> dict:
    """マッチング — its kind, the company or group (required for a company), the place if any."""
    kind = form.choice("matching_kind", "マッチングの種類", v.MATCHING_KINDS)
    partner = form.optional_text("partner", "相手の企業・団体の名称", 120)
    if kind == "company_area" and not partner:
        form.refuse("partner", "企業等とのマッチングでは、相手の企業・団体の名称を入力してください")
    matched = form.day("matched", "マッチングした日", required=True, past_only=True)
    return {"kind": kind, "partner_id": partner or "", "matched_on": matched.isoformat() if matched else None,
            "place_id": form.choice("matching_place", "場・活動", places, required=False)}


class CommunityTrainingPages:
    page_trainings = form_page("/community/trainings", "_trainings_page", "community.read", purpose="研修の確認")

    def _trainings_page(self, session, form: Form, status: int = 200):
        community, year = self._community(), fiscal_year_of(now())
        counts = community.fiscal_year_counts({"fiscal_year": year})
        return html("community_trainings.html", status=status, session=session, counts=counts,
                    places=self._places(community),
                    year=f"{fiscal_year_label(year)}（{year}年度）", areas=city_areas(community), form=form, errors=form.errors)

    @http("POST", "/community/trainings")
    @page("community.write", purpose="研修の記録")
    def page_record_training(self, request, session):
        form, community = Form(request.form), self._community()
        training = read_training(form, city_areas(community))
        return sent(form, partial(self._trainings_page, session),
                    lambda: community.record_training({**training, "recorded_by": session.login}),
                    "/community/trainings")

    @staticmethod
    def _places(community) -> dict:
        return {p["place_id"]: p["name"] for p in community.places({})["places"]}

    @http("POST", "/community/matchings")
    @page("community.write", purpose="マッチングの記録")
    def page_record_matching(self, request, session):
        form, community = Form(request.form), self._community()
        matching = read_matching(form, self._places(community))
        return sent(form, partial(self._trainings_page, session),
                    lambda: community.record_matching({**matching, "recorded_by": session.login}),
                    "/community/trainings")
