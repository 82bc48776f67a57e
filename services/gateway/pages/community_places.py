"""地域づくりの画面（場とつなぐシート）— one place: its visitors (来所者数) and activities, and
the つなぐシート its staff write with a person who wants help: the person's details stay at the
place unless the person consents, and then the sheet goes to the consultation agency chosen
from the city's directory. A kept sheet is sent later, once the person consents."""
from __future__ import annotations

from functools import partial

from kasane import vocabulary as v
from kasane.clock import now

from gateway.pages.door import form_page, page
from gateway.pages.forms import Form
from gateway.pages.render import html, sent
from gateway.web import http


def desks(community) -> dict:
    """Consultation agencies of the city's directory whose operator runs an instance."""
    registry = community.directory_instances() or []
    runs = {(i["organisation"], i["service"]): i["instance"] for i in registry}
    return {a["agency_id"]: {"agency": {"agency_id": a["agency_id"], "name": a["name"]},
                             "instance": runs[(a["operator"], "consultation")]}
            for a in community.directory_agencies(business_line="consultation")
            if (a.get("operator"), "consultation") in runs}


def read_consent(form: Form, targets: dict) -> tuple[dict | None, dict | None]:
    """本人同意 and the agency chosen — both, or neither (the sheet is then kept at the place)."""
    if form.choice("consent", "本人同意", {"yes": "", "no": ""}) != "yes":
        return None, None
    consent = {"given_by": form.choice("given_by", "同意した人", v.CONSENT_GIVEN_BY),
               "method": form.choice("method", "同意の方法", v.CONSENT_METHODS), "given_at": now().isoformat()}
    to = targets.get(form.choice("to_agency", "送付先の相談支援機関", targets) or "")
    return consent, to


def read_sheet_person(form: Form) -> dict:
    person = {"name": form.name("person_name", "氏名"), "kana": form.kana("person_kana", "ふりがな"),
              "relation": "self", "area": form.optional_text("person_area", "住まいの地域", 50)}
    born = form.birth_date("birth", "生年月日")
    if not (person["name"] or person["kana"]):
        form.refuse("person_name", "氏名かふりがなを入力してください")
    return {**person, "birth_date": born.isoformat() if born else None}


def read_sheet_personal(form: Form) -> dict:
    return {"persons": [read_sheet_person(form)], "summary": form.optional_text("sheet_summary", "困りごとの内容")}


PERSON_FIELDS = ("person_name", "person_kana", "person_area", "sheet_summary")


def no_personal_without_consent(form: Form) -> None:
    """Without consent a sheet keeps only that it was written, where and about what (seed 001
    §10(4)1): details typed anyway are refused by field, never silently dropped."""
    for field in PERSON_FIELDS:
        if (form.get(field) or "").strip():
            form.refuse(field, "本人の同意がないときは記録しません（シートを書いたことだけを記録します）")
    return None


class CommunityPlacePages:
    page_place = form_page("/community/places/<place_id>", "_place_page", "community.read", purpose="場・活動の確認")

    def _place_page(self, session, place_id: str, form: Form, status: int = 200):
        community = self._community()
        place = next((p for p in community.places({})["places"] if p["place_id"] == place_id), None)
        if place is None:
            from kasane.errors import NotFound
            raise NotFound("場・活動が見つかりません")
        return html("community_place.html", status=status, session=session, place=place,
                    targets=desks(community), form=form, errors=form.errors)

    @http("POST", "/community/places/<place_id>/<action>")
    @page("community.write", purpose="場・活動の記録")
    def page_place_action(self, request, session, place_id, action):
        """来所者数 (visitors) or 活動 (an activity held) on a day typed in 和暦."""
        form = Form(request.form)
        held = form.day("on", "日付", required=True, past_only=True)
        day = held.isoformat() if held else None
        if action == "visitors":
            visitors = form.required("visitors", "来所者数", 5)
            if visitors and not visitors.isdigit():
                form.refuse("visitors", "来所者数は0以上の数字で入力してください")
            method, command = "record_visitors", {"counted_on": day, "recorded_by": session.login,
                                                  "visitors": int(visitors) if visitors.isdigit() else 0}
        else:
            method, command = "record_activity", {"held_on": day, "recorded_by": session.login,
                                                  "group": form.required("group", "活動した団体", 100)}
        return sent(form, partial(self._place_page, session, place_id),
                    lambda: getattr(self._community(), method)({"place_id": place_id, **command}),
                    f"/community/places/{place_id}")

    @http("POST", "/community/places/<place_id>/sheets")
    @page("community.write", purpose="つなぐシートの作成")
    def page_write_sheet(self, request, session, place_id):
        form, community = Form(request.form), self._community()
        categories = form.choices("sheet_categories", "困りごと", v.ISSUE_CATEGORIES, at_least_one=True)
        consent, to = read_consent(form, desks(community))
        personal = read_sheet_personal(form) if consent else no_personal_without_consent(form)
        return sent(form, partial(self._place_page, session, place_id), lambda: community.write_tsunagu_sheet({
            "place_id": place_id, "liaison_id": session.login, "issue_categories": categories, "personal": personal,
            "consent": consent, "to": to}), lambda sheet: f"/community/sheets/{sheet['sheet_id']}")

    page_sheet = form_page("/community/sheets/<sheet_id>", "_sheet_page", "community.read", purpose="つなぐシートの確認")

    def _sheet_page(self, session, sheet_id: str, form: Form, status: int = 200):
        community = self._community()
        return html("community_sheet.html", status=status, session=session, sheet=community.get_tsunagu_sheet(sheet_id),
                    targets=desks(community), form=form, errors=form.errors)

    @http("POST", "/community/sheets/<sheet_id>/send")
    @page("community.write", purpose="つなぐシートの送付")
    def page_send_sheet(self, request, session, sheet_id):
        form, community = Form(request.form), self._community()
        form.values.setdefault("consent", "yes")
        consent, to = read_consent(form, desks(community))
        personal = read_sheet_personal(form)  # written without consent, the sheet holds none yet
        return sent(form, partial(self._sheet_page, session, sheet_id), lambda: community.send_tsunagu_sheet(
            {"sheet_id": sheet_id, "consent": consent, "to": to, "personal": personal}),
                    f"/community/sheets/{sheet_id}")
