"""Create (and, for tests, remove) one instance's database, its three roles and its schema.

The owner role owns the schema but cannot log in (NOLOGIN): provisioning connects as the
administrator and `SET ROLE`s to it, so only the administrator may ever alter or unguard a
table. The service role, which the running service connects as, may only SELECT and INSERT
events and inbox entries and move its relay position forward (`kasane_move_relay`); the auditor
role may only SELECT. Beside it, the instance's key store (kasane.privacy.provision). So an UPDATE or DELETE of a stored event is refused twice: by missing
privileges and by a trigger that no role that logs in may disable.
"""
from __future__ import annotations

import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from kasane.config import DatabaseSettings, InstanceSettings
from kasane.errors import InfrastructureUnavailable
from kasane.privacy.provision import create_key_store, drop_key_store, key_store_exists
from kasane.store.recorder import CHAIN_TABLE, EVENTS_TABLE, INBOX_TABLE, RELAY_TABLE, KasaneRecorder


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
        for role, login in ((owner, "NOLOGIN"), (service, "LOGIN"), (auditor, "LOGIN")):
            verb = "ALTER" if _role_exists(conn, role) else "CREATE"  # ALTER: an older LOGIN owner
            conn.execute(sql.SQL(f"{verb} ROLE {{}} {login}").format(sql.Identifier(role)))
        if not _database_exists(conn, name):
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(owner)))
    create_schema(db, name, owner)
    _grant_service_role(db, name, service)
    _own_tables(db, name, owner, service, settings.service)
    _grant_auditor_role(db, name, auditor)
    _provide_key_store(settings)


def _provide_key_store(settings: InstanceSettings) -> None:
    """The key store is made with its event store; a store that already holds events and has no
    key store has lost it, and only `kasane keys record-loss` makes a new one (an instance
    refuses to start until then)."""
    if key_store_exists(settings) or not _holds_events(settings):
        create_key_store(settings)


def _holds_events(settings: InstanceSettings) -> bool:
    with admin_connection(settings.database, settings.database.database_for(settings.instance)) as conn:
        return conn.execute(f"SELECT 1 FROM {EVENTS_TABLE} LIMIT 1").fetchone() is not None


class _OwnerDatastore(PostgresDatastore):
    """The administrator's connection acting as the owner role (`SET ROLE` on connect), so that
    what the schema migration creates belongs to the owner, who cannot log in."""

    def __init__(self, *args, role: str, **kwargs):
        self._role_statement = sql.SQL("SET ROLE {}").format(sql.Identifier(role))
        super().__init__(*args, **kwargs)

    def after_connect_func(self):
        configure, statement = super().after_connect_func(), self._role_statement

        def after_connect(conn) -> None:
            configure(conn)
            conn.cursor().execute(statement)

        return after_connect


def create_schema(db: DatabaseSettings, name: str, owner: str) -> None:
    """Create or migrate the store's tables, functions and triggers (idempotent), as the owner."""
    datastore = _OwnerDatastore(name, db.host, db.port, db.admin_user, db.admin_password,
                                connect_timeout=db.connect_timeout, role=owner)
    try:
        KasaneRecorder(datastore).create_table()
    finally:
        datastore.close()


def _grant_service_role(db: DatabaseSettings, name: str, service: str) -> None:
    ident = sql.Identifier
    with admin_connection(db, name) as conn:
        statements: list[sql.SQL | sql.Composed] = [
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC"),
            # what an older provisioning granted (UPDATE on the relay) goes
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(ident(service)),
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(ident(name), ident(service)),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident(service)),
            sql.SQL("GRANT SELECT, INSERT ON {}, {} TO {}").format(
                ident(EVENTS_TABLE), ident(INBOX_TABLE), ident(service)),
            sql.SQL("GRANT SELECT ON {} TO {}").format(ident(CHAIN_TABLE), ident(service)),
            sql.SQL("GRANT SELECT ON {} TO {}").format(ident(RELAY_TABLE), ident(service)),
            sql.SQL("GRANT EXECUTE ON FUNCTION kasane_move_relay(text, bigint) TO {}").format(
                ident(service)),
            sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident(service)),
        ]
        for statement in statements:
            conn.execute(statement)


def _own_tables(db: DatabaseSettings, name: str, owner: str, service: str, service_name: str) -> None:
    """The service's own changeable tables (kasane.services.own_tables), made by the owner; the
    service role may change these rows, and only these."""
    from kasane.services import own_tables
    ddl, tables = own_tables(service_name)
    if not ddl:
        return
    ident = sql.Identifier
    with admin_connection(db, name) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(ident(owner)))
        for statement in ddl:
            conn.execute(statement)
        conn.execute(sql.SQL("RESET ROLE"))
        for table in tables:
            conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON {} TO {}").format(
                ident(table), ident(service)))


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
    drop_key_store(db, settings.instance)


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

