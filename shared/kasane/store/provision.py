"""Create (and, for tests, remove) one instance's database, its two roles and its schema.

The owner role creates the schema; the service role, which the running service connects as,
may only SELECT and INSERT events and inbox entries and move its relay position. So an UPDATE
or DELETE of a stored event is refused twice: by missing privileges and by a trigger.
"""
from __future__ import annotations

import psycopg
from psycopg import sql

from kasane.config import DatabaseSettings, InstanceSettings
from kasane.errors import InfrastructureUnavailable
from kasane.store.application import KasaneApplication, postgres_env
from kasane.store.recorder import CHAIN_TABLE, EVENTS_TABLE, INBOX_TABLE, RELAY_TABLE


def admin_connection(db: DatabaseSettings, dbname: str = "postgres") -> psycopg.Connection:
    try:
        return psycopg.connect(
            host=db.host, port=db.port, user=db.admin_user, password=db.admin_password or None,
            dbname=dbname, connect_timeout=db.connect_timeout, autocommit=True,
        )
    except psycopg.OperationalError as exc:
        raise InfrastructureUnavailable(
            f"PostgreSQL is not reachable at {db.host}:{db.port} as {db.admin_user}; start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
        ) from exc


def _role_exists(conn, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


def _database_exists(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def provision_instance(settings: InstanceSettings) -> None:
    """Idempotently create the database, roles, schema and grants for one instance."""
    db = settings.database
    name = db.database_for(settings.instance)
    owner, service = db.owner_role_for(settings.instance), db.service_role_for(settings.instance)
    auditor = db.auditor_role_for(settings.instance)
    with admin_connection(db) as conn:
        for role in (owner, service, auditor):
            if not _role_exists(conn, role):
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        if not _database_exists(conn, name):
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(owner)))
    _create_schema(settings, owner)
    _grant_service_role(db, name, service)
    _grant_auditor_role(db, name, auditor)


def _create_schema(settings: InstanceSettings, owner: str) -> None:
    env = postgres_env(settings, user=owner, create_table=True, pool_size=1)
    app = KasaneApplication(env=env)
    app.close()


def _grant_service_role(db: DatabaseSettings, name: str, service: str) -> None:
    ident = sql.Identifier
    with admin_connection(db, name) as conn:
        statements = [
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"),
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(ident(name), ident(service)),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident(service)),
            sql.SQL("GRANT SELECT, INSERT ON {}, {} TO {}").format(
                ident(EVENTS_TABLE), ident(INBOX_TABLE), ident(service)),
            sql.SQL("GRANT SELECT ON {} TO {}").format(ident(CHAIN_TABLE), ident(service)),
            sql.SQL("GRANT SELECT, INSERT, UPDATE ON {} TO {}").format(
                ident(RELAY_TABLE), ident(service)),
            sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident(service)),
        ]
        for statement in statements:
            conn.execute(statement)


def _grant_auditor_role(db: DatabaseSettings, name: str, auditor: str) -> None:
    ident = sql.Identifier
    with admin_connection(db, name) as conn:
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(ident(name), ident(auditor)))
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident(auditor)))
        conn.execute(sql.SQL("GRANT SELECT ON {}, {}, {} TO {}").format(
            ident(EVENTS_TABLE), ident(CHAIN_TABLE), ident(INBOX_TABLE), ident(auditor)))


def drop_instance(settings: InstanceSettings) -> None:
    """Remove an instance's database and roles (test clean-up; never used on real data)."""
    db = settings.database
    name = db.database_for(settings.instance)
    with admin_connection(db) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        for role in (db.service_role_for(settings.instance), db.owner_role_for(settings.instance),
                     db.auditor_role_for(settings.instance)):
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def drop_prefixed(db: DatabaseSettings) -> list[str]:
    """Remove every database and role under the settings' prefix (a test run's clean-up)."""
    like = db.prefix.replace("_", r"\_") + r"\_%"
    with admin_connection(db) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (like,))]
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        roles = [r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (like,))]
        for role in roles:
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    return names

