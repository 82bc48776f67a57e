"""封緘 — an event's personal part sealed when stored and opened when read (eventsourcing's Mapper).

Inside the personal part, every list entry that is a dict with a `person_id` (`persons`,
`person_goals` …) is sealed under that person's key, its `person_id` left in clear; the rest
(notes, summaries …) under the key of the event's household (`household_id`), else of the
aggregate. AES-256-GCM with a random nonce; the associated data binds each box to the event
(originator id and version), its place in the part and its key id. The audit ledger's recorded
envelopes keep the personal part in `envelope.payload.personal`: sealed the same way.

A box whose key was destroyed opens as a marked placeholder in the part's recorded shape (keys
and nesting are kept in clear, never values): each text reads 廃棄済み, dates and other values
None; a person entry also keeps its `person_id` and says `"erased": True`. An event stored in clear before
sealing existed reads as it was.
"""
from __future__ import annotations

import base64
import re
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Mapper, StoredEvent

from kasane.privacy.keystore import KeyStore, MemoryKeyStore

SEALED = "__kasane_sealed__"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
ERASED = "廃棄済み"


def erased_person(person_id: str, shape: Any = None) -> dict:
    """What is left of a person whose key was destroyed: the entry's recorded shape with each
    text 廃棄済み (dates and other values None), its `person_id`, and `erased`."""
    erased = _erased_like(shape) if shape else {}
    return {**(erased if isinstance(erased, dict) else {}), "name": ERASED, "person_id": person_id, "erased": True}


def is_erased(value: Any) -> bool:
    """True for a placeholder left where a destroyed key's details were."""
    return value == ERASED or (isinstance(value, dict) and value.get("erased") is True)


class Sealer:
    """Seals and opens one personal part of one event with the given key store."""

    def __init__(self, keys: KeyStore, transcoder):
        self.keys, self.transcoder = keys, transcoder
        self._ciphers: dict[bytes, AESGCM] = {}  # one cipher object per key, made once

    def _cipher(self, key: bytes) -> AESGCM:
        cipher = self._ciphers.get(key)
        if cipher is None:
            if len(self._ciphers) > 20_000:
                self._ciphers.clear()
            cipher = self._ciphers[key] = AESGCM(key)
        return cipher

    def seal(self, personal: dict, event_ref: str, household_id: str | None, fallback: str) -> dict:
        rest: dict = {}
        people: list = []
        for name, value in personal.items():
            if isinstance(value, list) and any(_is_person(v) for v in value):
                kept = [v for v in value if not _is_person(v)]
                for at, entry in enumerate(value):
                    if _is_person(entry):
                        pid = str(entry["person_id"])
                        people.append({"list": name, "at": at, "person_id": pid, "shape": _shape(entry),
                                       **self._box(entry, pid, household_id, f"{event_ref}|{name}/{at}")})
                if kept:
                    rest[name] = kept
            else:
                rest[name] = value
        sealed: dict = {SEALED: 1, "shape": {name: _shape(v) for name, v in rest.items()}, "people": people}
        if rest:
            sealed["rest"] = self._box(rest, household_id or fallback, None, f"{event_ref}|rest")
        return sealed

    @staticmethod
    def subjects(personal: dict, household_id: str | None, fallback: str) -> list[tuple[str, str | None]]:
        """The (subject, household) pairs whose keys `seal` will ask for, in its order."""
        pairs: list[tuple[str, str | None]] = []
        rest = False
        for value in personal.values():
            if isinstance(value, list) and any(_is_person(v) for v in value):
                pairs += [(str(v["person_id"]), household_id) for v in value if _is_person(v)]
                rest = rest or any(not _is_person(v) for v in value)
            else:
                rest = True
        return pairs + ([(household_id or fallback, None)] if rest else [])

    def open(self, sealed: dict, event_ref: str) -> dict:
        rest = sealed.get("rest")
        opened = self._unbox(rest, f"{event_ref}|rest") if rest else {}
        personal: dict = opened if opened is not None else {
            name: _erased_like(shape) for name, shape in sealed["shape"].items()}
        for person in sorted(sealed["people"], key=lambda p: p["at"]):
            entry = self._unbox(person, f"{event_ref}|{person['list']}/{person['at']}")
            target = personal.get(person["list"])
            if not isinstance(target, list):
                target = personal[person["list"]] = []
            target.insert(person["at"], entry if entry is not None
                          else erased_person(person["person_id"], person.get("shape")))
        return personal

    def _box(self, value: Any, subject: str, household_id: str | None, place: str) -> dict:
        key_id, key = self.keys.key_for(subject, household_id)
        nonce = secrets.token_bytes(12)
        box = self._cipher(key).encrypt(nonce, self.transcoder.encode(value), f"{place}|{key_id}".encode())
        return {"key": key_id, "box": base64.b64encode(nonce + box).decode()}

    def _unbox(self, box: dict, place: str) -> Any:
        key = self.keys.key_by_id(box["key"])
        if key is None:
            return None
        raw = base64.b64decode(box["box"])
        try:
            return self.transcoder.decode(self._cipher(key).decrypt(raw[:12], raw[12:], f"{place}|{box['key']}".encode()))
        except InvalidTag:
            raise ValueError(f"a sealed personal part does not open at {place.split('|', 2)[-1]}") from None


