"""配置とプロファイルの照合 — does a deployment match its city's directory profile?

Before city IT admits organisations to the bus for a city, every instance must be run by an
organisation the city's profile lists, and every agency an instance operates must be one of the
profile's agencies of that instance's business line: the bus then admits nobody the city's
directory does not know (issue 7). Pure: takes the deployment and a loaded profile.
"""
from __future__ import annotations

from kasane.deployment import DeployedInstance
from kasane_contracts.vocabulary import BUSINESS_LINES


def mismatches(deployment: list[DeployedInstance], declared_city: str | None, profile) -> list[str]:
    """Every way the deployment departs from the profile, one sentence each (empty: it matches)."""
    city = profile.city_id
    found = [] if declared_city == city else [
        f"the deployment is for {declared_city or 'no declared city'}, the profile for {city}"]
    organisations = {o["id"] for o in profile.organisations}
    agencies = {a["id"]: a for a in profile.agencies}
    for deployed in deployment:
        s = deployed.settings
        if s.organisation not in organisations:
            found.append(f"instance {s.instance}: organisation {s.organisation} is not in the profile")
        for agency in deployed.agencies:
            listed = agencies.get(agency.get("agency_id"))
            if listed is None:
                found.append(f"instance {s.instance}: agency {agency.get('agency_id')} is not in the profile")
            elif s.service in BUSINESS_LINES and listed["business_line"] != s.service:
                found.append(f"instance {s.instance}: agency {listed['id']} belongs to "
                             f"{listed['business_line']}, not {s.service}")
    return found


def admitted_summary(deployment: list[DeployedInstance], profile) -> str:
    """One line for city IT: how many of the profile's organisations run instances here."""
    running = {d.settings.organisation for d in deployment}
    return (f"profile {profile.city_id} ({profile.city['日本語名']}): {len(running)} of "
            f"{len(profile.organisations)} organisations run instances and get a bus user; "
            f"the others get none until they run one")
