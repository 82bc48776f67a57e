"""アーカイブの再生 — a household's events as one instance's store holds them, read with the auditor
role and opened with the keys of a given key store: the city's archive copy with the archive's
keys shows the details; the contractor's store after its exit shows 廃棄済み in their place.

Only the household's own events are opened: the others are decoded without their personal part
(its household id is stored in clear beside the sealed boxes) and passed over.
"""
from __future__ import annotations

from datetime import datetime

from eventsourcing.persistence import StoredEvent

from kasane.audit.verify import auditor_connection
from kasane.config import InstanceSettings
from kasane.privacy.keystore import KeyStore
from kasane.privacy.sealing import SealingMapper, holder_of, household_of
from kasane.store.recorder import EVENTS_TABLE


def household_story(settings: InstanceSettings, keys: KeyStore, household_id: str) -> list[dict]:
    """The household's events in log order: position, time, kind, and the personal part opened."""
    from kasane.store.application import KasaneApplication

    transcoder = KasaneApplication().mapper.transcoder
    mapper = SealingMapper(transcoder, keys=keys)
    story = []
    with auditor_connection(settings) as conn:
        rows = conn.cursor(binary=True).execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {EVENTS_TABLE} ORDER BY notification_id")
        for position, originator_id, version, topic, state in rows:
            if not _about(transcoder.decode(bytes(state)), originator_id, household_id):
                continue
            event = mapper.to_domain_event(StoredEvent(originator_id, version, topic, bytes(state)))
            story.append(_entry(position, topic, vars(event)))
    return story


def _about(state: dict, originator_id, household_id: str) -> bool:
    return (household_of(state) or str(originator_id)) == household_id


def _entry(position: int, topic: str, state: dict) -> dict:
    moment = state.get("timestamp")
    holder = holder_of(state)
    personal = holder["personal"] if holder else None
    return {"position": position, "kind": topic.rsplit(":", 1)[-1],
            "at": moment.isoformat() if isinstance(moment, datetime) else moment,
            "personal": personal}
