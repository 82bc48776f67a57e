"""What the directory tells the others: every organisation registered, changed or disabled, every
agency registered, changed or withdrawn, and each city's areas (日常生活圏域) and KPI targets
(数値目標) as its profile was applied — integration events about no household (household_id
null), nothing personal. Every business-line instance keeps a copy of them (名簿の写し,
kasane.directory_copy). It listens to none."""
from __future__ import annotations

from kasane.bus.envelope import Outgoing, utc_iso
from kasane.integration import Integration, Publishes

from directory.domain.agency import Agency
from directory.domain.city import CityProfile
from directory.domain.information_register import InformationRegister
from directory.domain.instances import InstanceRegistry
from directory.domain.organisation import Organisation


def _outgoing(event_type: str, payload: dict, version: int = 1) -> Outgoing:
    return Outgoing(type=event_type, version=version, household_id=None, payload=payload)


def _registered(entry: str):
    """`directory.<entry>_registered`: registered, or reinstated after being disabled or
    withdrawn; either way the whole record is current again."""
    def translate(e) -> Outgoing:
        return _outgoing(f"directory.{entry}_registered", {**e.record, "registered_at": utc_iso(e.timestamp)})
    return translate


def _changed(entry: str):
    """`directory.<entry>_changed`: the whole record as it is now, and which fields changed."""
    def translate(e) -> Outgoing:
        return _outgoing(f"directory.{entry}_changed",
                         {**e.record, "changed": list(e.changed), "changed_at": utc_iso(e.timestamp)})
    return translate


organisation_registered, organisation_changed = _registered("organisation"), _changed("organisation")
agency_registered, agency_changed = _registered("agency"), _changed("agency")


def organisation_disabled(e) -> Outgoing:
    record = e.record
    return _outgoing("directory.organisation_disabled", {
        "city": record["city"], "organisation_id": record["organisation_id"],
        "name": record["name"], "kind": record["kind"], "disabled_at": utc_iso(e.timestamp)})


def agency_withdrawn(e) -> Outgoing:
    record = e.record
    return _outgoing("directory.agency_withdrawn", {
        "city": record["city"], "agency_id": record["agency_id"], "name": record["name"],
        "business_line": record["business_line"], "withdrawn_at": utc_iso(e.timestamp)})


#: CityProfile record fields → the city_profile_applied fields they feed. The ids of every entry
#: the city ever listed are the directory's own bookkeeping: they are not published.
CITY_FIELDS = {"city.name": ["name"], "city.日本語名": ["name_ja"], "city.prefecture": ["prefecture"],
               "city": ["name", "name_ja", "prefecture"],  # events recorded before the split
               "area_term": ["area_term", "areas"], "declared_area_count": ["declared_area_count"],
               "areas": ["areas"], "kpi_targets": ["kpi_targets"], "meeting_bodies": ["meeting_bodies"],
               "plans_judged_at_meeting": ["plans_judged_at_meeting"]}
#: city_profile_applied v2 adds the city's own meeting bodies (会議体, issue 19), v3 whose plans a
#: 重層的支援会議 judges (plans_judged_at_meeting); consumers still accept v1 and v2, which stored
#: events and older directories carry.
PROFILE_VERSION = 3


def city_profile_payload(record: dict) -> dict:
    """The city, its areas and its KPI targets as the contract carries them (ASCII keys)."""
    city, term = record["city"], record["area_term"]
    return {
        "city": city["id"], "name": city["name"], "name_ja": city["日本語名"],
        "prefecture": city["prefecture"], "area_term": term,
        "declared_area_count": record["declared_area_count"],
        "areas": [{"area_id": a["id"], "name": a["名称"], "kind": a.get("kind") or term}
                  for a in record["areas"]],
        "kpi_targets": [{"kpi_id": k["id"], "fiscal_year": k["fiscal_year"], "era_year": k["年度"],
                         "metric": k["metric"], "target": k["target"], "unit": k["unit"],
                         "business_line": k["business_line"], "agency": k["agency"],
                         "source": k.get("source"), "note": k.get("note")}
                        for k in record["kpi_targets"]],
        "meeting_bodies": [{"body_id": b["id"], "name": b["名称"], "bases": list(b["bases"])}
                           for b in record.get("meeting_bodies", [])],
        "plans_judged_at_meeting": list(record.get("plans_judged_at_meeting", [])),
    }


def city_profile_registered(e) -> Outgoing:
    return _outgoing("directory.city_profile_applied",
                     {**city_profile_payload(e.record), "changed": [], "applied_at": utc_iso(e.timestamp)},
                     PROFILE_VERSION)


def city_profile_changed(e) -> Outgoing | None:
    """Published only when what the contract carries changed (a new agency id alone is not)."""
    changed = sorted({name for field in e.changed for name in CITY_FIELDS.get(field, ())})
    if not changed:
        return None
    return _outgoing("directory.city_profile_applied",
                     {**city_profile_payload(e.record), "changed": changed,
                      "applied_at": utc_iso(e.timestamp)}, PROFILE_VERSION)


def organisation_announced(e) -> Outgoing:
    """再告知 — the organisation as it is now, in the contract that says so."""
    return organisation_registered(e) if e.active else organisation_disabled(e)


def agency_announced(e) -> Outgoing:
    return agency_registered(e) if e.active else agency_withdrawn(e)


#: instances_registered v2 adds each instance's receiving key (受信鍵, issue 21); consumers still
#: accept v1, which stored events and older directories carry.
REGISTRY_VERSION = 2


def instances_registered(e) -> Outgoing:
    """The whole registry each time; `changed` says which instances differ ([] when announced).
    An instance registered before receiving keys were registered has none (null)."""
    return _outgoing("directory.instances_registered", {
        "instances": [{**e.instances[i], "receiving_key": e.instances[i].get("receiving_key")}
                      for i in sorted(e.instances)],
        "changed": list(getattr(e, "changed", [])), "registered_at": utc_iso(e.timestamp)},
        REGISTRY_VERSION)


def contractor_exit_recorded(e) -> Outgoing:
    return _outgoing("directory.contractor_exit_recorded", {
        "organisation_id": e.organisation_id, "archive": e.archive,
        "instances": list(e.instances), "recorded_by": e.recorded_by, "recorded_at": e.recorded_at})


INTEGRATION = Integration(publishes=(
    Publishes((Organisation.Registered, Organisation.Reinstated), organisation_registered),
    Publishes(Organisation.Changed, organisation_changed),
    Publishes(Organisation.Disabled, organisation_disabled),
    Publishes((Agency.Registered, Agency.Reinstated), agency_registered),
    Publishes(Agency.Changed, agency_changed),
    Publishes(Agency.Withdrawn, agency_withdrawn),
    Publishes((CityProfile.Registered, CityProfile.Announced), city_profile_registered),
    Publishes(CityProfile.Changed, city_profile_changed),
    # 再告知: the same contracts again, so an instance that joined late learns the whole directory.
    Publishes(Organisation.Announced, organisation_announced),
    Publishes(Agency.Announced, agency_announced),
    Publishes((InstanceRegistry.Registered, InstanceRegistry.Announced), instances_registered),
    Publishes(InformationRegister.ExitRecorded, contractor_exit_recorded),
))

#: What tests and tools read directly, derived from the table.
SUBSCRIPTIONS, handlers, translators = (INTEGRATION.subscriptions(), INTEGRATION.handlers,
                                        INTEGRATION.translators)
