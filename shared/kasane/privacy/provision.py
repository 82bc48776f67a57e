"""The key store's database and role (鍵保管庫の用意): made beside an instance's event store by
`kasane.store.provision`, reached only by its own role — CONNECT is revoked from PUBLIC, so the
event store's service and auditor roles are refused by PostgreSQL itself.
"""
from __future__ import annotations

import os
from typing import Mapping

import psycopg
from psycopg import sql

from kasane.config import DatabaseSettings, InstanceSettings, master_key_file
from kasane.privacy.keystore import KEYS_DDL, KeyStoreLost, PostgresKeyStore
from kasane.privacy.master import ensure_master_key_file, load_master_key


def key_store_conninfo(settings: InstanceSettings) -> dict:
    db, instance = settings.database, settings.instance
    return {"host": db.host, "port": db.port, "dbname": db.keys_database_for(instance),
            "user": db.keys_role_for(instance), "connect_timeout": db.connect_timeout}


def key_store_exists(settings: InstanceSettings) -> bool:
    from kasane.store.provision import admin_connection

    with admin_connection(settings.database) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (settings.database.keys_database_for(settings.instance),)).fetchone() is not None


def create_key_store(settings: InstanceSettings, env: Mapping[str, str] = os.environ) -> None:
    """Idempotently make the key store, its role, its table, and the instance's master key file."""
    from kasane.store.provision import admin_connection

    db, instance = settings.database, settings.instance
    name, role = db.keys_database_for(instance), db.keys_role_for(instance)
    with admin_connection(db) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(role)))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(name)))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(name), sql.Identifier(role)))
    with psycopg.connect(**key_store_conninfo(settings), autocommit=True) as conn:
        for statement in KEYS_DDL:
            conn.execute(statement)
    if not env.get("KASANE_MASTER_KEY"):
        ensure_master_key_file(master_key_file(instance, env))


def drop_key_store(db: DatabaseSettings, instance: str) -> None:
    from kasane.store.provision import admin_connection

    with admin_connection(db) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(db.keys_database_for(instance))))
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(db.keys_role_for(instance))))


def open_key_store(settings: InstanceSettings, env: Mapping[str, str] = os.environ) -> PostgresKeyStore:
    return PostgresKeyStore(key_store_conninfo(settings), load_master_key(settings.instance, env),
                            cache_seconds=settings.key_cache_seconds)


def check_key_store(settings: InstanceSettings) -> None:
    """Refuse to run without the key store (a deleted database), in one sentence with the fix."""
    if settings.sealing and not key_store_exists(settings):
        raise KeyStoreLost(
            f"{settings.instance}: its key store (database "
            f"{settings.database.keys_database_for(settings.instance)}) is lost; restore it from "
            f"backup, or record the loss with `kasane keys record-loss {settings.instance} --reason TEXT`; "
            f"a store written before personal parts were sealed is moved with `kasane keys reseal "
            f"{settings.instance}`")
