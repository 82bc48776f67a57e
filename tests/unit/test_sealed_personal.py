"""封緘 — the personal part sealed for its readers (kasane.bus.sealed), without broker or database."""
import base64
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kasane.bus.authenticity import RECEIVING_SUFFIX, RegisteredKeys
from kasane.bus.pass_keys import SUITE, PassKeys
from kasane.bus.sealed import (ALGORITHM_V1, PERSONAL_IN_CLEAR, SEAL_INVALID, Opener, SealRefused,
                               Sealer, context_of, ensure_receiving_key, load_receiving_key, seal)

PERSONAL = {"persons": [{"person_id": "p-1", "name": "見本 ハナ", "kana": "ミホン ハナ",
                         "birth_date": "1950-04-01", "address": "伊勢市 見本町1-2"}]}
KEYS = {name: X25519PrivateKey.generate() for name in ("takikan", "ledger", "outreach")}


def envelope(recipient: str | None = "takikan", personal=PERSONAL) -> dict:
    env = {"event_id": "6d1f9b8e-0000-5000-8000-000000000001", "type": "consultation.household_referred",
           "version": 1, "origin": {"service": "consultation", "organisation": "org-desk", "instance": "desk-1"},
           "position": 1, "payload": {"referral_id": "r-1", "personal": personal}}
    if recipient:
        env["recipient"] = {"instance": recipient}
    return env


def public_hex(name: str) -> str:
    return KEYS[name].public_key().public_bytes_raw().hex()


def sealed(env: dict | None = None, ledger: str | None = "ledger") -> dict:
    known = {"takikan": public_hex("takikan"), "ledger": public_hex("ledger"), "outreach": public_hex("outreach")}
    return Sealer(public_key=known.get, ledger=ledger)(env or envelope())


def opener(name: str) -> Opener:
    return Opener(name, KEYS[name])


def test_the_sealed_form_shows_no_personal_value_and_names_its_readers():
    wire = json.dumps(sealed(), ensure_ascii=False)
    for value in ("見本", "ミホン", "1950-04-01", "伊勢市", "p-1"):
        assert value not in wire
    assert set(sealed()["payload"]["personal"]["sealed"]["keys"]) == {"takikan", "ledger"}


def test_the_recipient_and_the_ledger_open_the_personal_part_and_keep_the_rest():
    for reader in ("takikan", "ledger"):
        clear = opener(reader)(sealed())
        assert clear["payload"] == {"referral_id": "r-1", "personal": PERSONAL}


def test_an_instance_that_is_no_reader_sees_no_personal_part_at_all():
    assert opener("outreach")(sealed())["payload"] == {"referral_id": "r-1"}


def test_a_tampered_ciphertext_is_refused_naming_no_personal_value():
    wire = sealed()
    body = wire["payload"]["personal"]["sealed"]
    data = bytearray(base64.b64decode(body["ciphertext"]))
    data[0] ^= 1
    body["ciphertext"] = base64.b64encode(bytes(data)).decode()
    with pytest.raises(SealRefused) as refused:
        opener("takikan")(wire)
    assert refused.value.reason == SEAL_INVALID and "見本" not in str(refused.value)


def test_a_part_moved_onto_another_event_does_not_open():
    other = {**envelope(), "event_id": "6d1f9b8e-0000-5000-8000-000000000002"}
    moved = {**other, "payload": sealed()["payload"]}
    with pytest.raises(SealRefused):
        opener("takikan")(moved)


def test_a_key_wrapped_for_another_instance_under_the_recipients_name_is_refused():
    wire = sealed()
    keys = wire["payload"]["personal"]["sealed"]["keys"]
    keys["takikan"] = keys["ledger"]
    with pytest.raises(SealRefused):
        opener("takikan")(wire)


def test_a_recipient_the_part_was_not_sealed_for_refuses_it():
    for_outreach = sealed(envelope(recipient="outreach"), ledger=None)
    readdressed = {**for_outreach, "recipient": {"instance": "takikan"}}
    with pytest.raises(SealRefused):
        opener("takikan")(readdressed)


def test_a_personal_part_in_clear_is_refused_while_sealing_is_on():
    with pytest.raises(SealRefused) as refused:
        opener("takikan")(envelope())
    assert refused.value.reason == PERSONAL_IN_CLEAR
    assert Opener("takikan", KEYS["takikan"], sealing=False)(envelope()) == envelope()


