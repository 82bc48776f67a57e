"""One instance's PostgreSQL cut and refused for a while (データベース断): only databases of the
campaign's own prefix are ever touched, so other deployments on the cluster never notice."""
from __future__ import annotations

from psycopg.sql import SQL, Identifier

from kasane.config import DatabaseSettings
from kasane.store.provision import admin_connection


def _own(db: DatabaseSettings, name: str) -> None:
    if not db.prefix.startswith("kasane_faults_") or not name.startswith(db.prefix + "_"):
        raise ValueError(f"the campaign touches only its own databases (prefix kasane_faults_…), not {name}")


def refuse(db: DatabaseSettings, instance: str) -> int:
    """Refuse new connections, then end every open one; returns how many were ended."""
    name = db.database_for(instance)
    _own(db, name)
    with admin_connection(db) as conn:
        conn.autocommit = True
        conn.execute(SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(Identifier(name)))
        ended = conn.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchone()[0]
    return ended


def allow(db: DatabaseSettings, instance: str) -> None:
    name = db.database_for(instance)
    _own(db, name)
    with admin_connection(db) as conn:
        conn.autocommit = True
        conn.execute(SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(Identifier(name)))
