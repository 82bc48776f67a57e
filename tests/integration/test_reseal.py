"""移行 on real PostgreSQL: a store written before personal parts were sealed is moved into a
sealed store — same events, inbox and relay position, no name left in clear — and still verifies
through the signed bridge between its old and new chains; a store that does not verify is never
moved."""
import uuid
from dataclasses import replace

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.domain import Aggregate, event

from kasane.audit.checkpoint import checkpoint_once
from kasane.audit.signing import public_key_hex
from kasane.audit.verify import verify_instance
from kasane.privacy.keystore import KeyStoreLost
from kasane.privacy.provision import check_key_store, drop_key_store
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.inbox import InboxEntry
from kasane.store.trace import Trace
from kasane.transfer.reseal import ResealRefused, reseal_instance

from tests.bus_helpers import admin_sql

pytestmark = pytest.mark.integration

NAME = "市川 太郎"


class Intake(Aggregate):
    @event("Taken")
    def __init__(self, household_id: str, channel: str, personal: dict):
        self.household_id, self.channel, self.personal = household_id, channel, personal


@pytest.fixture
def plain_store(platform, unique):
    """A store of 30 intakes written with sealing off (as before this release), with an inbox
    entry, a relay position and a signed head."""
    deployed = platform.instance("consultation", f"reseal-{unique}")
    plain = replace(deployed.settings, sealing=False)
    app = KasaneApplication(env=postgres_env(plain))
    ids = []
    for n in range(30):
        intake = Intake(str(uuid.uuid4()), "来所", {"persons": [{"person_id": str(uuid.uuid4()), "name": f"{NAME}{n}"}],
                                                   "summary": f"相談の概要 {n}"})
        ids.append(intake.id)
        app.save_traced(intake, trace=Trace.for_command(),
                        inbox=[InboxEntry("desk-a", n + 1, uuid.uuid4(), "x.y")] if n == 0 else ())
    app.close()
    db = deployed.settings.database
    with psycopg.connect(host=db.host, port=db.port, dbname=db.database_for(deployed.settings.instance),
                         user=db.service_role_for(deployed.settings.instance), autocommit=True) as conn:
        conn.execute("SELECT kasane_move_relay('relay', 17)")
    key = Ed25519PrivateKey.generate()
    app = KasaneApplication(env=postgres_env(plain))
    checkpoint_once(app, key, deployed.settings.instance)
    app.close()
    return deployed, key, ids


def rows_naming(deployed, text: str) -> int:
    return admin_sql(deployed, "SELECT count(*) FROM kasane_events WHERE position(%s in state) > 0",
                     (text.encode(),))[0][0]


def test_a_plain_store_is_moved_into_a_sealed_one_that_still_verifies(plain_store):
    deployed, key, ids = plain_store
    assert rows_naming(deployed, NAME) == 30  # the names are in clear before
    moved = reseal_instance(deployed.settings, key)
    assert moved.plain_rows == 30 and moved.new_head.position == moved.old_head.position == 32
    assert rows_naming(deployed, NAME) == 0
    verdict = verify_instance(deployed.settings, public_key_hex(key))
    assert verdict.holds and verdict.checkpoints == 2, verdict.faults
    app = KasaneApplication(env=postgres_env(deployed.settings))
    assert app.repository.get(ids[7]).personal["persons"][0]["name"] == f"{NAME}7"
    app.close()
    assert admin_sql(deployed, "SELECT origin_instance, position FROM kasane_inbox") == [("desk-a", 1)]
    assert admin_sql(deployed, "SELECT relay, position FROM kasane_relay") == [("relay", 17)]


def test_a_store_from_before_sealing_without_a_key_store_gets_one_and_is_moved(plain_store):
    deployed, key, ids = plain_store
    drop_key_store(deployed.settings.database, deployed.settings.instance)  # as an older release left it
    with pytest.raises(KeyStoreLost, match="kasane keys reseal"):
        check_key_store(deployed.settings)
    moved = reseal_instance(deployed.settings, key)
    assert moved.plain_rows == 30 and rows_naming(deployed, NAME) == 0
    check_key_store(deployed.settings)  # the instance may start again
    assert verify_instance(deployed.settings, public_key_hex(key)).holds


def test_a_moved_store_whose_old_part_is_altered_does_not_verify(plain_store):
    deployed, key, _ = plain_store
    reseal_instance(deployed.settings, key)
    admin_sql(deployed, "SET session_replication_role = replica; UPDATE kasane_events SET state = "
                        "overlay(state placing '\\x58'::bytea from 3 for 1) WHERE notification_id = 4")
    kinds = {f.kind for f in verify_instance(deployed.settings, public_key_hex(key)).faults}
    assert "altered" in kinds


def test_a_store_that_does_not_verify_is_not_moved(plain_store):
    deployed, key, _ = plain_store
    admin_sql(deployed, "SET session_replication_role = replica; UPDATE kasane_events SET state = "
                        "overlay(state placing '\\x58'::bytea from 3 for 1) WHERE notification_id = 4")
    with pytest.raises(ResealRefused, match="does not verify"):
        reseal_instance(deployed.settings, key)
    assert rows_naming(deployed, NAME) == 30  # left as it was
