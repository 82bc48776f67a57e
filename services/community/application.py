"""The community building application (地域づくり事業): one method per use case — places and
their visitors and activities, coordinators, つなぐシート, 地域課題シート, development targets
from 社会資源の不足, consultations, matchings and trainings, and the queries.

Only the development targets are written by the inbox consumer too: their commands retry on a
version conflict.

名簿の写し: where a caseworker chooses an area (a place's, a 地域課題シート's, a 第2層
coordinator's) or another agency (the desk a つなぐシート goes to), the instance's copy of the
city's directory (kasane.directory_copy) is asked first. Once the copy knows the city, an
unknown area id, or an agency that is unknown or withdrawn, is refused with InvalidCommand and
nothing is stored; while the copy is empty (no directory in this deployment yet) the command is
accepted as before.
"""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from kasane.clock import now, today
from kasane.store.business_line import BusinessLineApplication
from kasane.store.conflicts import retry_on_conflict
from kasane.store.trace import Trace
from kasane_contracts.vocabulary import (AREA_ISSUE_STATUSES, DEVELOPMENT_STATUSES, PLACE_KINDS,
                               PLACE_STATUSES, TSUNAGU_SHEET_STATUSES, label)

from community.domain.area_issue import AreaIssueSheet
from community.domain.coordinator import Coordinator
from community.domain.development_target import DevelopmentTarget
from community.domain.engagement import CommunityConsultation, Matching, Training
from community.domain.place import Place
from community.domain.rules import CoordinatorRuleViolation
from community.domain.tsunagu_sheet import TsunaguSheet
from community.views.counts import FiscalYearCounts
from community.views.report import report_tally
from community.views.registry import Registry


