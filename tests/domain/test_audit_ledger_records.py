"""監査台帳 — the ledger's records, in memory: checkpoints are accepted only under the trusted key."""
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.signing import public_key_hex, sign_checkpoint

from audit.domain.records import InstanceRecord
from audit.history import replay

HEAD = "ab" * 32


def checkpoint(key, instance="desk-1", position=7, head=HEAD, signed_at="2026-11-23T00:00:00Z", signer=None):
    signer = signer or key
    return {"event_id": "e", "payload": {
        "instance": instance, "position": position, "head_hash": head, "signed_at": signed_at,
        "algorithm": "ed25519", "public_key": public_key_hex(key),
        "signature": sign_checkpoint(signer, instance, position, head, signed_at)}}


def test_the_first_checkpoint_pins_its_key_and_later_ones_must_match_it():
    record, key = InstanceRecord("desk-1", "consultation", "org"), Ed25519PrivateKey.generate()
    assert record.receive_checkpoint(checkpoint(key), registered_key=None)
    assert record.public_key == public_key_hex(key)
    other = Ed25519PrivateKey.generate()
    assert not record.receive_checkpoint(checkpoint(other, position=9), registered_key=None)
    assert [c["accepted"] for c in record.checkpoints] == [True, False]


def test_a_registered_key_outranks_whatever_key_a_checkpoint_carries():
    registered, forger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    record = InstanceRecord("desk-1", "consultation", "org")
    assert not record.receive_checkpoint(checkpoint(forger), registered_key=public_key_hex(registered))
    assert record.receive_checkpoint(checkpoint(registered), registered_key=public_key_hex(registered))


def test_a_checkpoint_whose_content_was_changed_after_signing_is_rejected():
    record, key = InstanceRecord("desk-1", "consultation", "org"), Ed25519PrivateKey.generate()
    forged = checkpoint(key)
    forged["payload"]["head_hash"] = "cd" * 32
    assert not record.receive_checkpoint(forged, registered_key=public_key_hex(key))
    assert record.checkpoints[-1]["reason"] == "not signed by the instance's trusted key"


def test_a_checkpoint_for_another_instance_is_rejected():
    record, key = InstanceRecord("desk-1", "consultation", "org"), Ed25519PrivateKey.generate()
    assert not record.receive_checkpoint(checkpoint(key, instance="desk-2"), registered_key=public_key_hex(key))


def test_replay_orders_events_by_time_and_ignores_what_came_after_as_of():
    from datetime import datetime, timezone

    def env(t, typ, position, payload):
        return {"event_id": f"e{position}", "type": typ, "version": 1, "occurred_at": t, "household_id": "h",
                "origin": {"service": "consultation", "organisation": "o", "instance": "d"},
                "position": position, "payload": payload}
    entries = [
        env("2026-11-02T00:00:00Z", "consultation.consent_withdrawn", 2, {"consent_id": "c1"}),
        env("2026-11-01T00:00:00Z", "consultation.consent_recorded", 1, {"consent_id": "c1", "person_id": "p"}),
    ]
    before = replay("h", entries, datetime(2026, 11, 1, 12, tzinfo=timezone.utc))
    after = replay("h", entries)
    assert before["state"]["consent"]["c1"]["status"] == "同意あり"
    assert after["state"]["consent"]["c1"]["status"] == "撤回"
    assert [e["position"] for e in after["events"]] == [1, 2]
