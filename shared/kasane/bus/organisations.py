"""City IT's work on the bus for organisations: admit (with users, permissions and topic
permissions), rotate credentials, disable — and the same as a RabbitMQ definitions file."""
from __future__ import annotations

import json
from pathlib import Path

from kasane.bus import credentials
from kasane.bus.access import OrganisationAccess, user_name
from kasane.bus.admin import BrokerAdmin
from kasane.bus.topology import (DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE, SHARED_EXCHANGES,
                                 UNROUTED_EXCHANGE, UNROUTED_QUEUE, dead_letter_queue, inbox_queue,
                                 subscription_bindings, unrouted_queue)
from kasane.config import BrokerSettings
from kasane.deployment import DeployedInstance


def accesses_of(deployment: list[DeployedInstance]) -> list[OrganisationAccess]:
    """One access per organisation, covering all its instances in the deployment."""
    by_org: dict[str, list[DeployedInstance]] = {}
    for deployed in deployment:
        by_org.setdefault(deployed.settings.organisation, []).append(deployed)
    return [OrganisationAccess(org, tuple(d.settings.instance for d in items),
                               reads_every_event=any(d.settings.service == "audit" for d in items))
            for org, items in sorted(by_org.items())]


def admit(broker: BrokerSettings, access: OrganisationAccess) -> dict:
    """Create or update the organisation's user and rights (idempotent); returns its credentials."""
    creds = credentials.load_or_issue(access.organisation, broker.vhost)
    admin = BrokerAdmin(broker)
    admin.put_user(creds["user"], creds["password"])
    admin.grant(broker.vhost, creds["user"], access.permissions(), access.topic_permissions())
    return creds


def rotate(broker: BrokerSettings, organisation: str) -> dict:
    """New password at once; the old one stops working and open connections are cut."""
    creds = credentials.issue(organisation, broker.vhost)
    admin = BrokerAdmin(broker)
    admin.put_user(creds["user"], creds["password"])
    admin.close_connections(creds["user"])
    return creds


def disable(broker: BrokerSettings, organisation: str) -> None:
    """Remove the organisation's user from the bus (its queues and their messages stay)."""
    admin = BrokerAdmin(broker)
    user = user_name(organisation, broker.vhost)
    admin.close_connections(user)
    admin.delete_user(user)
    path = credentials.credentials_file(organisation, broker.vhost)
    if path.exists():
        path.unlink()


def definitions(broker: BrokerSettings, accesses: list[OrganisationAccess],
                inboxes: dict[str, list[tuple]]) -> dict:
    """The same bus as a RabbitMQ definitions document (rabbitmqctl import_definitions), derived
    from the kombu objects provisioning declares (kasane.bus.topology)."""
    vhost = broker.vhost
    queues = [_queue(unrouted_queue, vhost)]
    bindings = [_binding(UNROUTED_EXCHANGE, UNROUTED_QUEUE, "", vhost)]
    for instance, subscriptions in sorted(inboxes.items()):
        inbox, dlq = inbox_queue(instance), dead_letter_queue(instance)
        queues += [_queue(inbox, vhost), _queue(dlq, vhost)]
        bindings.append(_binding(DEAD_LETTER_EXCHANGE, dlq.name, instance, vhost))
        bindings += [_binding(EVENTS_EXCHANGE, inbox.name, key, vhost)
                     for key in subscription_bindings(instance, subscriptions)]
    return {"rabbit_version": "3.10.8", "vhosts": [{"name": vhost}], **_rights(accesses, vhost),
            "exchanges": [_exchange(x, vhost) for x in SHARED_EXCHANGES],
            "queues": queues, "bindings": bindings}


def _rights(accesses: list[OrganisationAccess], vhost: str) -> dict:
    users, permissions, topic_permissions = [], [], []
    for access in accesses:
        creds = credentials.load_or_issue(access.organisation, vhost)
        users.append({"name": creds["user"], "tags": [],
                      "password_hash": credentials.rabbit_password_hash(creds["password"]),
                      "hashing_algorithm": "rabbit_password_hashing_sha256"})
        permissions.append({"user": creds["user"], "vhost": vhost, **access.permissions()})
        topic_permissions += [{"user": creds["user"], "vhost": vhost, **t} for t in access.topic_permissions()]
    return {"users": users, "permissions": permissions, "topic_permissions": topic_permissions}


def _exchange(exchange, vhost: str) -> dict:
    return {"name": exchange.name, "vhost": vhost, "type": exchange.type, "durable": exchange.durable,
            "auto_delete": exchange.auto_delete, "internal": False,
            "arguments": dict(exchange.arguments or {})}


def _queue(queue, vhost: str) -> dict:
    return {"name": queue.name, "vhost": vhost, "durable": queue.durable,
            "auto_delete": queue.auto_delete, "arguments": dict(queue.queue_arguments or {})}


def _binding(source: str, destination: str, routing_key: str, vhost: str) -> dict:
    return {"source": source, "vhost": vhost, "destination": destination,
            "destination_type": "queue", "routing_key": routing_key, "arguments": {}}


def remove_issued_users(broker: BrokerSettings) -> int:
    """Delete the users issued here for the vhost (a test run's or a demo's clean-up)."""
    admin = BrokerAdmin(broker)
    issued = credentials.issued(broker.vhost)
    for creds in issued:
        admin.delete_user(creds["user"])
    return len(issued)


def write_definitions(path: Path, document: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    path.chmod(0o600)  # it holds password hashes
    return path