class CommunityApplication(BusinessLineApplication):
    def __init__(self, env: dict | None = None, **where):
        super().__init__(env, **where)
        self.registry = Registry()
        self.follow(FiscalYearCounts(), report_tally(), self.registry)

    # -- 場・活動 -------------------------------------------------------------------------------

    def register_place(self, trace: Trace, **place) -> dict:
        self.directory.require_known(areas={"area": place.get("area")})
        created = Place(registered_on=place.pop("registered_on", None) or today(), **place)
        self.save_traced(created, trace=trace)
        return place_view(created)

    def record_visitors(self, trace: Trace, *, place_id: UUID, **count) -> dict:
        place: Place = self.repository.get(place_id)
        place.record_visitors(**count)
        self.save_traced(place, trace=trace)
        return {"place_id": str(place_id), "visitors_total": place.visitors_total}

    def record_activity(self, trace: Trace, *, place_id: UUID, **activity) -> dict:
        place: Place = self.repository.get(place_id)
        place.record_activity(**activity)
        self.save_traced(place, trace=trace)
        return {"place_id": str(place_id), "activities_held": place.activities_held}

    def change_place_status(self, trace: Trace, *, place_id: UUID, **change) -> dict:
        place: Place = self.repository.get(place_id)
        place.change_status(**change)
        self.save_traced(place, trace=trace)
        return place_view(place)

    # -- 生活支援コーディネーター ---------------------------------------------------------------

    def appoint_coordinator(self, trace: Trace, *, name: str, **appointment) -> dict:
        self.directory.require_known(areas={f"areas.{i}": area for i, area
                                            in enumerate(appointment.get("areas") or [])})
        coordinator = Coordinator(personal={"name": name}, **appointment)
        self.save_traced(coordinator, trace=trace)
        return {"coordinator_id": str(coordinator.id), "layer": coordinator.layer}

    def assign_place(self, trace: Trace, *, coordinator_id: UUID, place_id: UUID) -> dict:
        coordinator: Coordinator = self.repository.get(coordinator_id)
        place = self.find(place_id)
        if not isinstance(place, Place):
            raise CoordinatorRuleViolation("a coordinator is assigned a place registered here")
        coordinator.assign_place(place_id=str(place_id), place_area=place.area)
        self.save_traced(coordinator, trace=trace)
        return {"coordinator_id": str(coordinator_id), "place_ids": coordinator.place_ids}

    # -- つなぐシート ---------------------------------------------------------------------------

    def write_tsunagu_sheet(self, trace: Trace, *, place_id: UUID, liaison_id: str,
                            issue_categories: list, personal: dict | None = None,
                            consent: dict | None = None, to: dict | None = None,
                            written_at: datetime | None = None) -> dict:
        """つなぐシートの作成 — with consent and a chosen agency it is sent at once; without
        consent it keeps only the facts (written, place, area, categories)."""
        self.directory.require_known(agencies={"to.agency.agency_id": chosen_agency(to)})
        place: Place = self.repository.get(place_id)
        written_at = written_at or now()
        sheet = TsunaguSheet.write(place={"place_id": str(place.id), "name": place.name},
                                   area=place.area, liaison_id=liaison_id,
                                   issue_categories=issue_categories, written_at=written_at,
                                   personal=personal, consent=consent)
        if consent is not None or to is not None:
            sheet.send(consent=consent, to=to or {}, sent_at=written_at)
        self.save_traced(sheet, trace=trace)
        return sheet_view(sheet)

    def send_tsunagu_sheet(self, trace: Trace, *, sheet_id: UUID, consent: dict, to: dict,
                           personal: dict | None = None, sent_at: datetime | None = None) -> dict:
        """後から同意 — the person agreed later: their details join the kept sheet, sent now."""
        self.directory.require_known(agencies={"to.agency.agency_id": chosen_agency(to)})
        sheet: TsunaguSheet = self.repository.get(sheet_id)
        sheet.send(consent=consent, to=to, sent_at=sent_at or now(), personal=personal)
        self.save_traced(sheet, trace=trace)
        return sheet_view(sheet)

    # -- 地域課題シート -------------------------------------------------------------------------

    def record_area_issue(self, trace: Trace, *, raised_by_name: str | None = None,
                          note: str | None = None, **sheet) -> dict:
        """地域課題シートの作成 — about one area of the city (checked against the directory)."""
        self.directory.require_known(areas={"area": sheet.get("area")})
        recorded = AreaIssueSheet(personal={"raised_by_name": raised_by_name, "note": note},
                                  **sheet)
        self.save_traced(recorded, trace=trace)
        return area_issue_view(recorded)

    def record_area_issue_handling(self, trace: Trace, *, sheet_id: UUID,
                                   note: str | None = None, **handling) -> dict:
        sheet: AreaIssueSheet = self.repository.get(sheet_id)
        sheet.record_handling(personal={"note": note}, **handling)
        self.save_traced(sheet, trace=trace)
        return area_issue_view(sheet)

    # -- 社会資源の開発 -------------------------------------------------------------------------

    @retry_on_conflict
    def record_target_progress(self, trace: Trace, *, target_id: UUID, **progress) -> dict:
        target: DevelopmentTarget = self.repository.get(target_id)
        if progress.get("place_id") is not None:
            progress["place_id"] = str(progress["place_id"])
        target.record_progress(**progress)
        self.save_traced(target, trace=trace)
        return target_view(target)

    # -- 相談・マッチング・研修 -----------------------------------------------------------------

    def record_community_consultation(self, trace: Trace, *, name: str | None = None,
                                      summary: str | None = None, **consultation) -> dict:
        record = CommunityConsultation(personal={"name": name, "summary": summary}, **consultation)
        self.save_traced(record, trace=trace)
        return {"consultation_id": str(record.id)}

    def record_matching(self, trace: Trace, *, person_name: str | None = None, **matching) -> dict:
        if matching.get("place_id") is not None:
            matching["place_id"] = str(matching["place_id"])
        record = Matching(personal={"person_name": person_name}, **matching)
        self.save_traced(record, trace=trace)
        return {"matching_id": str(record.id)}

    def record_training(self, trace: Trace, *, attendee_names: list = (), **training) -> dict:
        record = Training(personal={"attendee_names": list(attendee_names)}, **training)
        self.save_traced(record, trace=trace)
        return {"training_id": str(record.id), "attendees": record.attendees}

    # -- 照会 ---------------------------------------------------------------------------------

    def places(self, area: str | None = None) -> dict:
        """場・活動の一覧 — per area, with their status and visitors so far."""
        self.views.catch_up()
        rows = [place_view(self.repository.get(i)) for i in self.registry.ids["places"]]
        return {"places": [r for r in rows if area is None or r["area"] == area]}

    def tsunagu_sheet(self, sheet_id: UUID) -> dict:
        """つなぐシート — with its personal part (the caller records the read)."""
        sheet: TsunaguSheet = self.repository.get(sheet_id)
        return {**sheet_view(sheet), "personal": sheet.personal}

    def area_issues(self, area: str | None = None) -> dict:
        """地域課題の一覧 — open ones first; nothing personal."""
        self.views.catch_up()
        rows = [area_issue_view(self.repository.get(i)) for i in self.registry.ids["area_issues"]]
        rows = [r for r in rows if area is None or r["area"] == area]
        return {"area_issues": sorted(rows, key=lambda r: r["status"] in ("resolved", "closed"))}

    def development_targets(self) -> dict:
        """社会資源の開発目標 — each with its progress; nothing personal."""
        self.views.catch_up()
        return {"targets": [target_view(self.repository.get(i))
                            for i in self.registry.ids["targets"]]}

    def development_target_of(self, shortage_id: str) -> dict | None:
        target = self.find(DevelopmentTarget.create_id(shortage_id))
        return target_view(target) if target is not None else None

    def coordinators(self) -> dict:
        """生活支援コーディネーター — layers, areas and places (names are not listed)."""
        self.views.catch_up()
        return {"coordinators": [coordinator_view(self.repository.get(i))
                                 for i in self.registry.ids["coordinators"]]}


