"""A bare event store for the tests of the kernel's store itself (append-only, hash chain,
signed checkpoints, the archive's copy): an instance's KasaneApplication and a plain aggregate
to fill it with."""
from __future__ import annotations

from contextlib import contextmanager

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.domain import Aggregate, event

from kasane.audit.checkpoint import checkpoint_once
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.recorder import WRITER_LOCK_KEY
from kasane.store.trace import Trace


class Note(Aggregate):
    """A plain aggregate: one line of text, nothing personal."""

    @event("Written")
    def __init__(self, text: str):
        self.text = text


class Tally(Aggregate):
    """A counter: two stale copies of it conflict when both are saved."""

    @event("Opened")
    def __init__(self):
        self.count = 0

    @event("Counted")
    def add(self, n: int) -> None:
        self.count += n


def two_copies_of_a_tally(app) -> tuple:
    """A stored Tally read twice: once both copies have changed, saving the second after the
    first is a write conflict."""
    tally = Tally()
    app.save_traced(tally, trace=Trace.for_command())
    return app.repository.get(tally.id), app.repository.get(tally.id)


@contextmanager
def writers_lock_held(deployed):
    """Another writer of the instance's store: a transaction of its own holding the writers'
    lock for the block, then rolled back."""
    db = deployed.settings.database
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user,
                         dbname=db.database_for(deployed.settings.instance)) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK_KEY,))
        yield
        conn.rollback()


def open_store(platform, service: str, name: str):
    """A provisioned instance of `service` and an application on its store: (deployed, app)."""
    deployed = platform.instance(service, name)
    return deployed, KasaneApplication(env=postgres_env(deployed.settings))


def store_fixture(prefix: str):
    """A `store` fixture: (deployed, app) on a collaboration instance of its own, closed after."""
    @pytest.fixture
    def store(platform, unique):
        deployed, app = open_store(platform, "collaboration", f"{prefix}-{unique}")
        yield deployed, app
        app.close()
    return store


def signed_store(platform, service: str, name: str, notes: int):
    """An instance with `notes` stored events and a signed checkpoint over them:
    (deployed, app, the signing key); the caller closes the app."""
    deployed, app = open_store(platform, service, name)
    key = Ed25519PrivateKey.generate()
    for n in range(notes):
        app.save_traced(Note(f"記録{n}"), trace=Trace.for_command())
    checkpoint_once(app, key, deployed.settings.instance)
    return deployed, app, key
