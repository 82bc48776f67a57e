"""City IT's work on the bus for organisations: admit (with users, permissions and topic
permissions), rotate credentials, disable — and the same as a RabbitMQ definitions file."""
from __future__ import annotations

import json
from pathlib import Path

from kasane.bus import credentials
from kasane.bus.access import OrganisationAccess, user_name
from kasane.bus.admin import BrokerAdmin
from kasane.bus.topology import (DEAD_LETTER_EXCHANGE, EVENTS_EXCHANGE, UNROUTED_EXCHANGE,
                                 UNROUTED_QUEUE, dead_letter_queue, inbox_queue,
                                 subscription_bindings)
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
                inboxes: dict[str, list[str]]) -> dict:
    """The same bus as a RabbitMQ definitions document (rabbitmqctl import_definitions)."""
    vhost = broker.vhost
    users, permissions, topic_permissions = [], [], []
    for access in accesses:
        creds = credentials.load_or_issue(access.organisation, vhost)
        users.append({"name": creds["user"], "tags": [],
                      "password_hash": credentials.rabbit_password_hash(creds["password"]),
                      "hashing_algorithm": "rabbit_password_hashing_sha256"})
        permissions.append({"user": creds["user"], "vhost": vhost, **access.permissions()})
        topic_permissions += [{"user": creds["user"], "vhost": vhost, **t} for t in access.topic_permissions()]
    quorum = {"x-queue-type": "quorum"}
    exchanges = [
        {"name": UNROUTED_EXCHANGE, "vhost": vhost, "type": "fanout", "durable": True, "auto_delete": False,
         "internal": False, "arguments": {}},
        {"name": EVENTS_EXCHANGE, "vhost": vhost, "type": "topic", "durable": True, "auto_delete": False,
         "internal": False, "arguments": {"alternate-exchange": UNROUTED_EXCHANGE}},
        {"name": DEAD_LETTER_EXCHANGE, "vhost": vhost, "type": "topic", "durable": True,
         "auto_delete": False, "internal": False, "arguments": {}},
    ]
    queues = [{"name": UNROUTED_QUEUE, "vhost": vhost, "durable": True, "auto_delete": False, "arguments": quorum}]
    bindings = [{"source": UNROUTED_EXCHANGE, "vhost": vhost, "destination": UNROUTED_QUEUE,
                 "destination_type": "queue", "routing_key": "", "arguments": {}}]
    for instance, subscriptions in sorted(inboxes.items()):
        inbox, dlq = inbox_queue(instance), dead_letter_queue(instance)
        queues += [{"name": inbox.name, "vhost": vhost, "durable": True, "auto_delete": False,
                    "arguments": inbox.queue_arguments},
                   {"name": dlq.name, "vhost": vhost, "durable": True, "auto_delete": False,
                    "arguments": dlq.queue_arguments}]
        bindings.append({"source": DEAD_LETTER_EXCHANGE, "vhost": vhost, "destination": dlq.name,
                         "destination_type": "queue", "routing_key": instance, "arguments": {}})
        bindings += [{"source": EVENTS_EXCHANGE, "vhost": vhost, "destination": inbox.name,
                      "destination_type": "queue", "routing_key": key, "arguments": {}}
                     for key in subscription_bindings(instance, subscriptions)]
    return {"rabbit_version": "3.10.8", "vhosts": [{"name": vhost}], "users": users,
            "permissions": permissions, "topic_permissions": topic_permissions,
            "exchanges": exchanges, "queues": queues, "bindings": bindings}


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
