"""返還 on real PostgreSQL: an instance's history copied whole into the city's archive, proven by
the same chain head and by its signed checkpoints, and refused as unproven when it differs."""
import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.signing import public_key_hex
from kasane.transfer import archive_copy
from kasane.transfer.archive_copy import archive_settings, copy_history
from kasane.transfer.exit import CopyNotProven, close_to_writers, offboard_instance, prove_copy

from tests.bus_helpers import admin_sql
from tests.store_helpers import signed_store

pytestmark = pytest.mark.integration


@pytest.fixture
def contractor(platform, unique):
    """A contractor's instance with 25 stored events and a signed head."""
    deployed, app, key = signed_store(platform, "outreach", f"exit-{unique}", notes=25)
    app.close()
    return deployed, key


def no_keys(source, archive):
    return 0, 0


def test_the_archive_holds_the_same_chain_and_the_signatures_hold_there(contractor, monkeypatch):
    deployed, key = contractor
    monkeypatch.setattr(archive_copy, "BATCH", 7)  # several batches, each committed
    seen = []
    source_head, archive_head = copy_history(deployed.settings, lambda done, total: seen.append((done, total)))
    assert source_head == archive_head and archive_head.events == 27
    assert seen[-1] == (27, 27) and len(seen) == 4
    assert prove_copy(deployed.settings, (source_head, archive_head), public_key_hex(key)) == 1


def test_a_second_copy_adds_nothing_and_an_interrupted_one_resumes(contractor):
    deployed, _ = contractor
    first = copy_history(deployed.settings)
    archive = archive_settings(deployed.settings)
    admin_sql(deployed, "SET session_replication_role = replica; DELETE FROM kasane_chain "
                        "WHERE notification_id > 20; DELETE FROM kasane_events WHERE notification_id > 20",
              dbname=archive.database.database_for(deployed.settings.instance))
    assert copy_history(deployed.settings) == first  # the last seven copied again, chained alike


def test_a_copy_that_differs_is_not_proven(contractor):
    deployed, key = contractor
    heads = copy_history(deployed.settings)
    archive = archive_settings(deployed.settings).database.database_for(deployed.settings.instance)
    admin_sql(deployed, "SET session_replication_role = replica; UPDATE kasane_events SET state = "
                        "overlay(state placing '\\x58'::bytea from 3 for 1) WHERE notification_id = 9",
              dbname=archive)
    with pytest.raises(CopyNotProven, match="does not verify"):
        prove_copy(deployed.settings, heads, public_key_hex(key))


def test_a_copy_signed_by_another_key_is_not_proven(contractor):
    deployed, _ = contractor
    heads = copy_history(deployed.settings)
    with pytest.raises(CopyNotProven):
        prove_copy(deployed.settings, heads, public_key_hex(Ed25519PrivateKey.generate()))


def test_after_closing_the_contractor_s_service_role_cannot_log_in(contractor):
    deployed, _ = contractor
    close_to_writers(deployed.settings)
    db = deployed.settings.database
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(host=db.host, port=db.port, dbname=db.database_for(deployed.settings.instance),
                        user=db.service_role_for(deployed.settings.instance))


def test_an_unproven_copy_moves_and_destroys_no_key(contractor):
    deployed, _ = contractor
    moved = []
    with pytest.raises(CopyNotProven):
        offboard_instance(deployed.settings, public_key_hex(Ed25519PrivateKey.generate()),
                          lambda source, archive: moved.append(source) or (0, 0))
    assert moved == []
