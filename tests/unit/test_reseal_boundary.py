"""The reseal record's checks (kasane.audit.reseals), without a database: a record signed by the
instance's key and naming the recomputed new head sets the boundary; any other is a fault."""
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.reseals import Boundary, reseal_boundary
from kasane.audit.signing import public_key_hex, reseal_message

KEY = Ed25519PrivateKey.generate()
OLD, NEW = "aa" * 32, "bb" * 32


def record(key=KEY, new=NEW, up_to=40) -> dict:
    signed_at = "2027-04-01T00:00:00Z"
    return {"up_to": up_to, "old_head_hash": OLD, "new_head_hash": new, "signed_at": signed_at,
            "public_key": public_key_hex(key), "stored_at": up_to + 1,
            "signature": key.sign(reseal_message("desk", up_to, OLD, new, signed_at)).hex()}


def check(one: dict):
    return reseal_boundary("desk", [one], {40: bytes.fromhex(NEW)}, lambda position: public_key_hex(KEY))


def test_a_record_signed_by_the_instance_over_the_new_head_sets_the_boundary():
    boundary, faults = check(record())
    assert faults == [] and boundary == Boundary(40, OLD)
    assert boundary.attests_old_chain(12) and not boundary.attests_old_chain(41)
    assert boundary.old_head_holds(40, OLD) and not boundary.old_head_holds(40, NEW)


def test_a_record_signed_by_another_key_is_a_fault_and_sets_no_boundary():
    boundary, faults = check(record(key=Ed25519PrivateKey.generate()))
    assert [f.kind for f in faults] == ["signature_invalid"] and boundary == Boundary()


def test_a_record_naming_another_new_head_is_a_fault():
    boundary, faults = check(record(new="cc" * 32))
    assert [f.kind for f in faults] == ["checkpoint_mismatch"] and boundary == Boundary()