def chosen_agency(to: dict | None) -> str | None:
    """The agency id a つなぐシート's 宛先 names, if any."""
    return ((to or {}).get("agency") or {}).get("agency_id")


def place_view(p: Place) -> dict:
    return {"place_id": str(p.id), "kind": p.kind, "kind_label": label(PLACE_KINDS, p.kind),
            "name": p.name, "area": p.area, "operator": p.operator, "schedule": p.schedule,
            "target": p.target, "capacity": p.capacity, "status": p.status,
            "status_label": label(PLACE_STATUSES, p.status), "visitors_total": p.visitors_total,
            "activities_held": p.activities_held}


def sheet_view(s: TsunaguSheet) -> dict:
    sent = s.sent_to
    return {"sheet_id": str(s.id), "place": s.place, "area": s.area, "liaison_id": s.liaison_id,
            "issue_categories": s.issue_categories, "status": s.status,
            "status_label": label(TSUNAGU_SHEET_STATUSES, s.status),
            "sent_to": {"agency": sent["agency"], "instance": sent["instance"]} if sent else None}


def area_issue_view(s: AreaIssueSheet) -> dict:
    return {"sheet_id": str(s.id), "area": s.area, "committee": s.committee,
            "issue_categories": s.issue_categories, "description": s.description,
            "raised_by": s.raised_by, "recorded_on": s.recorded_on.isoformat(),
            "status": s.status, "status_label": label(AREA_ISSUE_STATUSES, s.status),
            "handling": [{**h, "handled_on": h["handled_on"].isoformat(),
                          "status_label": label(AREA_ISSUE_STATUSES, h["status"])}
                         for h in s.handling]}


def target_view(t: DevelopmentTarget) -> dict:
    return {"target_id": str(t.id), "shortage_id": t.shortage_id, "meeting_id": t.meeting_id,
            "resource_kind": t.resource_kind, "area": t.area, "description": t.description,
            "found_on": t.found_on.isoformat(), "status": t.status,
            "status_label": label(DEVELOPMENT_STATUSES, t.status),
            "progress": [{**p, "on": p["on"].isoformat()} for p in t.progress]}


def coordinator_view(c: Coordinator) -> dict:
    return {"coordinator_id": str(c.id), "layer": c.layer, "organisation": c.organisation,
            "areas": c.areas, "place_ids": c.place_ids, "active": c.active}
