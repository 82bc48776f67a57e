"""The baseline every benchmark prints its figures beside: raw single-row PostgreSQL INSERTs per
second (autocommit, one connection), measured in the same run on the same database."""
from __future__ import annotations

import time

import psycopg


def raw_inserts_per_second(db, name: str, rows: int = 2000) -> float:
    with psycopg.connect(host=db.host, port=db.port, user=db.admin_user, dbname=name,
                         autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, body jsonb)")
        started = time.perf_counter()
        for i in range(rows):
            conn.execute("INSERT INTO bench_raw (body) VALUES (%s)", ('{"n": %d}' % i,))
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_raw")
    return rows / elapsed
