"""地域づくりの画面 — the places and activities of each area (通いの場, サロン, 居場所 …) with
their visitors and activities, the 生活支援コーディネーター, and the 地域課題シート (an area's issue
and each step in handling it). A place's own page and the つなぐシート written there with the
person are in gateway.pages.community_places."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v

from gateway.pages.collaboration import today
from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http


def city_areas(community) -> dict:
    """area id -> name, from the organisation's copy of the city's directory ({} if none yet)."""
    areas: dict = {}
    for city in community.directory_cities() or []:
        listed = community.directory_areas(city["city"]).get("areas") or []
        listed = listed.get("list", []) if isinstance(listed, dict) else listed
        areas.update({a["area_id"]: a.get("name") or a["area_id"] for a in listed})
    return areas


def area_of(form: Form, field: str, areas: dict) -> str:
    """An area of the directory when the organisation has it, else as typed."""
    return form.choice(field, "圏域", areas) or "" if areas else form.required(field, "圏域", 50)


def read_place(form: Form, areas: dict) -> dict:
    capacity = form.get("capacity")
    if capacity and not (capacity.isdigit() and 0 < int(capacity) < 10000):
        form.refuse("capacity", "定員は1以上の数字で入力してください（わからなければ空欄）")
    return {"kind": form.choice("place_kind", "場・活動の種類", v.PLACE_KINDS),
            "name": form.name("place_name", "名称", required=True), "area": area_of(form, "place_area", areas),
            "operator": form.required("operator", "運営者", 100),
            "schedule": form.optional_text("schedule", "開催日時", 200),
            "target": form.optional_text("target", "対象", 200),
            "capacity": int(capacity) if capacity.isdigit() else None}


def read_area_issue(form: Form, areas: dict) -> dict:
    """地域課題シート — one area's issue as its committee raised it."""
    return {"area": area_of(form, "issue_area", areas), "committee": form.required("committee", "検討の場（委員会）", 100),
            "issue_categories": form.choices("issue_categories", "課題", v.ISSUE_CATEGORIES, at_least_one=True),
            "description": form.required("description", "地域課題の内容", 2000),
            "raised_by": form.choice("raised_by", "課題をあげた人", v.AREA_ISSUE_RAISERS),
            "raised_by_name": form.name("raised_by_name", "課題をあげた人の氏名"),
            "note": form.optional_text("issue_note", "備考")}


class CommunityPages:
    def _community(self):
        return self.instances[self.instances.one_of("community")]

    page_community = form_page("/community", "_community_page", "community.read", purpose="地域づくりの確認")

    def _community_page(self, session, form: Form, status: int = 200):
        community = self._community()
        areas = city_areas(community)
        places = community.places({})["places"]
        by_area = {a: [p for p in places if p["area"] == a] for a in dict.fromkeys(p["area"] for p in places)}
        return html("community.html", status=status, session=session, by_area=by_area, areas=areas,
                    coordinators=community.coordinators()["coordinators"],
                    issues=community.area_issues({})["area_issues"], form=form, errors=form.errors)

    def _community_command(self, session, form: Form, method: str, command: dict):
        return sent(form, partial(self._community_page, session),
                    lambda: getattr(self._community(), method)(command), "/community")

    @http("POST", "/community/places")
    @page("community.write", purpose="場・活動の登録")
    def page_register_place(self, request, session):
        form = Form(request.form)
        place = read_place(form, city_areas(self._community()))
        return self._community_command(session, form, "register_place", {**place, "registered_on": today()})

    @http("POST", "/community/coordinators")
    @page("community.write", purpose="生活支援コーディネーターの配置")
    def page_appoint_coordinator(self, request, session):
        form, areas = Form(request.form), city_areas(self._community())
        command = {"layer": form.choice("layer", "層", v.COORDINATOR_LAYERS),
                   "name": form.name("coordinator_name", "氏名", required=True),
                   "organisation": form.optional_text("coordinator_organisation", "所属", 100) or session.organisation,
                   "areas": [area_of(form, "coordinator_area", areas)] if form.get("coordinator_area") else [],
                   "appointed_on": today()}
        return self._community_command(session, form, "appoint_coordinator", command)

    @http("POST", "/community/area-issues")
    @page("community.write", purpose="地域課題シートの作成")
    def page_record_area_issue(self, request, session):
        form = Form(request.form)
        issue = read_area_issue(form, city_areas(self._community()))
        return self._community_command(session, form, "record_area_issue",
                                       {**issue, "recorded_on": today(), "recorded_by": session.login})

    @http("POST", "/community/area-issues/<sheet_id>/handling")
    @page("community.write", purpose="地域課題の検討の記録")
    def page_area_issue_handling(self, request, session, sheet_id):
        form = Form(request.form)
        command = {"sheet_id": sheet_id, "status": form.choice("status", "取扱状況", v.AREA_ISSUE_STATUSES),
                   "note": form.optional_text("handling_note", "検討の経緯・取組内容"),
                   "handled_on": today(), "handled_by": session.login}
        return self._community_command(session, form, "record_area_issue_handling", command)
