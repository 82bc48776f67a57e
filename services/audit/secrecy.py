"""支援会議の秘密 — what a reader of the replay may learn of a 支援会議 (法106条の6).

A 支援会議's materials are 非公開 and bind its members to secrecy (DOMAIN §4, seed
000_ee77b08442998357.txt §4): which households it decided on, its decisions and its member list
are for its members and the auditors (監査員) only. Any other reader of a household's replay learns
that a 支援会議 took place on a date, and nothing else: one entry per meeting, without the
decision, the members, the recipients or the person who recorded it.
"""
from __future__ import annotations

from kasane_contracts.vocabulary import AUDITOR_ROLE

SUPPORT_MEETING_DECIDED = "collaboration.support_meeting_decided"
#: What a reader outside the meeting sees of its payload.
OPEN_FIELDS = ("meeting_id", "held_on")


def sees_support_meeting(reader: dict, payload: dict) -> bool:
    """An auditor, or a person of a member organisation of that meeting."""
    if reader.get("role") == AUDITOR_ROLE:
        return True
    members = {m.get("organisation") if isinstance(m, dict) else m for m in payload.get("members", [])}
    return bool(reader.get("organisation")) and reader.get("organisation") in members


def conceal(entries: list[dict], reader: dict) -> list[dict]:
    """The household's envelopes as `reader` may see them: each 支援会議 decision the reader is
    not entitled to becomes one bare "a 支援会議 took place" envelope per meeting."""
    shown, seen_meetings = [], set()
    for envelope in entries:
        if envelope["type"] != SUPPORT_MEETING_DECIDED or sees_support_meeting(reader, envelope["payload"]):
            shown.append(envelope)
            continue
        meeting_id = envelope["payload"].get("meeting_id")
        if meeting_id in seen_meetings:
            continue  # how many organisations it reached would tell about its decision
        seen_meetings.add(meeting_id)
        shown.append(_bare(envelope))
    return shown


def _bare(envelope: dict) -> dict:
    payload = {k: envelope["payload"].get(k) for k in OPEN_FIELDS}
    return {**{k: v for k, v in envelope.items() if k not in ("payload", "recipient")},
            "payload": {**payload, "concealed": True}}
