"""鍵保管庫 — one data key per data subject (a person or a household, by pseudonymous id), per
instance, kept wrapped by the instance's master key in the instance's own key store database.

A key is made once per subject (idempotent, committed on its own before the event sealed under
it is stored) and destroyed by setting its wrapped bytes to NULL and rewriting the table
(VACUUM FULL), so the bytes leave the database files. A destroyed subject who appears again
gets a new key: erasure destroys what was recorded before it.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from typing import Iterable, Iterator, Protocol

import psycopg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kasane.errors import KasaneError
from kasane.privacy.master import MasterKey

KEYS_TABLE = "kasane_data_keys"
PREFETCH = 500  # keys fetched on a miss

KEYS_DDL = [
    f"""
    CREATE TABLE IF NOT EXISTS {KEYS_TABLE} (
        key_id uuid PRIMARY KEY,
        subject_id text NOT NULL,
        household_id text,
        wrapped_key bytea,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        destroyed_at timestamptz,
        reason text
    )
    """,
    f"CREATE UNIQUE INDEX IF NOT EXISTS {KEYS_TABLE}_live ON {KEYS_TABLE} (subject_id) "
    "WHERE wrapped_key IS NOT NULL",
    f"CREATE INDEX IF NOT EXISTS {KEYS_TABLE}_household ON {KEYS_TABLE} (household_id)",
    f"CREATE INDEX IF NOT EXISTS {KEYS_TABLE}_made ON {KEYS_TABLE} (created_at)",  # a reader's prefetch
]


class KeyStoreLost(KasaneError):
    """The instance's key store database is gone: its personal parts cannot be opened."""


class KeyStore(Protocol):
    def key_for(self, subject_id: str, household_id: str | None = None) -> tuple[str, bytes]: ...

    def key_by_id(self, key_id: str) -> bytes | None: ...


class _Cache:
    """Unwrapped keys, bounded and kept `seconds` long: a key destroyed by another process
    stops opening here at most that long after."""

    def __init__(self, seconds: float, size: int = 20_000):
        self.seconds, self.size = seconds, size
        self._items: OrderedDict = OrderedDict()

    def get(self, name):
        hit = self._items.get(name)
        if hit is None or hit[0] < time.monotonic():
            return None
        return hit[1]

    def put(self, name, value) -> None:
        self._items[name] = (time.monotonic() + self.seconds, value)
        self._items.move_to_end(name)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