def _shape(value: Any) -> Any:
    """The part's form without its values (keys, nesting, which fields held text): what an erased
    part reads as, so a page expecting a mapping still finds one, saying 廃棄済み."""
    if isinstance(value, str):
        return "t" if ISO_DAY.match(value) else "s"  # a date reads as None: pages format dates
    if isinstance(value, dict):
        return {"d": {str(k): _shape(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"l": [_shape(v) for v in value]}
    return None


def _erased_like(shape: Any) -> Any:
    if shape == "s":
        return ERASED
    if isinstance(shape, dict) and "d" in shape:
        return {k: _erased_like(v) for k, v in shape["d"].items()}
    if isinstance(shape, dict) and "l" in shape:
        return [_erased_like(v) for v in shape["l"]]
    return None


def _is_person(value: Any) -> bool:
    return isinstance(value, dict) and "person_id" in value


class SealingMapper(Mapper):
    """The store's mapper with personal parts sealed (see the module's docstring)."""

    def __init__(self, transcoder, compressor=None, cipher=None, *, keys: KeyStore):
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.sealer = Sealer(keys, transcoder)

    def to_stored_event(self, domain_event) -> StoredEvent:
        state = vars(domain_event)
        holder = holder_of(state)
        if holder is None:
            return super().to_stored_event(domain_event)
        ref = f"{state['originator_id']}|{state['originator_version']}"
        sealed = self.sealer.seal(holder["personal"], ref, household_of(state), str(state["originator_id"]))
        twin = object.__new__(type(domain_event))
        object.__setattr__(twin, "__dict__", _with_personal(state, sealed))
        return super().to_stored_event(twin)

    def prepare(self, domain_events: list) -> None:
        """Make or fetch, in one round trip, the keys a batch of events is about to be sealed
        under (a consumer's batch would otherwise commit one new key per person, one by one)."""
        ensure = getattr(self.sealer.keys, "keys_for", None)
        if ensure is None:
            return
        pairs: list[tuple[str, str | None]] = []
        for domain_event in domain_events:
            state = vars(domain_event)
            holder = holder_of(state)
            if holder is not None:
                pairs += self.sealer.subjects(holder["personal"], household_of(state), str(state["originator_id"]))
        if pairs:
            ensure(pairs)

    def to_domain_event(self, stored_event: StoredEvent):
        domain_event = super().to_domain_event(stored_event)
        state = vars(domain_event)
        holder = holder_of(state)
        if holder is not None and isinstance(holder["personal"], dict) and SEALED in holder["personal"]:
            ref = f"{stored_event.originator_id}|{stored_event.originator_version}"
            holder["personal"] = self.sealer.open(holder["personal"], ref)
        return domain_event


def holder_of(state: dict) -> dict | None:
    """The dict holding the personal part: the event itself, or a ledger envelope's payload."""
    if isinstance(state.get("personal"), dict) and state["personal"]:
        return state
    envelope = state.get("envelope")
    if isinstance(envelope, dict) and isinstance(envelope.get("payload"), dict):
        payload = envelope["payload"]
        if isinstance(payload.get("personal"), dict) and payload["personal"]:
            return payload
    return None


def household_of(state: dict) -> str | None:
    household = state.get("household_id") or (state.get("envelope") or {}).get("household_id")
    return str(household) if household else None


def _with_personal(state: dict, sealed: dict) -> dict:
    if "personal" in state and isinstance(state["personal"], dict) and state["personal"]:
        return {**state, "personal": sealed}
    envelope = state["envelope"]
    return {**state, "envelope": {**envelope, "payload": {**envelope["payload"], "personal": sealed}}}


def keyless_mapper(transcoder) -> SealingMapper:
    """A mapper for readers without any key (the verifier's retelling): personal parts read as
    placeholders, everything else as stored."""
    return SealingMapper(transcoder, keys=MemoryKeyStore())
