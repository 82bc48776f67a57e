"""What the directory tells the others: every organisation and agency registered, changed or
withdrawn, as integration events about no household (household_id null). It listens to none."""
from __future__ import annotations

from kasane.bus.envelope import Outgoing, TranslatorRegistry, utc_iso

from directory.domain.agency import Agency
from directory.domain.organisation import Organisation


def _outgoing(event_type: str, payload: dict) -> Outgoing:
    return Outgoing(type=event_type, version=1, household_id=None, payload=payload)


def organisation_registered(e) -> Outgoing:
    """Registered, or reinstated after being disabled: either way the record is current again."""
    return _outgoing("directory.organisation_registered",
                     {**e.record, "registered_at": utc_iso(e.timestamp)})


def organisation_changed(e) -> Outgoing:
    return _outgoing("directory.organisation_changed",
                     {**e.record, "changed": list(e.changed), "changed_at": utc_iso(e.timestamp)})


def agency_registered(e) -> Outgoing:
    return _outgoing("directory.agency_registered",
                     {**e.record, "registered_at": utc_iso(e.timestamp)})


def agency_changed(e) -> Outgoing:
    return _outgoing("directory.agency_changed",
                     {**e.record, "changed": list(e.changed), "changed_at": utc_iso(e.timestamp)})


def agency_withdrawn(e) -> Outgoing:
    record = e.record
    return _outgoing("directory.agency_withdrawn", {
        "city": record["city"], "agency_id": record["agency_id"], "name": record["name"],
        "business_line": record["business_line"], "withdrawn_at": utc_iso(e.timestamp)})


def translators() -> TranslatorRegistry:
    registry = TranslatorRegistry()
    registry.register(Organisation.Registered, organisation_registered)
    registry.register(Organisation.Reinstated, organisation_registered)
    registry.register(Organisation.Changed, organisation_changed)
    # Organisation.Disabled has no contract yet (issue 7, later part): it stays in the log.
    registry.register(Agency.Registered, agency_registered)
    registry.register(Agency.Reinstated, agency_registered)
    registry.register(Agency.Changed, agency_changed)
    registry.register(Agency.Withdrawn, agency_withdrawn)
    return registry


SUBSCRIPTIONS: list = []


def handlers(app) -> dict:
    return {}