class PostgresKeyStore:
    """The key store of one instance, reached as its own role (the only one that may connect)."""

    def __init__(self, conninfo: dict, master: MasterKey, cache_seconds: float = 60.0):
        self.conninfo, self.master = conninfo, master
        self._cache = _Cache(cache_seconds)
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None

    def _execute(self, statement: str, params=()) -> list:
        with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = self._connect()
            try:
                cursor = self._conn.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
            except psycopg.OperationalError:
                self._conn.close()
                raise

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(**self.conninfo, autocommit=True)
        except psycopg.OperationalError as exc:
            if "does not exist" not in str(exc):
                raise
            raise KeyStoreLost(
                f"the key store {self.conninfo['dbname']} is lost: personal parts cannot be opened "
                "until city IT restores it or records the loss (`kasane keys record-loss`)") from None

    def key_for(self, subject_id: str, household_id: str | None = None) -> tuple[str, bytes]:
        """The subject's live key (key id, key), made and committed now if it has none (one
        round trip: the insert, or else the key another writer made first)."""
        hit = self._cache.get(("subject", subject_id))
        if hit is not None:
            return hit
        key_id, key = str(uuid.uuid4()), AESGCM.generate_key(bit_length=256)
        row = self._execute(
            f"WITH made AS (INSERT INTO {KEYS_TABLE} (key_id, subject_id, household_id, wrapped_key) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (subject_id) WHERE wrapped_key IS NOT NULL DO NOTHING "
            f"RETURNING key_id, NULL::bytea AS wrapped_key) SELECT * FROM made UNION ALL "
            f"SELECT key_id, wrapped_key FROM {KEYS_TABLE} WHERE subject_id = %s AND wrapped_key IS NOT NULL",
            (key_id, subject_id, household_id, self.master.wrap(key, key_id), subject_id))[0]
        found = (key_id, key) if row[1] is None else (str(row[0]), self.master.unwrap(bytes(row[1]), str(row[0])))
        self._cache.put(("subject", subject_id), found)
        self._cache.put(("key", found[0]), found[1])
        return found

    def keys_for(self, pairs: Iterable[tuple[str, str | None]]) -> None:
        """Make (and commit) or fetch the live keys of many subjects in one round trip, into the
        cache `key_for` reads first. A subject whose key another writer made meanwhile, after
        this statement's snapshot, is left to `key_for`'s own round trip."""
        wanted = {s: h for s, h in pairs if self._cache.get(("subject", s)) is None}
        if not wanted:
            return
        made = {s: (str(uuid.uuid4()), AESGCM.generate_key(bit_length=256)) for s in wanted}
        rows = self._execute(
            "WITH asked AS (SELECT * FROM unnest(%s::uuid[], %s::text[], %s::text[], %s::bytea[]) "
            "AS a(key_id, subject_id, household_id, wrapped_key)), "
            f"made AS (INSERT INTO {KEYS_TABLE} (key_id, subject_id, household_id, wrapped_key) "
            "SELECT * FROM asked ON CONFLICT (subject_id) WHERE wrapped_key IS NOT NULL DO NOTHING "
            "RETURNING key_id, subject_id, NULL::bytea AS wrapped_key) "
            f"SELECT * FROM made UNION ALL SELECT k.key_id, k.subject_id, k.wrapped_key FROM {KEYS_TABLE} k "
            "JOIN asked USING (subject_id) WHERE k.wrapped_key IS NOT NULL",
            ([made[s][0] for s in wanted], list(wanted), list(wanted.values()),
             [self.master.wrap(made[s][1], made[s][0]) for s in wanted]))
        for key_id, subject, wrapped in rows:
            found = made[subject] if wrapped is None else (str(key_id), self.master.unwrap(bytes(wrapped), str(key_id)))
            self._cache.put(("subject", subject), found)
            self._cache.put(("key", found[0]), found[1])

    def key_by_id(self, key_id: str) -> bytes | None:
        """The key of that id, or None once destroyed (or never known here). A miss also
        fetches the keys made after it (a reader goes through the log in about the order the
        keys were made), so reading a backlog costs a round trip per page, not per key."""
        hit = self._cache.get(("key", key_id))
        if hit is not None:
            return hit or None
        rows = self._execute(
            f"SELECT key_id, wrapped_key FROM {KEYS_TABLE} WHERE created_at >= "
            f"(SELECT created_at FROM {KEYS_TABLE} WHERE key_id = %s) ORDER BY created_at LIMIT %s",
            (key_id, PREFETCH))
        for found_id, wrapped in rows:
            self._cache.put(("key", str(found_id)), self.master.unwrap(bytes(wrapped), str(found_id)) if wrapped else b"")
        hit = self._cache.get(("key", key_id))
        if hit is None:
            self._cache.put(("key", key_id), b"")  # never known here: reads as destroyed
        return hit or None

    def destroy(self, subject_id: str, reason: str, *, household: bool = False) -> list[str]:
        """廃棄 — destroy the subject's live keys (with `household`, also those of the persons
        met in that household); the table is rewritten so the bytes leave its files."""
        where = "(subject_id = %s OR household_id = %s)" if household else "subject_id = %s"
        params = (subject_id, subject_id) if household else (subject_id,)
        return self._destroy(where, params, reason)

    def destroy_all(self, reason: str) -> list[str]:
        """Every live key destroyed (返還・廃棄 at a contract's end, once the copy is proven)."""
        return self._destroy("TRUE", (), reason)

    def _destroy(self, where: str, params: tuple, reason: str) -> list[str]:
        rows = self._execute(
            f"UPDATE {KEYS_TABLE} SET wrapped_key = NULL, destroyed_at = clock_timestamp(), "
            f"reason = %s WHERE {where} AND wrapped_key IS NOT NULL RETURNING key_id",
            (reason, *params))
        self._execute(f"VACUUM FULL {KEYS_TABLE}")
        self._cache.clear()
        return [str(r[0]) for r in rows]

    def forget_cached(self) -> None:
        """Drop every unwrapped key held in memory (another process destroyed some): the next
        read asks the key store again."""
        with self._lock:
            self._cache.clear()

    def export_keys(self) -> Iterator[tuple[str, str, str | None, bytes]]:
        """Every live key unwrapped (key id, subject, household, key): what an offboarding
        re-wraps for another instance with `adopt`."""
        for key_id, subject, household, wrapped in self._execute(
                f"SELECT key_id, subject_id, household_id, wrapped_key FROM {KEYS_TABLE} "
                "WHERE wrapped_key IS NOT NULL ORDER BY created_at"):
            yield str(key_id), subject, household, self.master.unwrap(bytes(wrapped), str(key_id))

    def adopt(self, key_id: str, subject_id: str, household_id: str | None, key: bytes) -> None:
        """Keep a key exported by another instance, wrapped under this one's master key."""
        self._execute(
            f"INSERT INTO {KEYS_TABLE} (key_id, subject_id, household_id, wrapped_key) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (key_id, subject_id, household_id, self.master.wrap(key, key_id)))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()


class MemoryKeyStore:
    """The same in memory (domain and mapper tests, and `NoKeys` for readers without keys)."""

    def __init__(self):
        self.keys: dict[str, bytes | None] = {}
        self.subjects: dict[str, str] = {}

    def key_for(self, subject_id: str, household_id: str | None = None) -> tuple[str, bytes]:
        if subject_id not in self.subjects:
            key_id = str(uuid.uuid4())
            self.subjects[subject_id], self.keys[key_id] = key_id, AESGCM.generate_key(bit_length=256)
        key_id = self.subjects[subject_id]
        return key_id, self.keys[key_id]  # type: ignore[return-value]

    def key_by_id(self, key_id: str) -> bytes | None:
        return self.keys.get(key_id)

    def destroy(self, subject_id: str, reason: str = "", *, household: bool = False) -> list[str]:
        key_id = self.subjects.pop(subject_id, None)
        if key_id is None:
            return []
        self.keys[key_id] = None
        return [key_id]
