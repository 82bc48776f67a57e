"""`kasane bus …` and `kasane org …` — city IT's commands for the bus.

  kasane bus provision [--profile CITY]
                                    vhost, exchanges, queues, an organisation user each, and
                                    deploy/generated/rabbitmq-definitions.<vhost>.json; with a
                                    profile, the city's deployment is first checked against
                                    deploy/profiles/CITY.yaml (organisations, agencies)
  kasane bus status                 per instance: inbox depth, consumers, unacked, oldest
                                    message age, dead letters and the oldest one's age
  kasane bus dead-letters INSTANCE [--replay]
                                    show why messages were dead-lettered; replay after a fix
  kasane org add ORG --instance I [--instance J] [--audit]
  kasane org rotate-credentials ORG
  kasane org disable ORG
"""
from __future__ import annotations

import sys
import time

from kombu import Connection

from kasane.bus.access import OrganisationAccess
from kasane.bus.admin import BrokerAdmin
from kasane.bus.replay import replaying_publisher, republish
from kasane.bus.organisations import accesses_of, admit, definitions, disable, rotate, write_definitions
from kasane.bus.queue_report import age_text, inbox_reports
from kasane.config import REPO_ROOT, BrokerSettings, ConfigurationError
from kasane.deployment import deployment_city, deployment_file, load_deployment
from kasane.deployment_profile import admitted_summary, mismatches
from kasane.services import subscriptions


def provision_bus(profile_city: str | None = None, out=sys.stdout) -> int:
    from kasane.cli.platform import provision
    path = deployment_file(profile_city)
    deployment = load_deployment(path)
    if profile_city is not None:
        profile = city_profile(profile_city)
        problems = mismatches(deployment, deployment_city(path), profile)
        if problems:
            raise ConfigurationError(f"{path.name} does not match deploy/profiles/{profile_city}.yaml: "
                                     + "; ".join(problems))
        out.write(admitted_summary(deployment, profile) + "\n")
    provision(deployment, progress=lambda line: out.write(line + "\n"))
    broker = deployment[0].settings.broker
    inboxes = {d.settings.instance: subscriptions(d.settings.service) for d in deployment
               if subscriptions(d.settings.service)}
    path = write_definitions(REPO_ROOT / "deploy" / "generated" / f"rabbitmq-definitions.{broker.vhost}.json",
                             definitions(broker, accesses_of(deployment), inboxes))
    out.write(f"bus: definitions written to {path.relative_to(REPO_ROOT)}\n")
    return 0


def city_profile(city: str):
    """deploy/profiles/<city>.yaml, checked by the directory's own loader (one reader of the format)."""
    from directory.profile import ProfileError, load_profile, profile_path
    try:
        return load_profile(profile_path(REPO_ROOT / "deploy" / "profiles", city))
    except ProfileError as exc:
        raise ConfigurationError(str(exc)) from None


def status(out=sys.stdout) -> int:
    """Per consuming instance: inbox depth, consumers, oldest message age, dead letters."""
    broker = BrokerSettings.from_env()
    try:
        ports = {d.settings.instance: d.settings.metrics_port for d in load_deployment()}
    except ConfigurationError:
        ports = {}  # no deployment file here: ages of consumed inboxes are then unknown
    out.write(f"{'instance':40} {'ready':>7} {'unacked':>8} {'consumers':>9} {'oldest':>7} "
              f"{'dead':>6} {'oldest dead':>11}\n")
    for r in inbox_reports(broker, time.time(), ports):
        flag = "  ← dead letters: kasane bus dead-letters " + r.instance if r.dead_letters else ""
        idle = "  ← nobody consumes" if r.waiting and not r.consumers else ""
        out.write(f"{r.instance:40} {r.ready:>7} {r.unacked:>8} {r.consumers:>9} {age_text(r.oldest_age):>7} "
                  f"{r.dead_letters:>6} {age_text(r.oldest_dead_letter_age):>11}{idle}{flag}\n")
    return 0


def dead_letters(instance: str, replay: bool, out=sys.stdout) -> int:
    broker = BrokerSettings.from_env()
    queue = f"dlq.{instance}"
    if not replay:
        for m in BrokerAdmin(broker).queue_messages(broker.vhost, queue, 100, requeue=True):
            headers = m.get("properties", {}).get("headers", {})
            out.write(f"{headers.get('x-kasane-dead-lettered-at', '?')}  "
                      f"{headers.get('x-kasane-original-routing-key', '?')}  {headers.get('x-kasane-reason', '?')}\n")
        return 0
    replayed = 0
    with Connection(broker.amqp_uri) as connection, replaying_publisher(broker) as producer:
        channel = connection.channel()
        while (message := channel.basic_get(queue=queue, no_ack=False)) is not None:
            key = (message.headers or {}).get("x-kasane-original-routing-key")
            if not key:
                channel.basic_reject(message.delivery_tag, requeue=True)
                break
            republish(producer, message, key)
            channel.basic_ack(message.delivery_tag)
            replayed += 1
    out.write(f"replayed {replayed} message(s) from {queue}\n")
    return 0


def org(action: list[str], instances: list[str], audit: bool, out=sys.stdout) -> int:
    broker = BrokerSettings.from_env()
    if len(action) != 2:
        raise ConfigurationError("usage: kasane org add|rotate-credentials|disable ORG")
    verb, organisation = action
    if verb == "add":
        if not instances:
            raise ConfigurationError("kasane org add needs at least one --instance")
        creds = admit(broker, OrganisationAccess(organisation, tuple(instances), reads_every_event=audit))
        out.write(f"org: {organisation} admitted as {creds['user']}; credentials in var/credentials/\n")
    elif verb == "rotate-credentials":
        rotate(broker, organisation)
        out.write(f"org: {organisation} has a new password; the old one no longer connects\n")
    elif verb == "disable":
        disable(broker, organisation)
        out.write(f"org: {organisation} removed from the bus\n")
    else:
        raise ConfigurationError("usage: kasane org add|rotate-credentials|disable ORG")
    return 0

