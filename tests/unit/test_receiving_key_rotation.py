"""受信鍵の更新 — a receiving key rotated, the previous one kept, then retired (kasane.bus.
receiving_keys), and the relay's Sealer taking keys from the directory's registry first; on files
in a temporary folder, without broker or database (the real broker's test is
tests/integration/test_receiving_key_rotation.py)."""
import pytest
from eventsourcing.utils import get_topic

from kasane.bus.receiving_keys import (ReceivingKeys, RotationRefused, ensure_receiving_key, load_receiving_key,
                                       previous_key_file, retire_previous_key, rotate_receiving_key)
from kasane.bus.sealed import SEAL_INVALID, Opener, Sealer, SealRefused
from kasane.directory_copy.instances import REGISTRY_TOPIC, InstanceRegistryCopy
from kasane.runtime.dependency import registry_first

PERSONAL = {"persons": [{"person_id": "p-1", "name": "更新 ハナ"}]}


def envelope(position: int) -> dict:
    return {"event_id": f"6d1f9b8e-0000-5000-8000-00000000000{position}", "type": "consultation.household_referred",
            "version": 1, "origin": {"service": "consultation", "organisation": "org-desk", "instance": "desk-1"},
            "position": position, "recipient": {"instance": "takikan"},
            "payload": {"referral_id": "r-1", "personal": PERSONAL}}


def sealed_to(public: str, position: int) -> dict:
    return Sealer(public_key={"takikan": public}.get)(envelope(position))


def test_after_a_rotation_a_part_sealed_before_and_one_sealed_after_both_open(tmp_path):
    path = tmp_path / "takikan.x25519.key"
    before = sealed_to(ensure_receiving_key(path), 1)
    reader = Opener("takikan", ReceivingKeys(path))
    assert reader(before)["payload"]["personal"] == PERSONAL  # read once: the keys are cached
    new_public = rotate_receiving_key(path)
    after = sealed_to(new_public, 2)
    assert (path.with_suffix(".pub")).read_text() == new_public
    assert reader(before)["payload"]["personal"] == reader(after)["payload"]["personal"] == PERSONAL
    assert oct(previous_key_file(path).stat().st_mode)[-3:] == "600"


def test_a_part_sealed_to_a_retired_key_is_refused_as_seal_invalid(tmp_path):
    path = tmp_path / "takikan.x25519.key"
    before = sealed_to(ensure_receiving_key(path), 1)
    rotate_receiving_key(path)
    reader = Opener("takikan", ReceivingKeys(path))
    assert reader(before)["payload"]["personal"] == PERSONAL
    assert retire_previous_key(path) is not None
    with pytest.raises(SealRefused) as refused:
        reader(before)
    assert refused.value.reason == SEAL_INVALID and "更新" not in str(refused.value)
    assert retire_previous_key(path) is None  # nothing left to retire


def test_a_second_rotation_waits_until_the_previous_key_is_retired(tmp_path):
    path = tmp_path / "takikan.x25519.key"
    first = ensure_receiving_key(path)
    rotate_receiving_key(path)
    with pytest.raises(RotationRefused, match="retire it first"):
        rotate_receiving_key(path)
    previous = load_receiving_key(previous_key_file(path))
    assert previous.public_key().public_bytes_raw().hex() == first  # the refusal changed nothing
    retire_previous_key(path)
    assert rotate_receiving_key(path) != first


def test_the_sealer_takes_the_registry_s_key_first_and_the_file_only_where_the_registry_has_none():
    registry = {"takikan": "aa" * 32}
    files = {"takikan": "bb" * 32, "ledger": "cc" * 32}
    lookup = registry_first(registry.get, files.get)
    assert (lookup("takikan"), lookup("ledger"), lookup("nobody")) == ("aa" * 32, "cc" * 32, None)


def test_the_sealer_rereads_the_registry_only_when_the_relay_passes_a_change_of_the_copy(tmp_path):
    keys, reads = {}, []
    sealer = Sealer(public_key=lambda i: keys.get(i), refresh=lambda: reads.append(1), refresh_on=REGISTRY_TOPIC)
    keys["takikan"] = ensure_receiving_key(tmp_path / "old.key")
    sealer(envelope(1))
    sealer.saw("consultation.domain.household:Household.Registered")
    sealer(envelope(2))
    assert len(reads) == 1  # read once, at first use
    keys["takikan"] = ensure_receiving_key(tmp_path / "new.key")
    sealer.saw(get_topic(InstanceRegistryCopy.Taken))
    wire = sealer(envelope(3))
    assert len(reads) == 2
    assert Opener("takikan", load_receiving_key(tmp_path / "new.key"))(wire)["payload"]["personal"] == PERSONAL
