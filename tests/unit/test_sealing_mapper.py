"""封緘: an event's personal part is stored sealed per person and opens back as it was; a
destroyed key leaves a marked placeholder; events stored in clear before sealing still read."""
from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, Mapper, UUIDAsHex

from kasane.privacy.keystore import MemoryKeyStore
from kasane.privacy.sealing import ERASED, SEALED, SealingMapper, erased_person, keyless_mapper
from kasane.store.transcodings import DateAsISO


class Case(Aggregate):
    @event("Opened")
    def __init__(self, household_id: str, personal: dict | None):
        self.household_id, self.personal = household_id, personal


class LedgerRecord(Aggregate):
    @event("EntryRecorded")
    def __init__(self, envelope: dict):
        self.envelope = envelope


def transcoder():
    t = JSONTranscoder()
    t.register(UUIDAsHex())
    t.register(DateAsISO())
    t.register(DatetimeAsISO())
    return t


HANAKO, TARO = str(uuid4()), str(uuid4())
PERSONAL = {"persons": [{"person_id": HANAKO, "name": "山田花子", "kana": "ヤマダハナコ",
                         "birth_date": date(1975, 4, 1)},
                        {"person_id": TARO, "name": "山田太郎", "kana": "ヤマダタロウ"}],
            "address": {"line": "松戸市常盤平1-2-3", "floor": 2}, "note": "長男が自宅にこもっている",
            "attendees": ["見本 花"]}


def event_of(personal):
    return Case(household_id=str(uuid4()), personal=personal).collect_events()[0]


def test_a_personal_part_is_stored_sealed_and_opens_as_it_was():
    mapper = SealingMapper(transcoder(), keys=MemoryKeyStore())
    stored = mapper.to_stored_event(event_of(PERSONAL))
    for secret in ("山田花子", "ヤマダ", "松戸市", "長男", "1975"):
        assert secret.encode() not in stored.state and secret.encode("unicode_escape") not in stored.state
    assert mapper.to_domain_event(stored).personal == PERSONAL


def test_each_person_is_sealed_under_their_own_key_and_the_rest_under_the_households():
    keys = MemoryKeyStore()
    domain_event = event_of(PERSONAL)
    stored = SealingMapper(transcoder(), keys=keys).to_stored_event(domain_event)
    sealed = transcoder().decode(stored.state)["personal"]
    assert sealed[SEALED] == 1
    assert [(p["person_id"], p["key"]) for p in sealed["people"]] == [
        (HANAKO, keys.subjects[HANAKO]), (TARO, keys.subjects[TARO])]
    assert sealed["rest"]["key"] == keys.subjects[domain_event.household_id]
    assert domain_event.personal == PERSONAL  # the event itself is left as it was


def test_a_destroyed_persons_key_leaves_that_person_erased_and_everyone_else_readable():
    keys = MemoryKeyStore()
    mapper = SealingMapper(transcoder(), keys=keys)
    stored = mapper.to_stored_event(event_of(PERSONAL))
    keys.destroy(HANAKO)
    personal = mapper.to_domain_event(stored).personal
    assert personal["persons"] == [{"person_id": HANAKO, "erased": True, "name": ERASED, "kana": ERASED,
                                     "birth_date": None}, PERSONAL["persons"][1]]
    assert personal["note"] == PERSONAL["note"]


def test_a_destroyed_households_key_leaves_each_field_erased_and_the_persons_counted():
    keys = MemoryKeyStore()
    mapper = SealingMapper(transcoder(), keys=keys)
    domain_event = event_of(PERSONAL)
    stored = mapper.to_stored_event(domain_event)
    keys.destroy(domain_event.household_id)
    personal = mapper.to_domain_event(stored).personal
    assert personal["address"] == {"line": ERASED, "floor": None} and personal["note"] == ERASED
    assert personal["attendees"] == [ERASED] and personal["persons"] == PERSONAL["persons"]


def test_a_reader_without_keys_sees_placeholders_in_the_same_shape():
    stored = SealingMapper(transcoder(), keys=MemoryKeyStore()).to_stored_event(event_of(PERSONAL))
    personal = keyless_mapper(transcoder()).to_domain_event(stored).personal
    assert personal == {"persons": [erased_person(HANAKO, {"d": {"kana": "s", "birth_date": "t"}}),
                                    erased_person(TARO, {"d": {"kana": "s"}})], "attendees": [ERASED],
                        "address": {"line": ERASED, "floor": None}, "note": ERASED}


def test_an_event_stored_in_clear_before_sealing_still_reads():
    stored = Mapper(transcoder()).to_stored_event(event_of(PERSONAL))
    assert SealingMapper(transcoder(), keys=MemoryKeyStore()).to_domain_event(stored).personal == PERSONAL


@pytest.mark.parametrize("personal", [None, {}])
def test_an_event_without_a_personal_part_is_stored_as_before(personal):
    domain_event = event_of(personal)
    assert SealingMapper(transcoder(), keys=MemoryKeyStore()).to_stored_event(domain_event).state == \
        Mapper(transcoder()).to_stored_event(domain_event).state


def test_a_box_moved_to_another_event_does_not_open():
    mapper = SealingMapper(transcoder(), keys=MemoryKeyStore())
    one, other = mapper.to_stored_event(event_of(PERSONAL)), mapper.to_stored_event(event_of(PERSONAL))
    moved = type(other)(originator_id=other.originator_id, originator_version=other.originator_version,
                        topic=other.topic, state=one.state)
    with pytest.raises(Exception, match="does not open"):
        mapper.to_domain_event(moved)


def test_the_ledgers_recorded_envelope_has_its_personal_part_sealed_too():
    mapper = SealingMapper(transcoder(), keys=MemoryKeyStore())
    envelope = {"type": "consultation.household_referred", "household_id": str(uuid4()),
                "payload": {"household_id": "h", "personal": PERSONAL}}
    stored = mapper.to_stored_event(LedgerRecord(envelope=envelope).collect_events()[0])
    assert "山田花子".encode() not in stored.state and b"\\u5c71" not in stored.state
    assert mapper.to_domain_event(stored).envelope == envelope


class Asking(MemoryKeyStore):
    def __init__(self):
        super().__init__()
        self.asked: list = []

    def key_for(self, subject_id, household_id=None):
        self.asked.append((subject_id, household_id))
        return super().key_for(subject_id, household_id)


@pytest.mark.parametrize("personal", [PERSONAL, {"persons": PERSONAL["persons"]}, {"note": "相談の要旨"},
                                      {"persons": [*PERSONAL["persons"], "見本 花"]}])
def test_the_keys_a_batch_prepares_are_exactly_those_sealing_asks_for(personal):
    keys = Asking()
    mapper = SealingMapper(transcoder(), keys=keys)
    domain_event = event_of(personal)
    mapper.to_stored_event(domain_event)
    assert mapper.sealer.subjects(personal, domain_event.household_id, str(domain_event.originator_id)) == keys.asked
