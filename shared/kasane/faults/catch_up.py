"""追いつき — after the last fault, how long each instance took to catch up: the first moment at
which every relay had published its whole log and the instance's own inbox stood empty (nothing
ready, nothing unacknowledged) and it answered on its metrics port. Polled twice a second; the broker's queue statistics are
refreshed every second on the campaign's node."""
from __future__ import annotations

import time

from kasane.bus.admin import BrokerAdmin
from kasane.cli.operations import health_of
from kasane.deployment import DeployedInstance
from kasane.faults.history import History
from kasane.store.provision import admin_connection
from kasane.store.recorder import EVENTS_TABLE, RELAY_TABLE


def relay_behind(deployed: DeployedInstance) -> bool | None:
    """True while the relay has not reached the store's head; None when the store is unreachable."""
    s = deployed.settings
    try:
        with admin_connection(s.database, s.database.database_for(s.instance)) as conn:
            head, relayed = conn.execute(
                f"SELECT (SELECT coalesce(max(notification_id), 0) FROM {EVENTS_TABLE}), "
                f"(SELECT coalesce(max(position), 0) FROM {RELAY_TABLE})").fetchone() or (0, 0)
    except Exception:  # noqa: BLE001 — a store refusing connections is not caught up
        return None
    return relayed < head


def inbox_depths(admin: BrokerAdmin, vhost: str) -> dict | None:
    try:
        return {q["name"].removeprefix("inbox."): q.get("messages", 0) or 0
                for q in admin.queues(vhost) if q["name"].startswith("inbox.")}
    except Exception:  # noqa: BLE001 — the broker is not answering yet
        return None


def wait_caught_up(deployment: list[DeployedInstance], admin: BrokerAdmin, since: float, bound: float,
                   history: History, label: str = "catch_up") -> dict:
    """Seconds from `since` (history time of the last fault's end) until each instance caught up;
    an instance that never did within `bound` gets the time waited (which the checker flags)."""
    vhost, caught, relays_done = deployment[0].settings.broker.vhost, dict[str, float](), False
    names = [d.settings.instance for d in deployment]
    deadline = time.monotonic() + max(0.0, bound - (history.elapsed() - since)) + 5
    while len(caught) < len(names) and time.monotonic() < deadline:
        behind = [relay_behind(d) for d in deployment]
        depths = inbox_depths(admin, vhost)
        relays_done = all(b is False for b in behind)
        if relays_done and depths is not None:
            for deployed in deployment:
                name = deployed.settings.instance
                if name not in caught and depths.get(name, 0) == 0 and health_of(deployed) is not None:
                    caught[name] = round(history.elapsed() - since, 2)
        time.sleep(0.5)
    waited = round(history.elapsed() - since, 2)
    result = {name: caught.get(name, waited) for name in names}
    history.record(label, seconds=result, all_caught_up=len(caught) == len(names))
    return result
