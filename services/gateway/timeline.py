"""世帯の経過 across the organisation — what each of its own instances knows of a household,
newest first, each entry naming the service (事業) and organisation it came from: the desk's own
timeline (with its agencies), and every other business line's trail (kasane.household_trail).
Only the organisation's own instances are asked; what another organisation knows stays there."""
from __future__ import annotations

from kasane.errors import NotFound
from kasane_contracts.vocabulary import BUSINESS_LINES, label

LINES = ("consultation", "collaboration", "outreach", "participation", "community")


def organisation_timeline(instances, household_id: str, organisation: str) -> list[dict]:
    entries = []
    for service in LINES:
        for instance in instances.of(service):
            source = {"service": label(BUSINESS_LINES, service), "organisation": organisation,
                      "instance": instance}
            entries += [dict(e, agency=e.get("agency"), source=source)
                        for e in _known_at(instances[instance], service, household_id)]
    return sorted(entries, key=lambda e: e["at"], reverse=True)


def _known_at(instance, service: str, household_id: str) -> list[dict]:
    if service != "consultation":
        return instance.household_trail(household_id)["entries"]
    try:
        return instance.household_timeline(household_id)["entries"]
    except NotFound:
        return []
