"""One instance's PostgreSQL cut and refused for a while (データベース断): only databases of the
campaign's own prefix are ever touched, so other deployments on the cluster never notice."""
from __future__ import annotations

from psycopg.sql import SQL, Identifier

from kasane.config import DatabaseSettings
from kasane.store.provision import admin_connection


def refuse(db: DatabaseSettings, instance: str) -> int:
    """Refuse new connections, then end every open one; returns how many were ended."""
    with _allowing(db, instance, False) as (conn, name):
        return conn.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchone()[0]


def allow(db: DatabaseSettings, instance: str) -> None:
    with _allowing(db, instance, True):
        pass


class _allowing:
    """ALTER DATABASE … ALLOW_CONNECTIONS on one of the campaign's own databases, and nothing else."""

    def __init__(self, db: DatabaseSettings, instance: str, allowed: bool):
        self.db, self.name, self.allowed = db, db.database_for(instance), allowed
        if not db.prefix.startswith("kasane_faults_") or not self.name.startswith(db.prefix + "_"):
            raise ValueError(f"the campaign touches only its own databases (prefix kasane_faults_…), not {self.name}")

    def __enter__(self):
        self.conn = admin_connection(self.db)
        self.conn.execute(SQL("ALTER DATABASE {} ALLOW_CONNECTIONS " + ("true" if self.allowed else "false"))
                          .format(Identifier(self.name)))
        return self.conn, self.name

    def __exit__(self, *exc) -> None:
        self.conn.close()
