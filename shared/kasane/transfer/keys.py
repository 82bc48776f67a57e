"""鍵の移管と廃棄 — a leaving instance's data keys re-wrapped under the archive's master key (the
same key ids, so every sealed box of the copied history opens there), checked, and only then
destroyed at the contractor (kasane.privacy's key stores)."""
from __future__ import annotations

from kasane.config import InstanceSettings
from kasane.errors import KasaneError
from kasane.privacy.keystore import PostgresKeyStore
from kasane.privacy.master import load_master_key
from kasane.privacy.provision import create_key_store, key_store_conninfo, open_key_store
from kasane.transfer.archive_copy import ARCHIVE_SUFFIX

EXIT_REASON = "返還・廃棄（委託終了）"


class KeysNotMoved(KasaneError):
    """A key did not open in the archive after its move: nothing was destroyed."""


def archive_key_store(archive_copy: InstanceSettings, archive_instance: str) -> PostgresKeyStore:
    """The archive copy's key store, its keys wrapped by the city's archive instance's master key."""
    return PostgresKeyStore(key_store_conninfo(archive_copy), load_master_key(archive_instance))


def key_mover(archive: InstanceSettings):
    """A function (source, archive copy) -> (keys moved, keys destroyed) for `offboard_instance`."""

    def move(source: InstanceSettings, archive_copy: InstanceSettings) -> tuple[int, int]:
        create_key_store(archive_copy)
        held, kept = open_key_store(source), archive_key_store(archive_copy, archive.instance)
        try:
            exported = list(held.export_keys())
            for key_id, subject, household, key in exported:
                kept.adopt(key_id, subject, household, key)
            lost = [key_id for key_id, _, _, key in exported if kept.key_by_id(key_id) != key]
            if lost:
                raise KeysNotMoved(f"{source.instance}: {len(lost)} key(s) do not open in the archive; "
                                   "nothing was destroyed")
            return len(exported), len(held.destroy_all(EXIT_REASON))
        finally:
            held.close()
            kept.close()

    return move


class _DestroyOnly:
    """The master key of an archive copy's key store is the archive instance's: erasing a subject
    there destroys rows and never needs it."""

    def wrap(self, data_key: bytes, key_id: str) -> bytes:
        raise KasaneError("an archive's key store is only erased from here, never read or written")

    unwrap = wrap


def erase_in_archives(database, subject_id: str, reason: str, household: bool) -> list[tuple[str, int]]:
    """削除請求 in the city's archives: the subject's keys destroyed in every archive copy's key
    store on the cluster (found by name, whether or not the instance is still deployed)."""
    from kasane.store.provision import admin_connection

    like = (database.prefix + ARCHIVE_SUFFIX).replace("_", r"\_") + r"\_%\_keys"
    with admin_connection(database) as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s "
                                            "ORDER BY datname", (like,))]
    erased = []
    for name in names:
        # a key store's role bears its database's name (DatabaseSettings.keys_role_for)
        store = PostgresKeyStore({"host": database.host, "port": database.port, "dbname": name, "user": name,
                                  "connect_timeout": database.connect_timeout}, _DestroyOnly())
        try:
            erased.append((name, len(store.destroy(subject_id, reason, household=household))))
        finally:
            store.close()
    return erased
