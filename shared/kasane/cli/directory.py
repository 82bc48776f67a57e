"""`kasane directory apply|announce CITY` — city IT's commands for the city's directory (名簿).

  kasane directory apply CITY      apply deploy/profiles/CITY.yaml: only the differences are
                                   recorded and published
  kasane directory announce CITY   publish the whole directory again, so that an instance added
                                   after the profile was applied learns all of it (再告知)
"""
from __future__ import annotations

import sys

from kasane.client import rpc_cluster
from kasane.bus.receiving_keys import public_half_file
from kasane.config import ConfigurationError, receiving_key_file, signing_key_file
from kasane.deployment import DeployedInstance, deployment_file, load_deployment
from kasane.directory_copy.handlers import keeps_copy
from kasane.errors import KasaneError

USAGE = "usage: kasane directory apply CITY | kasane directory announce CITY"


def directory_instance(deployment: list[DeployedInstance]) -> DeployedInstance:
    found = [d for d in deployment if d.settings.service == "directory"]
    if not found:
        raise ConfigurationError("the deployment runs no directory instance")
    return found[0]


def directory(action: list[str], out=sys.stdout) -> int:
    if len(action) != 2 or action[0] not in ("apply", "announce"):
        raise ConfigurationError(USAGE)
    verb, city = action
    deployed = directory_instance(load_deployment(deployment_file(city)))
    with rpc_cluster(deployed.settings.broker) as rpc:
        proxy = rpc[deployed.settings.instance]
        if verb == "apply":
            result = proxy.apply_profile({"profile": city})
            out.write(f"directory: {city} applied, {result['recorded']} change(s) recorded and published\n")
        else:
            result = proxy.announce({"city": city})
            counts = result["announced"]
            out.write(f"directory: {city} announced again: {counts['organisations']} organisations, "
                      f"{counts['agencies']} agencies, areas and KPI targets\n")
    return 0


def complete_late_copies(deployment: list[DeployedInstance], say=print) -> int:
    """After `kasane up`: if a business-line instance lacks a whole copy of a city the directory
    holds (it joined after the profile was applied), announce that city again (再告知). Nothing is
    recorded when every copy is whole, so restarts add nothing to the directory's history.
    Returns how many cities were announced."""
    found = [d for d in deployment if d.settings.service == "directory"]
    copies = [d for d in deployment if keeps_copy(d.settings.service)]
    if not found or not copies:
        return 0
    directory_instance = found[0].settings.instance
    announced = 0
    with rpc_cluster(found[0].settings.broker) as rpc:
        for city in rpc[directory_instance].cities():
            lacking = [d.settings.instance for d in copies
                       if not any(c["city"] == city and c["complete"]
                                  for c in rpc[d.settings.instance].directory_cities())]
            if not lacking:
                continue
            try:
                counts = rpc[directory_instance].announce({"city": city})["announced"]
            except KasaneError as exc:
                say(f"directory: {city} could not be announced again ({exc})")
                continue
            announced += 1
            say(f"directory: {city} announced again for {', '.join(lacking)} "
                f"({counts['organisations']} organisations, {counts['agencies']} agencies)")
    return announced


def register_instances(deployment: list[DeployedInstance], say=print) -> list[str]:
    """After `kasane up` (and a receiving key's rotation): city IT registers the deployment's
    instances, who runs each, the key it signs with and the key senders seal to, in the directory's instance registry (インスタンス名簿). Every business line's
    copy of it then refuses events from an instance the registry does not list for the sending
    organisation. Records nothing when the registry already says the same; returns what changed."""
    found = [d for d in deployment if d.settings.service == "directory"]
    if not found:
        return []
    records = [{"instance": d.settings.instance, "organisation": d.settings.organisation,
                "service": d.settings.service,
                "public_key": signing_key_file(d.settings.instance).with_suffix(".pub").read_text().strip(),
                "receiving_key": _receiving_public_half(d.settings.instance)}
               for d in deployment]
    with rpc_cluster(found[0].settings.broker) as rpc:
        changed = rpc[found[0].settings.instance].register_instances({"instances": records})["changed"]
    if changed:
        say(f"directory: {len(changed)} instance(s) registered with their signing and receiving keys")
    return changed


def _receiving_public_half(instance: str) -> str | None:
    """The key senders seal the instance's personal parts to; None for one that has none (yet)."""
    try:
        return public_half_file(receiving_key_file(instance)).read_text().strip()
    except FileNotFoundError:
        return None
