"""`make bench`: a contractor's exit (返還) of an instance with 1,000,000 stored events.

Measured in the same run on the same store: the copy into the city's archive (binary COPY in
committed batches; the archive's trigger re-chains every row), the proof (the archive's chain and
signed checkpoints verified), and a plain `pg_dump -Fc` of the same database as the baseline.
KASANE_BENCH_EXIT_EVENTS sets the size (default 1,000,000).
"""
from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kasane.audit.checkpoint import checkpoint_once
from kasane.audit.signing import public_key_hex
from kasane.config import BrokerSettings, DatabaseSettings, InstanceSettings
from kasane.transfer.archive_copy import copy_history
from kasane.transfer.exit import prove_copy
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.provision import admin_connection, drop_prefixed, provision_instance

EVENTS = int(os.environ.get("KASANE_BENCH_EXIT_EVENTS", 1_000_000))
FILL_BATCH = 100_000


def say(line: str) -> None:
    print(line, flush=True)


def filled_store(database: DatabaseSettings) -> tuple[InstanceSettings, Ed25519PrivateKey]:
    """A store of EVENTS events of about 220 bytes each, chained by its trigger, head signed."""
    store = InstanceSettings(service="outreach", instance="bench-exit", organisation="bench",
                             database=database, broker=BrokerSettings())
    provision_instance(store)
    with admin_connection(database, database.database_for(store.instance)) as conn:
        conn.execute(f"SET ROLE {database.owner_role_for(store.instance)}")
        for start in range(0, EVENTS, FILL_BATCH):
            conn.execute(
                "INSERT INTO kasane_events (originator_id, originator_version, topic, state) "
                "SELECT gen_random_uuid(), 1, 'bench:Visit.Recorded', "
                "decode(repeat(md5(n::text), 7), 'hex') FROM generate_series(%s, %s) n",
                (start + 1, min(EVENTS, start + FILL_BATCH)))
            say(f"    stored {min(EVENTS, start + FILL_BATCH):,}/{EVENTS:,}")
    key = Ed25519PrivateKey.generate()
    app = KasaneApplication(env=postgres_env(store))
    checkpoint_once(app, key, store.instance)
    app.close()
    return store, key


def pg_dump_seconds(database: DatabaseSettings, name: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(["pg_dump", "-h", database.host, "-p", str(database.port), "-U", database.admin_user,
                        "-Fc", "-f", str(Path(folder) / "dump"), name], check=True)
        return time.perf_counter() - started


def main() -> None:
    database = DatabaseSettings.from_env({"KASANE_DB_PREFIX": f"kbexit{secrets.token_hex(3)}"})
    try:
        say(f"返還 (offboarding) of one instance with {EVENTS:,} events")
        store, key = filled_store(database)
        dump = pg_dump_seconds(database, database.database_for(store.instance))
        started = time.perf_counter()
        heads = copy_history(store)
        copied = time.perf_counter() - started
        started = time.perf_counter()
        checkpoints = prove_copy(store, heads, public_key_hex(key))
        proven = time.perf_counter() - started
        assert heads[1].events == EVENTS + 2 and checkpoints == 1
        say(f"  pg_dump -Fc of the store (baseline): {dump:.1f} s")
        say(f"  copy into the archive: {copied:.1f} s ({heads[1].events / copied:,.0f} events/s) — "
            f"{copied / dump:.2f} × pg_dump")
        say(f"  proof (archive's chain and signatures verified): {proven:.1f} s")
        say(f"  exit of the instance, copy and proof: {(copied + proven) / 60:.1f} min — "
            f"{(copied + proven) / dump:.2f} × pg_dump")
    finally:
        drop_prefixed(database)  # the archive's prefix starts with the store's: both go


if __name__ == "__main__":
    main()
