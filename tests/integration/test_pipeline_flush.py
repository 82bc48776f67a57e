"""A pipeline whose last statement is larger than the socket takes at once is sent whole before
the client waits for the answer (kasane.store.pipelines; without it, psycopg 3.3.9 hangs here)."""
import os
import threading

import psycopg
import pytest

from kasane.store import pipelines

pytestmark = pytest.mark.integration


def saves_in_a_pipeline(dsn: str, outcome: list) -> None:
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TEMP TABLE big (b bytea)")
        for _ in range(3):
            with conn.pipeline() as pipeline, conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT 1")  # its answer is read before the large statement is sent whole
                cur.execute("INSERT INTO big VALUES (%s)", (os.urandom(30_000_000),))
                pipeline.sync()
        outcome.append(conn.execute("SELECT count(*) FROM big").fetchone()[0])


def test_a_large_statement_in_a_pipeline_is_sent_whole_and_answered(platform):
    db = platform.database  # a temporary table of the maintenance database: nothing is left behind
    database_dsn = f"host={db.host} port={db.port} user={db.admin_user} dbname=postgres"
    assert psycopg._pipeline_base.pipeline_communicate is pipelines.communicate_then_flush
    outcome: list = []
    worker = threading.Thread(target=saves_in_a_pipeline, args=(database_dsn, outcome), daemon=True)
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "the pipeline waits for an answer to a statement it has not sent whole"
    assert outcome == [3]
