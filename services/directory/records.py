"""From a checked profile to the records the directory keeps and publishes (contract shape:
ASCII keys, 設置形態 → setting_form, 運営形態 → operating_form, 所管課 → responsible_sections)."""
from __future__ import annotations

from directory.profile import Profile


def organisation_record(city: str, organisation: dict) -> dict:
    return {"city": city, "organisation_id": organisation["id"], "name": organisation["name"],
            "kind": organisation["kind"], "parent": organisation.get("parent")}


def agency_record(city: str, agency: dict) -> dict:
    return {
        "city": city, "agency_id": agency["id"], "name": agency["name"], "table": agency["table"],
        "business_line": agency["business_line"], "field": agency["field"],
        "setting_form": agency["設置形態"], "operating_form": agency["運営形態"],
        "responsible_sections": list(agency["所管課"]), "target_group": agency["target_group"],
        "area": agency["area"], "covers": list(agency["covers"]), "operator": agency["operator"],
        "joint_operators": list(agency["joint_operators"]), "sites": agency["sites"],
    }


def organisation_records(profile: Profile) -> dict[str, dict]:
    return {o["id"]: organisation_record(profile.city_id, o) for o in profile.organisations}


def agency_records(profile: Profile) -> dict[str, dict]:
    return {a["id"]: agency_record(profile.city_id, a) for a in profile.agencies}


def city_record(profile: Profile, organisation_ids: list[str], agency_ids: list[str]) -> dict:
    """The city, its areas and KPI targets, and every entry id it has ever listed."""
    return {
        "city": dict(profile.city), "area_term": profile.area_term,
        "declared_area_count": profile.declared_area_count,
        "areas": [dict(area) for area in profile.areas],
        "kpi_targets": [dict(kpi) for kpi in profile.kpi_targets],
        "meeting_bodies": [dict(body) for body in profile.meeting_bodies],
        "plans_judged_at_meeting": list(profile.plans_judged_at_meeting),
        "organisation_ids": sorted(organisation_ids), "agency_ids": sorted(agency_ids),
    }
