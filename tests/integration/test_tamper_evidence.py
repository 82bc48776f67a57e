"""改ざん検知 on real PostgreSQL: a superuser's changes to a store are detected and located.

Each tamper disables triggers (session_replication_role = replica), as a superuser covering
their tracks would; the hash chain, recomputed by the auditors' verify, still tells.
"""
import uuid
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.checkpoint import CheckpointLog
from kasane.audit.signing import public_key_hex, sign_checkpoint
from kasane.audit.verify import verify_instance
from kasane.store.trace import Trace

from tests.bus_helpers import admin_sql
from tests.store_helpers import Note, signed_store

pytestmark = pytest.mark.integration


@pytest.fixture
def store(platform, unique):
    """An instance with ten stored events and a signed checkpoint over them."""
    deployed, app, key = signed_store(platform, "collaboration", f"tamper-{unique}", notes=10)
    yield deployed, app, key
    app.close()


def tamper(deployed, *statements):
    admin_sql(deployed, "; ".join(["SET session_replication_role = replica", *statements]))


def verdict(store):
    deployed, _, key = store
    return verify_instance(deployed.settings, public_key_hex(key))


def faults_of(store):
    return [(f.position, f.kind) for f in verdict(store).faults]


def test_an_untouched_store_verifies(store):
    result = verdict(store)
    assert result.holds and result.events == 12 and result.checkpoints == 1  # 10 + the checkpoint log's 2


def test_one_changed_byte_is_found_and_located(store):
    tamper(store[0], "UPDATE kasane_events SET state = overlay(state placing '\\x58'::bytea from 5 for 1) "
                     "WHERE notification_id = 4")
    assert faults_of(store) == [(4, "altered")]


def test_a_deleted_event_is_found_and_located(store):
    tamper(store[0], "DELETE FROM kasane_events WHERE notification_id = 5")
    assert faults_of(store) == [(5, "removed")]


def test_two_swapped_events_are_found_as_reordered(store):
    tamper(store[0], "UPDATE kasane_events SET notification_id = -3 WHERE notification_id = 3",
           "UPDATE kasane_events SET notification_id = 3 WHERE notification_id = 6",
           "UPDATE kasane_events SET notification_id = 6 WHERE notification_id = -3")
    assert faults_of(store) == [(3, "reordered"), (6, "reordered")]


def test_an_inserted_event_is_found_and_located(store):
    tamper(store[0], "INSERT INTO kasane_events (originator_id, originator_version, topic, state, "
                     f"notification_id) VALUES ('{uuid.uuid4()}', 1, 'forged:Record.Written', "
                     "'\\x7b7d'::bytea, 7000)")
    assert faults_of(store) == [(7000, "inserted")]


def test_a_rewritten_history_with_a_recomputed_chain_contradicts_the_signed_checkpoint(store):
    deployed = store[0]
    tamper(deployed, "UPDATE kasane_events SET state = overlay(state placing '\\x58'::bytea from 5 for 1) "
                     "WHERE notification_id = 2")
    # The tamperer recomputes every link from position 2 on, so the chain itself is consistent.
    admin_sql(deployed, """
        DO $$ DECLARE r record; prev bytea; BEGIN
          SET LOCAL session_replication_role = replica;
          FOR r IN SELECT e.*, c.prev_hash FROM kasane_events e JOIN kasane_chain c USING (notification_id)
                   WHERE notification_id >= 2 ORDER BY notification_id LOOP
            SELECT hash INTO prev FROM kasane_chain WHERE notification_id = r.notification_id - 1;
            UPDATE kasane_chain SET prev_hash = prev, hash = sha256(prev || int8send(r.notification_id)
              || uuid_send(r.originator_id) || int8send(r.originator_version)
              || int4send(octet_length(convert_to(r.topic, 'UTF8'))) || convert_to(r.topic, 'UTF8') || r.state)
            WHERE notification_id = r.notification_id;
          END LOOP; END $$""")
    assert faults_of(store) == [(10, "checkpoint_mismatch")]


def test_a_forged_checkpoint_is_rejected(store):
    deployed, app, _ = store
    forger = Ed25519PrivateKey.generate()
    log = app.repository.get(CheckpointLog.create_id(deployed.settings.instance))
    head = "00" * 32
    log.record(instance=deployed.settings.instance, position=11, head_hash=head, signed_at="2026-11-23T00:00:00Z",
               algorithm="ed25519", public_key=public_key_hex(forger),
               signature=sign_checkpoint(forger, deployed.settings.instance, 11, head, "2026-11-23T00:00:00Z"))
    app.save_traced(log, trace=Trace.for_command())
    assert faults_of(store) == [(11, "signature_invalid")]


def test_events_long_left_unsigned_are_reported_as_a_missing_checkpoint(store):
    deployed, app, key = store
    app.save_traced(Note("後から"), trace=Trace.for_command())
    app.save_traced(Note("署名なし"), trace=Trace.for_command())
    result = verify_instance(deployed.settings, public_key_hex(key), checkpoint_grace=timedelta(0))
    assert [(f.position, f.kind) for f in result.faults] == [(11, "checkpoint_missing")]
    assert verify_instance(deployed.settings, public_key_hex(key)).holds  # still within the grace