def test_a_reader_without_a_registered_key_is_not_given_the_details_and_the_relay_goes_on(caplog):
    without_ledger = Sealer(public_key={"takikan": public_hex("takikan")}.get, ledger="ledger")
    wire = without_ledger(envelope())
    assert set(wire["payload"]["personal"]["sealed"]["keys"]) == {"takikan"} and without_ledger.withheld == 1
    assert "ledger" in caplog.text and "見本" not in caplog.text
    without_recipient = Sealer(public_key={"ledger": public_hex("ledger")}.get, ledger="ledger")
    assert without_recipient(envelope())["payload"] == {"referral_id": "r-1"}  # disclosed to nobody


def test_an_event_without_personal_part_passes_unchanged():
    bare = envelope(personal=None)
    bare["payload"].pop("personal")
    assert sealed(bare) == bare and opener("outreach")(bare) == bare


def test_a_receiving_key_is_kept_once_and_its_public_half_registered_beside_it(tmp_path):
    path = tmp_path / "keys" / f"takikan{RECEIVING_SUFFIX.replace('.pub', '.key')}"
    public = ensure_receiving_key(path)
    assert ensure_receiving_key(path) == public and oct(path.stat().st_mode)[-3:] == "600"
    assert RegisteredKeys(tmp_path / "keys", RECEIVING_SUFFIX)("takikan") == public
    assert load_receiving_key(path).public_key().public_bytes_raw().hex() == public


def test_processes_making_the_same_receiving_key_at_once_all_end_with_the_one_kept(tmp_path):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    path = tmp_path / "keys" / "takikan.x25519.key"
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        publics = set(pool.map(ensure_receiving_key, [path] * 4))
    assert len(publics) == 1 and sorted(p.name for p in path.parent.iterdir()) == [
        "takikan.x25519.key", "takikan.x25519.pub"]


def test_many_events_share_one_hpke_wrapped_pass_key_per_reader_yet_each_opens_alone():
    sealer = Sealer(public_key={"takikan": public_hex("takikan"), "ledger": public_hex("ledger")}.get, ledger="ledger")
    wires = [sealer({**envelope(), "event_id": f"6d1f9b8e-0000-5000-8000-00000000010{n}"}) for n in range(5)]
    passes = {w["payload"]["personal"]["sealed"]["keys"]["takikan"]["pass"] for w in wires}
    assert len(passes) == 1  # HPKE once, not once per event
    for wire in reversed(wires):  # each with a reader that has seen no other, in any order
        assert opener("takikan")(wire)["payload"]["personal"] == PERSONAL


def test_a_pass_key_is_replaced_after_its_uses_and_both_still_open():
    passes = PassKeys(max_uses=2)
    readers = {"takikan": KEYS["takikan"].public_key()}
    parts = [seal(PERSONAL, envelope(), readers, passes) for _ in range(3)]
    assert len({p["sealed"]["keys"]["takikan"]["pass"] for p in parts}) == 2
    reader = opener("takikan")
    assert all(reader({**envelope(), "payload": {"personal": p}})["payload"]["personal"] == PERSONAL for p in parts)


def test_a_tampered_pass_key_is_refused():
    wire = sealed()
    entry = wire["payload"]["personal"]["sealed"]["keys"]["takikan"]
    data = bytearray(base64.b64decode(entry["pass"]))
    data[-1] ^= 1
    entry["pass"] = base64.b64encode(bytes(data)).decode()
    with pytest.raises(SealRefused):
        opener("takikan")(wire)


def test_a_part_sealed_before_pass_keys_still_opens():
    """Such messages may wait in a queue or a dead-letter queue across the upgrade."""
    context, content_key, nonce = context_of(envelope()), AESGCM.generate_key(256), os.urandom(12)
    wrapped = SUITE.encrypt(content_key, KEYS["takikan"].public_key(), info=context + b"\ntakikan")
    body = {"alg": ALGORITHM_V1, "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(AESGCM(content_key).encrypt(
                nonce, json.dumps(PERSONAL).encode(), context)).decode(),
            "keys": {"takikan": base64.b64encode(wrapped).decode()}}
    assert opener("takikan")(envelope(personal={"sealed": body}))["payload"]["personal"] == PERSONAL
