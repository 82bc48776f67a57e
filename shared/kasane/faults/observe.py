"""観測 — what the checker reads once a campaign has stopped: every instance's store and inbox
(as the administrator, to see each row's transaction), its dead letters, its chain verdict, and
the audit ledger's copy of every integration event. Nothing personal is kept: ids, positions,
topics and reasons only.
"""
from __future__ import annotations

import json

from kasane.audit.ledger_copy import read_ledger
from kasane.audit.chain import StoredRow
from kasane.audit.verify import registered_public_key, storytellers, verify_instance
from kasane.bus.admin import BrokerAdmin
from kasane.bus.topology import subscription_bindings
from kasane.deployment import DeployedInstance
from kasane.faults.checker import InboxRow, InstanceView, Observations, StoredEvent
from kasane.services import subscriptions
from kasane.store.provision import admin_connection
from kasane.store.recorder import EVENTS_TABLE, INBOX_TABLE
from kasane.store.trace import META_ATTRIBUTE

POISON_HEADER = "x-kasane-faults-poison"  # set by the harness on the poison it injects
# Told by every store but kept by the ledger apart from its entries (signed heads, read records).
NOT_ENTRIES = frozenset({"audit.checkpoint_signed", "audit.personal_data_read"})


def observe(deployment: list[DeployedInstance], admin: BrokerAdmin | None = None) -> Observations:
    ledger_settings = next((d.settings for d in deployment if d.settings.service == "audit"), None)
    ledger = read_ledger(ledger_settings) if ledger_settings else None
    views = {}
    for deployed in deployment:
        s = deployed.settings
        view = read_store(deployed)
        view.bindings = subscription_bindings(s.instance, subscriptions(s.service))
        if admin is not None and view.bindings:
            view.dead_letters = read_dead_letters(admin, s.broker.vhost, s.instance)
        verdict = verify_instance(s, registered_public_key(s.instance), ledger=ledger)
        view.chain_faults = [f"{f.kind} at {f.position}: {f.detail}" for f in verdict.faults]
        views[s.instance] = view
    return Observations(instances=views, ledger=ledger.events if ledger else {},
                        ledger_instance=ledger_settings.instance if ledger_settings else None,
                        organisations={d.settings.instance: d.settings.organisation for d in deployment})


def read_store(deployed: DeployedInstance) -> InstanceView:
    s = deployed.settings
    view = InstanceView(s.instance)
    retell = storytellers(s)
    with admin_connection(s.database, s.database.database_for(s.instance)) as conn:
        for nid, originator, version, topic, state, xid in conn.cursor(binary=True).execute(
                f"SELECT notification_id, originator_id, originator_version, topic, state, "
                f"xmin::text::bigint FROM {EVENTS_TABLE} ORDER BY notification_id"):
            meta = json.loads(bytes(state)).get(META_ATTRIBUTE) or {}
            view.events.append(StoredEvent(nid, topic, meta.get("causation_id"), xid))
            told = retell(StoredRow(nid, originator, version, topic, bytes(state)))
            if told is not None and told["type"] not in NOT_ENTRIES:
                view.published[nid] = told_as_published(told)
        for origin, position, event_id, xid in conn.execute(
                f"SELECT origin_instance, position, event_id::text, xmin::text::bigint FROM {INBOX_TABLE}"):
            view.inbox.append(InboxRow(origin, position, event_id, xid))
    return view


def told_as_published(envelope: dict) -> dict:
    """What the checker keeps of an event the store's relay publishes: ids, type and addressee."""
    return {k: envelope[k] for k in ("event_id", "type", "version", "origin", "position", "household_id",
                                     "recipient") if k in envelope}


def read_dead_letters(admin: BrokerAdmin, vhost: str, instance: str) -> list[dict]:
    """The reasons of the dead letters (requeued: the queue keeps them for city IT)."""
    letters = admin.queue_messages(vhost, f"dlq.{instance}", count=10_000, requeue=True)
    found = []
    for letter in letters:
        headers = (letter.get("properties") or {}).get("headers") or {}
        found.append({"reason": headers.get("x-kasane-reason"), "poison": headers.get(POISON_HEADER)})
    return found
