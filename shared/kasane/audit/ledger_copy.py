"""台帳の写し — what the audit ledger holds of each instance, read with the ledger's auditor role:
the signed checkpoints it accepted and the integration events it received.

Verification compares both with the instance's own store: a signed head the store's chain no
longer reaches, or a published event the store now tells differently, is tampering even when
the tamperer recomputed the instance's whole chain.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import psycopg

from kasane.config import InstanceSettings
from kasane.store.recorder import EVENTS_TABLE

REFUSAL_TOPIC_SUFFIX = ":RefusedMessages.RefusalRecorded"


@dataclass
class LedgerCopy:
    checkpoints: dict = field(default_factory=dict)  # instance -> [(position, head_hash)]
    events: dict = field(default_factory=dict)       # instance -> {position: envelope}
    refusals: list = field(default_factory=list)     # messages refused as of unproven origin (証跡)


def read_ledger(ledger: InstanceSettings) -> LedgerCopy:
    copy, instances = LedgerCopy(), {}
    db = ledger.database
    with psycopg.connect(host=db.host, port=db.port, dbname=db.database_for(ledger.instance),
                         user=db.auditor_role_for(ledger.instance), connect_timeout=db.connect_timeout) as conn:
        rows = conn.execute(
            f"SELECT topic, state, originator_id FROM {EVENTS_TABLE} WHERE topic LIKE 'audit.%%' "
            "ORDER BY notification_id")
        for topic, state, originator in rows:
            kind = topic.rsplit(".", 1)[-1]
            if kind == "EntryRecorded":
                envelope = json.loads(bytes(state))["envelope"]
                copy.events.setdefault(envelope["origin"]["instance"], {})[envelope["position"]] = envelope
            elif topic.endswith(REFUSAL_TOPIC_SUFFIX):
                copy.refusals.append(json.loads(bytes(state))["refusal"])
            elif topic.endswith("InstanceRecord.Opened"):
                instances[originator] = json.loads(bytes(state))["instance"]
            elif kind == "CheckpointAccepted":
                data = json.loads(bytes(state))
                copy.checkpoints.setdefault(instances[originator], []).append(
                    (data["position"], data["head_hash"]))
    return copy
