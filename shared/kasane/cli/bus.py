"""`kasane bus …` and `kasane org …` — city IT's commands for the bus.

  kasane bus provision [--profile CITY]
                                    vhost, exchanges, queues, an organisation user each, and
                                    deploy/generated/rabbitmq-definitions.<vhost>.json; with a
                                    profile, the city's deployment is first checked against
                                    deploy/profiles/CITY.yaml (organisations, agencies)
  kasane bus status                 per instance: inbox depth, consumers, unacked, oldest
                                    message age, dead letters and the oldest one's age; and
                                    kasane.unrouted's depth and oldest age
  kasane bus dead-letters INSTANCE [--replay] [--limit N] [--offset M]
                                    show why messages were dead-lettered; replay after a fix
  kasane bus unrouted [--replay] [--limit N] [--offset M]
                                    events no queue was bound for; replay once bound
  kasane org add ORG --instance I [--instance J] [--audit]
  kasane org rotate-credentials ORG
  kasane org disable ORG
"""
from __future__ import annotations

import sys
import time

from amqp.exceptions import AccessRefused

from kasane.bus.access import OrganisationAccess
from kasane.bus.organisations import accesses_of, admit, definitions, disable, rotate, write_definitions
from kasane.bus.queue_report import age_text, inbox_reports, unrouted_report
from kasane.bus.replay import dead_letter_key, page, queue_depth, unrouted_key
from kasane.bus.replay import replay as replay_queue
from kasane.bus.topology import UNROUTED_QUEUE
from kasane.config import REPO_ROOT, BrokerSettings, ConfigurationError
from kasane.deployment import deployment_city, deployment_file, load_deployment
from kasane.deployment_profile import admitted_summary, mismatches
from kasane.errors import KasaneError
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
    depth, oldest = unrouted_report(broker, time.time())
    hint = "  ← no queue was bound for them: kasane bus unrouted" if depth else ""
    out.write(f"{UNROUTED_QUEUE + ' (unrouted)':40} {depth:>7} {'':>8} {'':>9} {age_text(oldest):>7}{hint}\n")
    return 0


def dead_letters(instance: str, replay: bool, limit: int = 20, offset: int = 0, out=sys.stdout) -> int:
    broker = BrokerSettings.from_env()
    queue = f"dlq.{instance}"
    if replay:
        count = replayed(broker, queue, dead_letter_key)
        out.write(f"replayed {count} message(s) from {queue}\n")
        return 0
    messages, depth = page(broker, queue, limit, offset)
    for m in messages:
        headers = m.get("properties", {}).get("headers", {})
        out.write(f"{headers.get('x-kasane-dead-lettered-at', '?')}  "
                  f"{headers.get('x-kasane-original-routing-key', '?')}  {headers.get('x-kasane-reason', '?')}\n")
    _cut(out, len(messages), offset, depth, f"kasane bus dead-letters {instance}")
    return 0


def unrouted(replay: bool, limit: int = 20, offset: int = 0, out=sys.stdout) -> int:
    """Events no queue was bound for: when, under which key, from which origin, of which type."""
    broker = BrokerSettings.from_env()
    if replay:
        count = replayed(broker, UNROUTED_QUEUE, unrouted_key)
        left = queue_depth(broker, UNROUTED_QUEUE)
        out.write(f"replayed {count} message(s) from {UNROUTED_QUEUE}; {left} still unrouted "
                  "(no queue bound for their keys yet)\n" if left else
                  f"replayed {count} message(s) from {UNROUTED_QUEUE}\n")
        return 0
    messages, depth = page(broker, UNROUTED_QUEUE, limit, offset)
    now = time.time()
    for m in messages:
        props = m.get("properties", {})
        age = age_text(now - props["timestamp"]) if isinstance(props.get("timestamp"), (int, float)) else "?"
        out.write(f"{age:>7}  {m.get('routing_key', '?')}  user {props.get('user_id', '—')}  "
                  f"message {props.get('message_id', '?')}\n")
    _cut(out, len(messages), offset, depth, "kasane bus unrouted")
    return 0


def replayed(broker: BrokerSettings, queue: str, key_of) -> int:
    try:
        return replay_queue(broker, queue, key_of)
    except AccessRefused as exc:
        raise KasaneError(f"the broker refused city IT's operator on {queue} ({exc}); "
                          "run `kasane bus provision` to (re)create it") from None


def _cut(out, shown: int, offset: int, depth: int, command: str) -> None:
    """Say what part of the list was shown, and how to see the rest."""
    if shown == 0:
        out.write("(none)\n" if depth == 0 else f"(nothing from {offset + 1}; {depth} in all)\n")
    elif offset + shown < depth:
        out.write(f"shown {offset + 1}–{offset + shown} of {depth}; the next with "
                  f"`{command} --offset {offset + shown}`\n")
    else:
        out.write(f"shown {offset + 1}–{offset + shown} of {depth}\n")


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

