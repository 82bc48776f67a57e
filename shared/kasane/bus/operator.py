"""City IT's operator on the bus (運用担当): one user per vhost, made by provisioning, that may read
kasane.unrouted and the dead-letter queues and publish to kasane.events — with the broker's
`impersonator` tag, so that a replayed message keeps its original properties, `user_id` (the
publishing organisation's user, which consumers check against the origin) included."""
from __future__ import annotations

import re
from dataclasses import replace

from kasane.bus import credentials
from kasane.bus.admin import BrokerAdmin
from kasane.bus.topology import EVENTS_EXCHANGE, UNROUTED_QUEUE
from kasane.config import BrokerSettings

OPERATOR = "city-it-operator"
TAGS = "impersonator"


def ensure_operator(broker: BrokerSettings) -> dict:
    """Create or update the vhost's operator (idempotent); returns its credentials."""
    creds = credentials.load_or_issue(OPERATOR, broker.vhost)
    admin = BrokerAdmin(broker)
    admin.put_user(creds["user"], creds["password"], tags=TAGS)
    admin.grant(broker.vhost, creds["user"], {
        "configure": "^$",
        "write": rf"^{re.escape(EVENTS_EXCHANGE)}$",
        "read": rf"^({re.escape(UNROUTED_QUEUE)}|dlq\..+)$"}, [])
    return creds


def as_operator(broker: BrokerSettings) -> BrokerSettings:
    """The broker settings with the operator's credentials (issued by provisioning)."""
    creds = credentials.load(OPERATOR, broker.vhost)
    if creds is None:
        creds = ensure_operator(broker)
    return replace(broker, user=creds["user"], password=creds["password"])
